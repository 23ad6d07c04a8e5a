"""The ClaimReview JSON-LD of our reviews (DESIGN.md section 5): the one builder.

`claimreview_from_row()` is the only place a review becomes JSON-LD. `build_claimreview()` feeds
it a model instance (the claim page, the admin preview, the publish check);
claims.claimreview.rows feeds it rows of a few shaped queries (the public API's list and detail,
the DataFeed), so all of them are identical by construction (and tests compare them).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator

from claims.models import (
    CLAIM_REVIEWED_MAX_LENGTH,
    ClaimantKind,
    CorrectionKind,
    Review,
    review_rating_bounds,
)
from core.site import public_url

JsonDict = dict[str, Any]


def claim_page_url(slug: str) -> str:
    """The canonical address of a claim's page: ClaimReview's `url`."""
    if _SLUG.fullmatch(slug):
        # reverse() is most of the cost of a ClaimReview built from rows; a slug goes into its
        # path verbatim, so the address is reversed once per site and URLconf (public_url()
        # takes any script prefix off).
        key = (settings.FACTCHECK_SITE_URL, settings.ROOT_URLCONF)
        template = _CLAIM_URLS.get(key)
        if template is None:
            template = _CLAIM_URLS[key] = public_url("reader:claim", slug=_MARKER)
        return template.replace(_MARKER, slug)
    return public_url("reader:claim", slug=slug)


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARKER = "__claim_slug__"
_CLAIM_URLS: dict[tuple[object, ...], str] = {}


def iso_datetime(value: datetime.datetime | datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds")
    return value.isoformat()


def publisher_jsonld() -> JsonDict:
    """Us, as the author of every ClaimReview (FACTCHECK_PUBLISHER_* settings)."""
    org: JsonDict = {
        "@type": "Organization",
        "name": settings.FACTCHECK_PUBLISHER_NAME,
        "url": settings.FACTCHECK_PUBLISHER_URL,
    }
    if settings.FACTCHECK_PUBLISHER_LOGO:
        org["logo"] = settings.FACTCHECK_PUBLISHER_LOGO
    return org


# What a ClaimReview is made of, as one flat row (the names of `Review.objects.values()`):
# `build_claimreview()` makes it from a model instance, claims.claimreview.rows from a few
# shaped queries; `claimreview_from_row()` turns either into the same JSON-LD.
ROW_FIELDS = (
    "pk",
    "headline",
    "summary",
    "language",
    "date_published",
    "publish_at",
    "date_modified",
    "claim_id",
    "claim__slug",
    "claim__text",
    "claim__short_text",
    "claim__date_claimed",
    "claim__venue",
    "claim__language",
    "claim__claimant_id",
    "claim__claimant__name",
    "claim__claimant__kind",
    "claim__claimant__job_title",
    "claim__claimant__same_as",
    "claim__claimant__image_url",
    "rating_id",
    "rating__label",
    "rating__value",
    "rating__image_url",
)

# An appearance: (url, archived_url, title, date, first), in the claim's order.
Appearance = tuple[str, str, str, datetime.date | None, bool]
# A correction: (created_at, kind, note), oldest first.
CorrectionRow = tuple[datetime.datetime, str, str]

_KIND_LABELS = dict(CorrectionKind.choices)


def build_claimreview(
    review: Review, *, context: bool = True, at: datetime.datetime | None = None
) -> JsonDict:
    """The ClaimReview JSON-LD of `review` (DESIGN.md section 5), as a dict ready for json.dumps.

    For a review not yet published, dates are those it would get if published `at` (default:
    now), so the admin preview and the publish check see what would go out. With
    `context=False` the "@context" key is left out (for items nested in a DataFeed).

    Queries: none beyond the review's own relations; use
    `Review.objects.for_claimreview()` to fetch those in bulk.
    """
    claim = review.claim
    claimant = claim.claimant
    rating = review.rating
    row: dict[str, Any] = {
        "headline": review.headline,
        "summary": review.summary,
        "language": review.language,
        "date_published": review.date_published or review.publish_at or at or timezone.now(),
        "publish_at": review.publish_at,
        "date_modified": review.date_modified,
        "claim__slug": claim.slug,
        "claim_reviewed": claim.claim_reviewed,
        "claim__text": claim.text,
        "claim__date_claimed": claim.date_claimed,
        "claim__venue": claim.venue,
        "claim__language": claim.language,
        "claim__claimant_id": claimant.pk if claimant is not None else None,
        "claim__claimant__name": claimant.name if claimant is not None else "",
        "claim__claimant__kind": claimant.kind if claimant is not None else "",
        "claim__claimant__job_title": claimant.job_title if claimant is not None else "",
        "claim__claimant__same_as": claimant.same_as if claimant is not None else [],
        "claim__claimant__image_url": claimant.image_url if claimant is not None else "",
        "rating_id": rating.pk if rating is not None else None,
        "rating__label": rating.label if rating is not None else "",
        "rating__value": rating.value if rating is not None else None,
        "rating__image_url": rating.image_url if rating is not None else "",
        "bounds": review_rating_bounds(review),
    }
    appearances = [
        (a.url, a.archived_url, a.title, a.date, a.first) for a in claim.appearances.all()
    ]
    corrections = [
        (c.created_at, c.kind, c.note)
        for c in sorted(review.corrections.all(), key=lambda c: (c.created_at, c.pk))
    ]
    return claimreview_from_row(
        row, appearances, corrections, author=publisher_jsonld(), context=context
    )


def claimreview_from_row(
    row: Mapping[str, Any],
    appearances: Sequence[Appearance],
    corrections: Sequence[CorrectionRow],
    *,
    author: JsonDict,
    context: bool = True,
) -> JsonDict:
    """The ClaimReview of one row (`ROW_FIELDS`, plus `bounds`: (worst, best) of the rating's
    scale or None, and optionally `claim_reviewed`), its claim's appearances and its
    corrections. `author` is `publisher_jsonld()`, made once per response."""
    summary = row["summary"]
    data: JsonDict = {}
    if context:
        data["@context"] = "https://schema.org"
    data["@type"] = "ClaimReview"
    data["url"] = claim_page_url(row["claim__slug"])
    claim_reviewed = row.get("claim_reviewed")
    if claim_reviewed is None:
        claim_reviewed = row["claim__short_text"] or Truncator(
            " ".join(row["claim__text"].split())
        ).chars(CLAIM_REVIEWED_MAX_LENGTH)
    data["claimReviewed"] = claim_reviewed
    data["headline"] = row["headline"]
    if summary:
        data["reviewBody"] = summary
        data["description"] = summary
    data["datePublished"] = iso_datetime(row["date_published"] or row["publish_at"])
    # The latest public change: the review's own stamp, or its latest correction should a
    # correction have been recorded without it (both are set by the correct/update action).
    modified = max(
        (d for d in [row["date_modified"], *(c[0] for c in corrections)] if d),
        default=None,
    )
    if modified:
        data["dateModified"] = iso_datetime(modified)
    data["inLanguage"] = row["language"]
    data["author"] = author

    if row["rating_id"] is not None:
        review_rating: JsonDict = {
            "@type": "Rating",
            "alternateName": row["rating__label"],
            "name": row["rating__label"],
        }
        bounds = row["bounds"] if row["rating__value"] is not None else None
        if bounds is not None:
            worst, best = bounds
            review_rating["ratingValue"] = row["rating__value"]
            review_rating["bestRating"] = best
            review_rating["worstRating"] = worst
        if summary:
            review_rating["ratingExplanation"] = summary
        if row["rating__image_url"]:
            review_rating["image"] = row["rating__image_url"]
        data["reviewRating"] = review_rating

    item: JsonDict = {"@type": "Claim"}
    if row["claim__claimant_id"] is not None:
        is_person = row["claim__claimant__kind"] == ClaimantKind.PERSON
        claimant: JsonDict = {
            "@type": "Person" if is_person else "Organization",
            "name": row["claim__claimant__name"],
        }
        if row["claim__claimant__job_title"] and is_person:  # jobTitle: a Person property only
            claimant["jobTitle"] = row["claim__claimant__job_title"]
        if row["claim__claimant__same_as"]:
            claimant["sameAs"] = list(row["claim__claimant__same_as"])
        if row["claim__claimant__image_url"]:
            claimant["image"] = row["claim__claimant__image_url"]
        item["author"] = claimant
    if row["claim__date_claimed"]:
        item["datePublished"] = iso_datetime(row["claim__date_claimed"])
    if row["claim__venue"]:
        item["name"] = row["claim__venue"]
    item["text"] = row["claim__text"]
    item["inLanguage"] = row["claim__language"]
    if appearances:
        item["appearance"] = [_appearance_jsonld(a) for a in appearances]
        first = next((a for a in appearances if a[4]), None)
        if first is not None:
            item["firstAppearance"] = _appearance_jsonld(first)
    data["itemReviewed"] = item

    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{_KIND_LABELS.get(kind, kind)}: {note}",
                "datePublished": iso_datetime(created_at),
            }
            for created_at, kind, note in corrections
        ]
    return data


def _appearance_jsonld(appearance: Appearance) -> JsonDict:
    url, archived_url, title, date, _first = appearance
    work: JsonDict = {"@type": "CreativeWork", "url": url}
    if archived_url:
        work["archivedAt"] = archived_url
    if title:
        work["name"] = title
    if date:
        work["datePublished"] = iso_datetime(date)
    return work
