"""The ClaimReview validator: Google's requirements and the schema.org vocabulary.

`validate_claimreview()` checks a built document against Google's ClaimReview rules and the
schema.org vocabulary (claims.claimreview.schemaorg); the admin, the editorial API and the
publish step all call it (through `review_claimreview()`), and publishing refuses a document
with errors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from django.conf import settings

from claims.claimreview import schemaorg
from claims.claimreview.builder import JsonDict, build_claimreview
from claims.models import CLAIM_REVIEWED_MAX_LENGTH, Review

Level = Literal["error", "warning"]

# Google's rules. Errors block publishing; warnings are shown but do not.
NOT_A_CLAIMREVIEW = '@type is {found}: a fact check must be "@type": "ClaimReview".'
MISSING_CLAIM_REVIEWED = (
    "claimReviewed is missing: give the claim a text (or a short text) before publishing."
)
CLAIM_REVIEWED_NOT_TEXT = (
    "claimReviewed must be one piece of text: write the claim as a single short sentence."
)
MISSING_RATING = (
    "reviewRating.alternateName is missing: choose a rating from the rating scale for the review."
)
MISSING_URL = "url is missing: the claim needs a slug so the review has a page."
URL_NOT_OURS = "url {url} is not on our site {site}: set FACTCHECK_SITE_URL to the site's address."
RATING_NOT_INTEGER = (
    "reviewRating.{name} must be a whole number: set integer values on the rating scale."
)
RATING_INCOMPLETE = (
    "reviewRating.{name} is missing: a numeric rating needs ratingValue, bestRating and "
    "worstRating together; give every rating of the scale a value, or none."
)
RATING_WORST_BELOW_1 = "reviewRating.worstRating must be 1 or more: renumber the rating scale."
RATING_BEST_NOT_ABOVE_WORST = (
    "reviewRating.bestRating must be greater than worstRating: the scale needs at least two "
    "rated values."
)
RATING_VALUE_OUT_OF_RANGE = (
    "reviewRating.ratingValue must lie between worstRating and bestRating: fix the rating's value."
)
CLAIM_REVIEWED_TOO_LONG = (
    "claimReviewed is {length} characters; Google recommends at most {limit}: write a shorter "
    "short text for the claim."
)
MISSING_DATE_PUBLISHED = "datePublished is missing: publish the review to give it a date."
MISSING_AUTHOR = "author is missing: set FACTCHECK_PUBLISHER_NAME and FACTCHECK_PUBLISHER_URL."
MISSING_AUTHOR_NAME = "author.name is missing: set FACTCHECK_PUBLISHER_NAME."
MISSING_ITEM_REVIEWED = "itemReviewed is missing: the review needs a claim."
ITEM_NOT_A_CLAIM = (
    "itemReviewed is {found}: make it a Claim, the type Google reads the claim's author, date "
    "and appearances from."
)
MISSING_CLAIM_AUTHOR = "itemReviewed.author is missing: set who made the claim (the claimant)."
MISSING_CLAIM_AUTHOR_NAME = "itemReviewed.author.name is missing: give the claimant a name."
MISSING_CLAIM_DATE = "itemReviewed.datePublished is missing: set the date the claim was made."
MISSING_APPEARANCE = (
    "itemReviewed.appearance is missing: add at least one place the claim appeared, and mark "
    "the first appearance."
)
NOT_AN_OBJECT = 'The document must be a JSON object with "@type": "ClaimReview".'


@dataclass(frozen=True)
class Message:
    """One finding: `path` is the JSON-LD property it is about (dotted), `text` how to fix it."""

    level: Level
    path: str
    text: str


@dataclass
class ValidationResult:
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def add(self, level: Level, path: str, text: str) -> None:
        (self.errors if level == "error" else self.warnings).append(Message(level, path, text))

    def as_dict(self) -> JsonDict:
        return {
            "valid": self.is_valid,
            "errors": [{"field": m.path, "message": m.text} for m in self.errors],
            "warnings": [{"field": m.path, "message": m.text} for m in self.warnings],
        }


def _on_our_site(url: str) -> bool:
    ours = urlsplit(settings.FACTCHECK_SITE_URL)
    try:
        theirs = urlsplit(url)
    except ValueError:
        return False
    return (theirs.scheme, theirs.netloc.lower()) == (ours.scheme, ours.netloc.lower())


def _types(node: Any) -> list[str]:
    if not isinstance(node, dict):
        return []
    raw = node.get("@type", [])
    return [t for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def validate_claimreview(data: JsonDict) -> ValidationResult:
    """Check a ClaimReview document against Google's requirements and the schema.org vocabulary.

    Google's rules. Errors (publishing is refused): `@type` ClaimReview; claimReviewed,
    reviewRating.alternateName and url on our site are required; numeric ratings must be
    integers with 1 <= worstRating < bestRating and the value between them. Warnings
    (publishing goes ahead): claimReviewed longer than recommended, no datePublished, no
    author (or its name), an itemReviewed that is not a Claim or lacks author, datePublished or
    appearances.

    schema.org (release 30.0, see claims.claimreview.schemaorg): every type and property must
    exist and fit its domain and range; those are errors, superseded terms warnings.

    Never raises on malformed input: anything that is not a ClaimReview is reported as such.
    """
    result = ValidationResult()
    if not isinstance(data, dict):
        result.add("error", "@type", NOT_AN_OBJECT)
        return result

    types = _types(data)
    if not any(schemaorg.term_name(t) == "ClaimReview" for t in types):
        found = ", ".join(types) or "missing"
        result.add("error", "@type", NOT_A_CLAIMREVIEW.format(found=found))

    claim_reviewed = data.get("claimReviewed")
    if claim_reviewed is not None and not isinstance(claim_reviewed, str):
        result.add("error", "claimReviewed", CLAIM_REVIEWED_NOT_TEXT)
    elif not _text(claim_reviewed):
        result.add("error", "claimReviewed", MISSING_CLAIM_REVIEWED)
    elif isinstance(claim_reviewed, str) and len(claim_reviewed) > CLAIM_REVIEWED_MAX_LENGTH:
        result.add(
            "warning",
            "claimReviewed",
            CLAIM_REVIEWED_TOO_LONG.format(
                length=len(claim_reviewed), limit=CLAIM_REVIEWED_MAX_LENGTH
            ),
        )

    url = data.get("url")
    if not url:
        result.add("error", "url", MISSING_URL)
    elif isinstance(url, str) and not _on_our_site(url):
        result.add("error", "url", URL_NOT_OURS.format(url=url, site=settings.FACTCHECK_SITE_URL))

    if not data.get("datePublished"):
        result.add("warning", "datePublished", MISSING_DATE_PUBLISHED)

    rating = data.get("reviewRating")
    if not isinstance(rating, dict) or not _text(rating.get("alternateName")):
        result.add("error", "reviewRating.alternateName", MISSING_RATING)
    if isinstance(rating, dict):
        _check_numeric_rating(rating, result)

    author = data.get("author")
    if not author:
        result.add("warning", "author", MISSING_AUTHOR)
    elif isinstance(author, dict) and not _text(author.get("name")):
        result.add("warning", "author.name", MISSING_AUTHOR_NAME)

    item = data.get("itemReviewed")
    if not isinstance(item, dict):
        result.add("warning", "itemReviewed", MISSING_ITEM_REVIEWED)
    else:
        item_types = _types(item)
        if not any(schemaorg.term_name(t) == "Claim" for t in item_types):
            found = "a " + " and ".join(item_types) if item_types else "an object without @type"
            result.add("warning", "itemReviewed.@type", ITEM_NOT_A_CLAIM.format(found=found))
        claim_author = item.get("author")
        if not claim_author:
            result.add("warning", "itemReviewed.author", MISSING_CLAIM_AUTHOR)
        elif isinstance(claim_author, dict) and not claim_author.get("name"):
            result.add("warning", "itemReviewed.author.name", MISSING_CLAIM_AUTHOR_NAME)
        if not item.get("datePublished"):
            result.add("warning", "itemReviewed.datePublished", MISSING_CLAIM_DATE)
        if not item.get("appearance") and not item.get("firstAppearance"):
            result.add("warning", "itemReviewed.appearance", MISSING_APPEARANCE)

    for finding in schemaorg.check_vocabulary(data):
        if finding.path == "@type" and not types:
            continue  # already reported above, with what to write
        result.add(finding.level, finding.path, finding.text)
    return result


def _check_numeric_rating(rating: JsonDict, result: ValidationResult) -> None:
    names = ("ratingValue", "bestRating", "worstRating")
    present = {name: rating[name] for name in names if rating.get(name) is not None}
    if not present:
        return  # a rating without a value ("Misleading") publishes only its label
    integers = True
    for name in names:
        if name not in present:
            result.add("error", f"reviewRating.{name}", RATING_INCOMPLETE.format(name=name))
            integers = False
            continue
        value = present[name]
        if not isinstance(value, int) or isinstance(value, bool):
            result.add("error", f"reviewRating.{name}", RATING_NOT_INTEGER.format(name=name))
            integers = False
    if not integers:
        return
    value, best, worst = present["ratingValue"], present["bestRating"], present["worstRating"]
    if worst < 1:
        result.add("error", "reviewRating.worstRating", RATING_WORST_BELOW_1)
    if best <= worst:
        result.add("error", "reviewRating.bestRating", RATING_BEST_NOT_ABOVE_WORST)
    elif not worst <= value <= best:
        result.add("error", "reviewRating.ratingValue", RATING_VALUE_OUT_OF_RANGE)


def review_claimreview(
    review: Review, *, at: datetime.datetime | None = None
) -> tuple[JsonDict, ValidationResult]:
    """The document `review` would publish and what the validator says of it."""
    data = build_claimreview(review, at=at)
    return data, validate_claimreview(data)
