"""The ClaimReview builder (DESIGN.md section 5) and the validator's Google rules."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
from django.utils import timezone

from claims.claimreview import build_claimreview, review_claimreview, validate_claimreview
from claims.claimreview import validator as cr
from claims.claimreview.schemaorg import NOT_IN_DOMAIN
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


# --- review_claimreview: what publishing checks ------------------------------------------------


def test_a_review_without_rating_cannot_validate_and_the_message_names_the_field() -> None:
    review = ReviewFactory(rating=None)
    _, result = review_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
    assert not result.is_valid
    assert [(m.path, m.text) for m in result.errors] == [
        ("reviewRating.alternateName", cr.MISSING_RATING)
    ]
    assert result.as_dict()["errors"] == [
        {"field": "reviewRating.alternateName", "message": cr.MISSING_RATING}
    ]


def test_a_claim_without_text_cannot_validate() -> None:
    review = ReviewFactory(rating=default_rating(), claim=ClaimFactory(text="   ", short_text=""))
    _, result = review_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
    assert [(m.path, m.text) for m in result.errors] == [
        ("claimReviewed", cr.MISSING_CLAIM_REVIEWED)
    ]


def test_a_valid_draft_validates_and_as_dict_says_so() -> None:
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, first=True)
    review = ReviewFactory(rating=default_rating(), claim=claim)
    data, result = review_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
    assert data["@type"] == "ClaimReview"
    assert result.as_dict() == {"valid": True, "errors": [], "warnings": []}


# --- validator: Google's rules, good and bad ---------------------------------------------------


@pytest.fixture
def good() -> dict[str, Any]:
    """A document that passes every rule (what our builder emits for a complete review)."""
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{SITE}/claims/a-claim/",
        "claimReviewed": "The claim.",
        "headline": "Headline",
        "datePublished": "2017-03-02T15:30:00+00:00",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "Us", "url": SITE},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Someone"},
            "datePublished": "2017-01-10",
            "appearance": [{"@type": "CreativeWork", "url": "https://a.example.org/"}],
        },
    }


def check(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    result = validate_claimreview(doc)
    return [(m.level, m.path, m.text) for m in result.errors + result.warnings]


def test_the_good_document_has_no_findings(good: dict[str, Any]) -> None:
    assert check(good) == []


def test_a_document_that_is_not_an_object_is_an_error() -> None:
    assert check(["not", "a", "dict"]) == [("error", "@type", cr.NOT_AN_OBJECT)]  # type: ignore[arg-type]


def test_the_type_must_be_claimreview(good: dict[str, Any]) -> None:
    good["@type"] = "Review"
    assert check(good) == [
        ("error", "@type", cr.NOT_A_CLAIMREVIEW.format(found="Review")),
        # and schema.org agrees: claimReviewed belongs to ClaimReview only
        (
            "error",
            "claimReviewed",
            NOT_IN_DOMAIN.format(
                path="claimReviewed",
                property="claimReviewed",
                types="Review",
                domain="ClaimReview",
            ),
        ),
    ]
    del good["@type"]
    assert check(good) == [("error", "@type", cr.NOT_A_CLAIMREVIEW.format(found="missing"))]


def test_claim_reviewed_is_required(good: dict[str, Any]) -> None:
    for missing in ("", "   "):
        good["claimReviewed"] = missing
        assert check(good) == [("error", "claimReviewed", cr.MISSING_CLAIM_REVIEWED)]
    good["claimReviewed"] = None
    assert ("error", "claimReviewed", cr.MISSING_CLAIM_REVIEWED) in check(good)


def test_claim_reviewed_must_be_one_text(good: dict[str, Any]) -> None:
    good["claimReviewed"] = ["One claim", "Another"]
    assert ("error", "claimReviewed", cr.CLAIM_REVIEWED_NOT_TEXT) in check(good)


def test_claim_reviewed_over_75_characters_is_a_warning(good: dict[str, Any]) -> None:
    good["claimReviewed"] = "x" * 75
    assert check(good) == []
    good["claimReviewed"] = "x" * 76
    message = cr.CLAIM_REVIEWED_TOO_LONG.format(length=76, limit=75)
    assert check(good) == [("warning", "claimReviewed", message)]


def test_url_is_required_and_must_be_on_our_site(good: dict[str, Any]) -> None:
    del good["url"]
    assert check(good) == [("error", "url", cr.MISSING_URL)]
    good["url"] = "https://elsewhere.example.net/claims/a-claim/"
    message = cr.URL_NOT_OURS.format(url=good["url"], site=SITE)
    assert check(good) == [("error", "url", message)]
    good["url"] = "http://factcheck.example.org/claims/a-claim/"  # another scheme is another site
    assert [f[1] for f in check(good)] == ["url"]


def test_the_rating_label_is_required(good: dict[str, Any]) -> None:
    good["reviewRating"]["alternateName"] = " "
    assert check(good) == [("error", "reviewRating.alternateName", cr.MISSING_RATING)]
    del good["reviewRating"]
    assert check(good) == [("error", "reviewRating.alternateName", cr.MISSING_RATING)]


@pytest.mark.parametrize("name", ["ratingValue", "bestRating", "worstRating"])
@pytest.mark.parametrize("bad", ["1", 1.5, True])
def test_numeric_ratings_must_be_integers(good: dict[str, Any], name: str, bad: Any) -> None:
    good["reviewRating"][name] = bad
    findings = check(good)
    assert ("error", f"reviewRating.{name}", cr.RATING_NOT_INTEGER.format(name=name)) in findings


@pytest.mark.parametrize("name", ["ratingValue", "bestRating", "worstRating"])
def test_numeric_ratings_come_as_a_set_of_three(good: dict[str, Any], name: str) -> None:
    del good["reviewRating"][name]
    message = cr.RATING_INCOMPLETE.format(name=name)
    assert check(good) == [("error", f"reviewRating.{name}", message)]


def test_worst_rating_must_be_at_least_1(good: dict[str, Any]) -> None:
    good["reviewRating"].update(ratingValue=0, worstRating=0)
    assert check(good) == [("error", "reviewRating.worstRating", cr.RATING_WORST_BELOW_1)]


def test_best_rating_must_be_above_worst(good: dict[str, Any]) -> None:
    good["reviewRating"].update(ratingValue=1, bestRating=1, worstRating=1)
    assert check(good) == [("error", "reviewRating.bestRating", cr.RATING_BEST_NOT_ABOVE_WORST)]


def test_rating_value_must_lie_within_the_scale(good: dict[str, Any]) -> None:
    good["reviewRating"]["ratingValue"] = 6
    assert check(good) == [("error", "reviewRating.ratingValue", cr.RATING_VALUE_OUT_OF_RANGE)]


def test_a_missing_date_published_is_a_warning(good: dict[str, Any]) -> None:
    del good["datePublished"]
    assert check(good) == [("warning", "datePublished", cr.MISSING_DATE_PUBLISHED)]


def test_author_and_its_name_are_recommended(good: dict[str, Any]) -> None:
    doc = copy.deepcopy(good)
    del doc["author"]
    assert check(doc) == [("warning", "author", cr.MISSING_AUTHOR)]
    good["author"]["name"] = ""
    assert check(good) == [("warning", "author.name", cr.MISSING_AUTHOR_NAME)]


def test_item_reviewed_is_recommended(good: dict[str, Any]) -> None:
    del good["itemReviewed"]
    assert check(good) == [("warning", "itemReviewed", cr.MISSING_ITEM_REVIEWED)]


def test_item_reviewed_should_be_a_claim(good: dict[str, Any]) -> None:
    good["itemReviewed"]["@type"] = "CreativeWork"
    appearance_on_creative_work = NOT_IN_DOMAIN.format(
        path="itemReviewed.appearance",
        property="appearance",
        types="CreativeWork",
        domain="Claim",
    )
    assert check(good) == [
        ("error", "itemReviewed.appearance", appearance_on_creative_work),
        ("warning", "itemReviewed.@type", cr.ITEM_NOT_A_CLAIM.format(found="a CreativeWork")),
    ]


def test_the_claim_author_and_its_name_are_recommended(good: dict[str, Any]) -> None:
    doc = copy.deepcopy(good)
    del doc["itemReviewed"]["author"]
    assert check(doc) == [("warning", "itemReviewed.author", cr.MISSING_CLAIM_AUTHOR)]
    del good["itemReviewed"]["author"]["name"]
    assert check(good) == [("warning", "itemReviewed.author.name", cr.MISSING_CLAIM_AUTHOR_NAME)]


def test_the_claim_date_is_recommended(good: dict[str, Any]) -> None:
    del good["itemReviewed"]["datePublished"]
    assert check(good) == [("warning", "itemReviewed.datePublished", cr.MISSING_CLAIM_DATE)]


def test_an_appearance_or_first_appearance_is_recommended(good: dict[str, Any]) -> None:
    appearance = good["itemReviewed"].pop("appearance")
    assert check(good) == [("warning", "itemReviewed.appearance", cr.MISSING_APPEARANCE)]
    good["itemReviewed"]["firstAppearance"] = appearance[0]
    assert check(good) == []


def test_schema_org_findings_are_part_of_the_result(good: dict[str, Any]) -> None:
    good["itemReviewed"]["author"]["jobTitle"] = "Senator"  # fine on a Person
    good["author"]["jobTitle"] = "Publisher"  # not on an Organization
    result = validate_claimreview(good)
    assert [m.path for m in result.errors] == ["author.jobTitle"]
    assert not result.is_valid


def test_warnings_do_not_make_a_document_invalid(good: dict[str, Any]) -> None:
    del good["itemReviewed"]
    result = validate_claimreview(good)
    assert result.is_valid
    assert result.as_dict()["valid"] is True
