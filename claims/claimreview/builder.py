"""The ClaimReview JSON-LD of our reviews (DESIGN.md section 5): the one builder.

`build_claimreview()` is the only place a review becomes JSON-LD; the claim page, the public API
and the DataFeed all call it, so the three are identical by construction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from claims.models import Claimant, ClaimantKind, Review, rating_bounds
from core.site import public_url

JsonDict = dict[str, Any]


def claim_page_url(slug: str) -> str:
    """The canonical address of a claim's page: ClaimReview's `url`."""
    return public_url("reader:claim", slug=slug)


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


def claimant_jsonld(claimant: Claimant) -> JsonDict:
    is_person = claimant.kind == ClaimantKind.PERSON
    author: JsonDict = {"@type": "Person" if is_person else "Organization", "name": claimant.name}
    if claimant.job_title and is_person:  # jobTitle is a Person property only
        author["jobTitle"] = claimant.job_title
    if claimant.same_as:
        author["sameAs"] = list(claimant.same_as)
    if claimant.image_url:
        author["image"] = claimant.image_url
    return author


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
    published = review.date_published or review.publish_at or at or timezone.now()

    data: JsonDict = {}
    if context:
        data["@context"] = "https://schema.org"
    data["@type"] = "ClaimReview"
    data["url"] = claim_page_url(claim.slug)
    data["claimReviewed"] = claim.claim_reviewed
    data["headline"] = review.headline
    if review.summary:
        data["reviewBody"] = review.summary
        data["description"] = review.summary
    data["datePublished"] = iso_datetime(published)
    corrections = sorted(review.corrections.all(), key=lambda c: (c.created_at, c.pk))
    # The latest public change: the review's own stamp, or its latest correction should a
    # correction have been recorded without it (both are set by the correct/update action).
    modified = max(
        (d for d in [review.date_modified, *(c.created_at for c in corrections)] if d),
        default=None,
    )
    if modified:
        data["dateModified"] = iso_datetime(modified)
    data["inLanguage"] = review.language
    data["author"] = publisher_jsonld()

    if review.rating is not None:
        rating = review.rating
        review_rating: JsonDict = {
            "@type": "Rating",
            "alternateName": rating.label,
            "name": rating.label,
        }
        bounds = rating_bounds(rating)
        if bounds is not None:
            worst, best = bounds
            review_rating["ratingValue"] = rating.value
            review_rating["bestRating"] = best
            review_rating["worstRating"] = worst
        if review.summary:
            review_rating["ratingExplanation"] = review.summary
        if rating.image_url:
            review_rating["image"] = rating.image_url
        data["reviewRating"] = review_rating

    item: JsonDict = {"@type": "Claim"}
    if claim.claimant is not None:
        item["author"] = claimant_jsonld(claim.claimant)
    if claim.date_claimed:
        item["datePublished"] = iso_datetime(claim.date_claimed)
    if claim.venue:
        item["name"] = claim.venue
    item["text"] = claim.text
    item["inLanguage"] = claim.language
    appearances = list(claim.appearances.all())
    if appearances:
        item["appearance"] = [_appearance_jsonld(a) for a in appearances]
        first = next((a for a in appearances if a.first), None)
        if first is not None:
            item["firstAppearance"] = _appearance_jsonld(first)
    data["itemReviewed"] = item

    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{c.get_kind_display()}: {c.note}",
                "datePublished": iso_datetime(c.created_at),
            }
            for c in corrections
        ]
    return data


def _appearance_jsonld(appearance: Any) -> JsonDict:
    work: JsonDict = {"@type": "CreativeWork", "url": appearance.url}
    if appearance.archived_url:
        work["archivedAt"] = appearance.archived_url
    if appearance.title:
        work["name"] = appearance.title
    if appearance.date:
        work["datePublished"] = iso_datetime(appearance.date)
    return work
