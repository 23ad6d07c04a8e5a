"""One imported review as we store it, read from a ClaimReview node or a Fact Check Tools review.

`from_claimreview()` and `from_google()` read generously (imports.normalise) and return an
`ImportedReview`, or raise `Refusal` naming the field that makes the record unusable: no review
URL (or not an http(s) one), no claim text, no readable publication date. Secondary fields that
are malformed (an appearance's `javascript:` URL, a claim date "soon") are dropped, not fatal.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from imports.normalise import (
    Refusal,
    absolute_url,
    aware_datetime,
    bare_site,
    canonical_url,
    detect_language,
    get,
    language_tag,
    local_date,
    many,
    number,
    one,
    optional_url,
    plain_text,
    site_of,
    truncate,
    type_names,
)
from imports.verdicts import verdict_of

HEADLINE_MAX = 300
VENUE_MAX = 300
NAME_MAX = 200
LABEL_MAX = 200
MAX_APPEARANCES = 50
ORGANIZATION_TYPES = {
    "organization",
    "newsmediaorganization",
    "corporation",
    "governmentorganization",
    "ngo",
    "educationalorganization",
    "politicalparty",
}


@dataclass
class ClaimantData:
    name: str
    kind: str  # claims.models.ClaimantKind value
    job_title: str = ""
    same_as: list[str] = field(default_factory=list)
    image_url: str = ""


@dataclass
class AppearanceData:
    url: str
    archived_url: str = ""
    title: str = ""
    date: datetime.date | None = None
    first: bool = False


@dataclass
class CorrectionData:
    text: str
    date: datetime.datetime


@dataclass
class ImportedReview:
    """Everything one record says, normalised. `canonical_url` is its identity."""

    url: str
    canonical_url: str
    publisher_name: str
    publisher_site: str
    publisher_url: str
    headline: str
    summary: str
    language: str
    date_published: datetime.datetime
    date_modified: datetime.datetime | None
    rating_label: str
    rating_value: float | None
    rating_best: float | None
    rating_worst: float | None
    verdict: str
    claim_text: str
    claim_reviewed: str
    claim_date: datetime.date | None
    claim_venue: str
    claim_language: str
    claimant: ClaimantData | None
    appearances: list[AppearanceData]
    corrections: list[CorrectionData]
    rating_image: str = ""

    def digest(self) -> str:
        """Fingerprint of the content: a re-import with the same digest changes nothing."""
        cached: str | None = self.__dict__.get("_digest")
        if cached is None:
            values = [
                [asdict(v) for v in value] if isinstance(value, list) else value
                for value in (getattr(self, f.name) for f in fields(self))
            ]
            if self.claimant is not None:
                values[fields_index("claimant")] = asdict(self.claimant)
            data = json.dumps(values, default=str, ensure_ascii=False)
            cached = hashlib.sha256(data.encode()).hexdigest()
            self.__dict__["_digest"] = cached
        return cached


def fields_index(name: str) -> int:
    return [f.name for f in fields(ImportedReview)].index(name)


# --- rules shared by both readers -------------------------------------------------------------


def publication_date(value: Any, field: str, *, fallback: Any = None) -> datetime.datetime:
    moment = aware_datetime(value, field)
    if moment is None and fallback is not None:
        moment = aware_datetime(fallback, field)
    if moment is None:
        raise Refusal(field, "is missing: the review's publication date is required.")
    return moment


def safe_date(value: Any) -> datetime.date | None:
    """A secondary date (the claim's, an appearance's): None when unreadable."""
    try:
        return local_date(value, "date")
    except Refusal:
        return None


def claimant_from(node: Any) -> ClaimantData | None:
    """The claim's author: a Person or Organization node, or a bare name. A list of names
    (["Mzwandile Masina", "mayor of Ekurhuleni"]) is the name and then its description."""
    node = one(node)
    if isinstance(node, str):
        name = plain_text(node)
        return ClaimantData(name=truncate(name, NAME_MAX), kind="person") if name else None
    if not isinstance(node, dict):
        return None
    name = plain_text(get(node, "name"))
    if not name:
        return None
    types = type_names(node)
    kind = "organization" if types & ORGANIZATION_TYPES else "person"
    same_as = []
    for value in many(get(node, "sameAs")):
        url = optional_url(value)
        if url and url not in same_as:
            same_as.append(url)
    return ClaimantData(
        name=truncate(name, NAME_MAX),
        kind=kind,
        job_title=truncate(plain_text(get(node, "jobTitle")), NAME_MAX) if kind == "person" else "",
        same_as=same_as[:20],
        image_url=optional_url(one(get(node, "image"))),
    )


def _appearance(node: Any, *, base: str, first: bool = False) -> AppearanceData | None:
    if isinstance(node, str):
        url = optional_url(node, base=base)
        return AppearanceData(url=url, first=first) if url else None
    if not isinstance(node, dict):
        return None
    url = optional_url(get(node, "url") or node.get("@id"), base=base)
    if not url:
        return None
    return AppearanceData(
        url=url,
        archived_url=optional_url(get(node, "archivedAt"), base=base),
        title=truncate(plain_text(get(node, "name") or get(node, "headline")), VENUE_MAX),
        date=safe_date(get(node, "datePublished")),
        first=first,
    )


def appearances_from(item: Any, *, base: str) -> list[AppearanceData]:
    """`appearance` (one or many), `firstAppearance`, and the claim's own `url` (AFP puts the
    post there); one per URL, the first appearance flagged."""
    if not isinstance(item, dict):
        return []
    found: dict[str, AppearanceData] = {}
    first = _appearance(one(get(item, "firstAppearance")), base=base, first=True)
    if first:
        found[first.url] = first
    for node in many(get(item, "appearance")):
        appearance = _appearance(node, base=base)
        if appearance and appearance.url not in found:
            found[appearance.url] = appearance
    own = optional_url(get(item, "url"), base=base)
    if own and own not in found:
        found[own] = AppearanceData(url=own)
    return list(found.values())[:MAX_APPEARANCES]


def _language(*candidates: Any, text: tuple[str, ...]) -> str:
    for candidate in candidates:
        tag = language_tag(candidate)
        if tag:
            return tag
    return language_tag(detect_language(*text)) or "und"


# --- schema.org ClaimReview -------------------------------------------------------------------


def _publisher_node(node: dict[str, Any]) -> dict[str, Any] | None:
    """Who published the review: `publisher` when it is named, else an `author` that is an
    organisation (or untyped); a Person author is a journalist, not the publisher."""
    for candidate in many(get(node, "publisher")):
        if isinstance(candidate, dict) and plain_text(get(candidate, "name")):
            return candidate
    for candidate in many(get(node, "author")):
        if isinstance(candidate, dict) and plain_text(get(candidate, "name")):
            types = type_names(candidate)
            if not types or types & ORGANIZATION_TYPES:
                return candidate
    return None


def from_claimreview(
    node: dict[str, Any], *, base: str = "", fallback_date: Any = None
) -> ImportedReview:
    """A schema.org ClaimReview node (JSON-LD, microdata or RDFa, resolved), normalised."""
    url = absolute_url(get(node, "url") or node.get("@id"), "url", base=base)
    item = one(get(node, "itemReviewed"))
    item = item if isinstance(item, dict) else {}
    claim_reviewed = plain_text(get(node, "claimReviewed"))
    claim_text = plain_text(get(item, "text"), multiline=True) or claim_reviewed
    if not claim_text:
        raise Refusal("claimReviewed", "is missing: the claim that was checked is required.")
    headline = plain_text(get(node, "headline") or get(node, "name") or get(node, "title"))
    summary = plain_text(
        get(node, "reviewBody") or get(node, "description") or get(node, "subtitle"),
        multiline=True,
    )

    rating = one(get(node, "reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    label = plain_text(get(rating, "alternateName") or get(rating, "name"))
    value = number(get(rating, "ratingValue"))
    best = number(get(rating, "bestRating"))
    worst = number(get(rating, "worstRating"))
    if not summary and isinstance(one(get(rating, "ratingExplanation")), str):
        summary = plain_text(get(rating, "ratingExplanation"), multiline=True)

    publisher = _publisher_node(node) or {}
    site = site_of(url)
    published = publication_date(
        get(node, "datePublished"), "datePublished", fallback=fallback_date
    )
    modified = None
    try:
        modified = aware_datetime(get(node, "dateModified"), "dateModified")
    except Refusal:
        modified = None
    if modified is not None and modified <= published:
        modified = None

    corrections = []
    for correction in many(get(node, "correction")):
        if isinstance(correction, dict):
            text = plain_text(get(correction, "text"), multiline=True)
            date = aware_datetime(get(correction, "datePublished"), "correction.datePublished")
            if text and date:
                corrections.append(CorrectionData(text=text, date=date))
        elif isinstance(correction, str) and plain_text(correction):
            corrections.append(CorrectionData(text=plain_text(correction), date=published))

    return ImportedReview(
        url=url,
        canonical_url=canonical_url(url),
        publisher_name=truncate(plain_text(get(publisher, "name")) or site, NAME_MAX),
        publisher_site=site,
        publisher_url=optional_url(get(publisher, "url"), base=base) or f"https://{site}/",
        headline=truncate(headline or claim_reviewed or claim_text, HEADLINE_MAX),
        summary=summary,
        language=_language(
            get(node, "inLanguage"),
            get(item, "inLanguage"),
            text=(claim_text, headline, summary),
        ),
        date_published=published,
        date_modified=modified,
        rating_label=truncate(label, LABEL_MAX),
        rating_value=value,
        rating_best=best,
        rating_worst=worst,
        verdict=verdict_of(label, value, best, worst),
        claim_text=claim_text,
        claim_reviewed=claim_reviewed,
        claim_date=safe_date(get(item, "datePublished")),
        claim_venue=_venue(item, claim_text, headline),
        claim_language=language_tag(get(item, "inLanguage")),
        claimant=claimant_from(get(item, "author")),
        appearances=appearances_from(item, base=base),
        corrections=corrections,
        rating_image=optional_url(one(get(rating, "image")), base=base),
    )


def _venue(item: dict[str, Any], claim_text: str, headline: str) -> str:
    """Where the claim was made (`itemReviewed.name`), unless it only repeats the claim."""
    name = plain_text(get(item, "name"))
    if not name or name in (claim_text, headline) or claim_text.startswith(name):
        return ""
    return truncate(name, VENUE_MAX)


# --- Google Fact Check Tools ------------------------------------------------------------------


def from_google(review: dict[str, Any], claim: dict[str, Any]) -> ImportedReview:
    """One `claimReview` of a Fact Check Tools `Claim` (`claims:search`), normalised."""
    url = absolute_url(review.get("url"), "claimReview.url")
    claim_text = plain_text(claim.get("text"), multiline=True)
    if not claim_text:
        raise Refusal("text", "is missing: the claim that was checked is required.")
    found = review.get("publisher")
    publisher: dict[str, Any] = found if isinstance(found, dict) else {}
    site = bare_site(publisher.get("site")) or site_of(url)
    headline = plain_text(review.get("title"))
    label = plain_text(review.get("textualRating"))
    claimant = plain_text(claim.get("claimant"))
    return ImportedReview(
        url=url,
        canonical_url=canonical_url(url),
        publisher_name=truncate(plain_text(publisher.get("name")) or site, NAME_MAX),
        publisher_site=site,
        publisher_url=f"https://{site}/",
        headline=truncate(headline or claim_text, HEADLINE_MAX),
        summary="",
        language=_language(review.get("languageCode"), text=(claim_text, headline)),
        date_published=publication_date(review.get("reviewDate"), "claimReview.reviewDate"),
        date_modified=None,
        rating_label=truncate(label, LABEL_MAX),
        rating_value=None,
        rating_best=None,
        rating_worst=None,
        verdict=verdict_of(label),
        claim_text=claim_text,
        claim_reviewed="",
        claim_date=safe_date(claim.get("claimDate")),
        claim_venue="",
        claim_language="",
        claimant=ClaimantData(name=truncate(claimant, NAME_MAX), kind="person")
        if claimant
        else None,
        appearances=[],
        corrections=[],
    )
