"""The ClaimReview validator, claims.claimreview.validator: what publishing checks of a review,
and Google's rules, good and bad (real publishers' markup: test_validator_vendor.py)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from claims.claimreview import review_claimreview, validate_claimreview
from claims.claimreview import validator as cr
from claims.claimreview.schemaorg import NOT_IN_DOMAIN
from claims.models import Review
from tests.helpers import (
    SITE,
    AppearanceFactory,
    ClaimFactory,
    ReviewFactory,
    default_rating,
)

pytestmark = pytest.mark.django_db

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
