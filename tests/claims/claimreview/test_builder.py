"""The ClaimReview builder, claims.claimreview.builder (DESIGN.md section 5)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from claims.claimreview import build_claimreview, validate_claimreview
from claims.claimreview import validator as cr
from claims.models import ClaimantKind, Review
from tests.helpers import (
    SITE,
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    CorrectionFactory,
    RatingFactory,
    RatingScaleFactory,
    ReviewFactory,
    default_rating,
)

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2017, 3, 2, 15, 30, tzinfo=datetime.UTC)


def built(review: Review, **kwargs: Any) -> dict[str, Any]:
    return build_claimreview(Review.objects.for_claimreview().get(pk=review.pk), **kwargs)


def published_review(**kwargs: Any) -> Review:
    kwargs.setdefault("publish_at", PUBLISHED)
    kwargs.setdefault("date_published", kwargs["publish_at"])
    return ReviewFactory(published=True, **kwargs)


def fields(result: cr.ValidationResult) -> dict[str, list[str]]:
    return {
        "errors": [m.path for m in result.errors],
        "warnings": [m.path for m in result.warnings],
    }


# --- builder ----------------------------------------------------------------------------------


def test_builder_emits_the_design_shape_for_a_published_review(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_PUBLISHER_NAME = "Example Checks"
    settings.FACTCHECK_PUBLISHER_URL = "https://factcheck.example.org"
    settings.FACTCHECK_PUBLISHER_LOGO = "https://factcheck.example.org/logo.png"
    claimant = ClaimantFactory(
        name="Jeff Sessions",
        job_title="Attorney General nominee",
        same_as=["https://en.wikipedia.org/wiki/Jeff_Sessions"],
        image_url="https://upload.example.org/sessions.jpg",
    )
    claim = ClaimFactory(
        claimant=claimant,
        text="I did not have communications with the Russians, said the senator at length.",
        short_text="I did not have communications with the Russians.",
        date_claimed=datetime.date(2017, 1, 10),
        venue="Senate Judiciary Committee confirmation hearing",
        language="en",
    )
    review = published_review(
        claim=claim, headline="Sessions did talk to the Russians", summary="He met the envoy."
    )
    data = built(review)
    assert data == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{SITE}/claims/{claim.slug}/",
        "claimReviewed": "I did not have communications with the Russians.",
        "headline": "Sessions did talk to the Russians",
        "reviewBody": "He met the envoy.",
        "description": "He met the envoy.",
        "datePublished": "2017-03-02T15:30:00+00:00",
        "inLanguage": "en",
        "author": {
            "@type": "Organization",
            "name": "Example Checks",
            "url": "https://factcheck.example.org",
            "logo": "https://factcheck.example.org/logo.png",
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "name": "False",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "ratingExplanation": "He met the envoy.",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {
                "@type": "Person",
                "name": "Jeff Sessions",
                "jobTitle": "Attorney General nominee",
                "sameAs": ["https://en.wikipedia.org/wiki/Jeff_Sessions"],
                "image": "https://upload.example.org/sessions.jpg",
            },
            "datePublished": "2017-01-10",
            "name": "Senate Judiciary Committee confirmation hearing",
            "text": claim.text,
            "inLanguage": "en",
        },
    }
    result = validate_claimreview(data)
    assert fields(result) == {"errors": [], "warnings": ["itemReviewed.appearance"]}


@pytest.mark.parametrize(
    ("slug", "value"),
    [("true", 5), ("mostly-true", 4), ("half-true", 3), ("mostly-false", 2), ("false", 1)],
)
def test_a_rating_with_a_value_publishes_integers_from_the_scale(slug: str, value: int) -> None:
    review = published_review(rating=default_rating(slug))
    rating = built(review)["reviewRating"]
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"]) == (value, 1, 5)
    assert rating["alternateName"] == rating["name"] == default_rating(slug).label


@pytest.mark.parametrize("slug", ["misleading", "unproven"])
def test_a_rating_without_a_value_publishes_only_its_label(slug: str) -> None:
    review = published_review(rating=default_rating(slug))
    data = built(review)
    assert set(data["reviewRating"]) == {
        "@type",
        "alternateName",
        "name",
        "ratingExplanation",
    }
    assert validate_claimreview(data).is_valid


def test_a_rating_image_becomes_the_rating_image() -> None:
    scale = RatingScaleFactory()
    RatingFactory(scale=scale, value=1)
    rating = RatingFactory(scale=scale, value=3, image_url="https://img.example.org/true.png")
    review = published_review(rating=rating)
    assert built(review)["reviewRating"]["image"] == "https://img.example.org/true.png"
    assert built(review)["reviewRating"]["bestRating"] == 3


def test_an_organization_claimant_gets_no_job_title() -> None:
    claimant = ClaimantFactory(kind=ClaimantKind.ORGANIZATION, job_title="Ignored")
    review = published_review(claim=ClaimFactory(claimant=claimant))
    author = built(review)["itemReviewed"]["author"]
    assert author["@type"] == "Organization"
    assert "jobTitle" not in author
    assert validate_claimreview(built(review)).errors == []


def test_a_claim_without_claimant_date_or_venue_leaves_them_out_and_warns() -> None:
    claim = ClaimFactory(claimant=None, date_claimed=None, venue="")
    data = built(published_review(claim=claim))
    assert set(data["itemReviewed"]) == {"@type", "text", "inLanguage"}
    result = validate_claimreview(data)
    assert result.is_valid
    assert fields(result)["warnings"] == [
        "itemReviewed.author",
        "itemReviewed.datePublished",
        "itemReviewed.appearance",
    ]


def test_appearances_are_listed_in_order_and_the_first_one_is_named() -> None:
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, url="https://a.example.org/2", order=1, title="", date=None)
    AppearanceFactory(
        claim=claim,
        url="https://a.example.org/1",
        order=0,
        first=True,
        archived_url="https://web.archive.org/web/2017/https://a.example.org/1",
        title="C-SPAN video",
        date=datetime.date(2017, 1, 10),
    )
    item = built(published_review(claim=claim))["itemReviewed"]
    first = {
        "@type": "CreativeWork",
        "url": "https://a.example.org/1",
        "archivedAt": "https://web.archive.org/web/2017/https://a.example.org/1",
        "name": "C-SPAN video",
        "datePublished": "2017-01-10",
    }
    assert item["appearance"] == [
        first,
        {"@type": "CreativeWork", "url": "https://a.example.org/2"},
    ]
    assert item["firstAppearance"] == first


def test_appearances_without_a_first_one_have_no_first_appearance() -> None:
    claim = ClaimFactory()
    AppearanceFactory(claim=claim)
    item = built(published_review(claim=claim))["itemReviewed"]
    assert len(item["appearance"]) == 1
    assert "firstAppearance" not in item


def test_a_corrected_review_lists_its_corrections_and_is_modified_at_the_latest() -> None:
    review = published_review()
    later = PUBLISHED + datetime.timedelta(days=3)
    CorrectionFactory(review=review, note="Second.", created_at=later, kind="update")
    CorrectionFactory(review=review, note="First.", created_at=PUBLISHED + datetime.timedelta(1))
    Review.objects.filter(pk=review.pk).update(date_modified=later)
    data = built(review)
    assert data["dateModified"] == "2017-03-05T15:30:00+00:00"
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "Correction: First.",
            "datePublished": "2017-03-03T15:30:00+00:00",
        },
        {
            "@type": "CorrectionComment",
            "text": "Update: Second.",
            "datePublished": "2017-03-05T15:30:00+00:00",
        },
    ]
    assert validate_claimreview(data).errors == []


def test_date_modified_follows_a_correction_even_without_the_review_stamp() -> None:
    review = published_review()
    CorrectionFactory(review=review, created_at=PUBLISHED + datetime.timedelta(days=2))
    assert built(review)["dateModified"] == "2017-03-04T15:30:00+00:00"


def test_an_uncorrected_review_has_no_date_modified_or_correction() -> None:
    data = built(published_review())
    assert "dateModified" not in data
    assert "correction" not in data


def test_a_draft_is_dated_as_if_published_at_the_given_time() -> None:
    review = ReviewFactory(rating=default_rating())
    at = datetime.datetime(2020, 5, 1, 12, 0, tzinfo=datetime.UTC)
    assert built(review, at=at)["datePublished"] == "2020-05-01T12:00:00+00:00"


def test_a_draft_without_a_time_is_dated_now() -> None:
    review = ReviewFactory(rating=default_rating())
    before = timezone.now().replace(microsecond=0)
    published = datetime.datetime.fromisoformat(built(review)["datePublished"])
    assert before <= published <= timezone.now()


def test_without_context_the_document_is_the_same_minus_context() -> None:
    review = published_review()
    with_context = built(review)
    without = built(review, context=False)
    assert "@context" not in without
    assert {**without, "@context": "https://schema.org"} == with_context


def test_a_long_claim_without_short_text_is_cut_to_75_characters() -> None:
    claim = ClaimFactory(text="word " * 40, short_text="")
    data = built(published_review(claim=claim))
    assert len(data["claimReviewed"]) <= 75
    assert "claimReviewed" not in fields(validate_claimreview(data))["warnings"]


def test_the_builder_makes_no_queries_once_prefetched(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    AppearanceFactory.create_batch(3, claim=claim)
    review = published_review(claim=claim)
    CorrectionFactory.create_batch(3, review=review)
    # 1 review + claim + claimant + rating + scale (joined), 2 appearances, 3 corrections,
    # 4 the scale's ratings.
    with django_assert_num_queries(4):
        fetched = Review.objects.for_claimreview().get(pk=review.pk)
        build_claimreview(fetched)
