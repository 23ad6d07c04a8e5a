"""The schema.org vocabulary extract and the vocabulary checker (claims.claimreview.schemaorg)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from claims.claimreview import schemaorg as so
from claims.claimreview.schemaorg import check_vocabulary, vocabulary

SCRIPT = settings.BASE_DIR / "scripts" / "schemaorg_extract.py"


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("schemaorg_extract", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def findings(data: Any) -> list[tuple[str, str, str]]:
    return [(f.level, f.path, f.text) for f in check_vocabulary(data)]


# --- the extract ------------------------------------------------------------------------------


def test_the_committed_extract_is_what_the_script_makes_from_release_30(
    vendor_data: Path, tmp_path: Path
) -> None:
    source = vendor_data / "schemaorg" / "schemaorg-current-https.jsonld"
    script = load_script()
    assert (
        script.main(["--source", str(source), "--output", str(so.VOCABULARY_FILE), "--check"]) == 0
    )
    # and --check notices a stale file
    stale = tmp_path / "stale.json"
    stale.write_text("{}")
    assert script.main(["--source", str(source), "--output", str(stale), "--check"]) == 1


def test_the_script_writes_the_extract(vendor_data: Path, tmp_path: Path) -> None:
    source = vendor_data / "schemaorg" / "schemaorg-current-https.jsonld"
    out = tmp_path / "vocabulary.json"
    assert load_script().main(["--source", str(source), "--output", str(out)]) == 0
    assert out.read_text() == so.VOCABULARY_FILE.read_text()


def test_the_script_fails_with_a_message_without_its_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_script().main(["--source", str(tmp_path / "missing.jsonld")]) == 2
    assert "schema.org vocabulary not found" in capsys.readouterr().err


def test_the_extract_lives_in_the_repository_and_is_compact() -> None:
    assert so.VOCABULARY_FILE.is_relative_to(settings.BASE_DIR / "claims")
    assert so.VOCABULARY_FILE.stat().st_size < 200_000  # the release file is 1.5 MB
    data = json.loads(so.VOCABULARY_FILE.read_text())
    assert set(data) == {"release", "source", "datatypes", "types", "properties", "superseded"}
    assert data["release"] == "30.0"


def test_the_vocabulary_holds_the_claimreview_terms_pending_ones_included() -> None:
    vocab = vocabulary()
    assert vocab.release == "30.0"
    assert {"ClaimReview", "Claim", "CorrectionComment", "DataFeed", "DataFeedItem"} <= set(
        vocab.parents
    )
    assert {"Review", "CreativeWork", "Thing"} <= vocab.ancestors("ClaimReview")
    assert vocab.properties["appearance"].domain == {"Claim"}
    assert vocab.properties["ratingExplanation"].range == {"Text"}
    assert vocab.properties["jobTitle"].domain == {"Person"}
    assert {"Text", "URL", "Date", "DateTime", "Number", "Integer"} <= vocab.datatypes
    assert vocab.is_enumeration("ItemAvailability")
    assert not vocab.is_enumeration("Claim")


@pytest.mark.parametrize(
    ("term", "name"),
    [
        ("name", "name"),
        ("schema:name", "name"),
        ("http://schema.org/name", "name"),
        ("https://schema.org/name", "name"),
        ("og:title", None),
        ("http://purl.org/dc/terms/title", None),
    ],
)
def test_term_names(term: str, name: str | None) -> None:
    assert so.term_name(term) == name


# --- the checker, rule by rule ------------------------------------------------------------------


def test_a_correct_document_has_no_findings() -> None:
    doc = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example.org/claims/x/",
        "claimReviewed": "Text",
        "datePublished": "2017-03-02T15:30:00+00:00",
        "author": {"@type": "Organization", "name": "Us", "logo": "https://x.example.org/l.png"},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": "5"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": ["A", "B"], "jobTitle": "Senator"},
            "datePublished": "2017-01-10",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://a.example.org/",
                    "archivedAt": "https://web.archive.org/x",
                },
                {"@id": "https://b.example.org/"},
            ],
        },
        "correction": "We fixed a date.",
    }
    assert findings(doc) == []


def test_an_unknown_type_is_an_error() -> None:
    assert findings({"@type": "FactCheck"}) == [
        ("error", "@type", so.UNKNOWN_TYPE.format(path="@type", type="FactCheck", release="30.0"))
    ]


def test_types_are_case_sensitive() -> None:
    doc = {"@type": "ClaimReview", "itemReviewed": {"@type": "creativeWork"}}
    message = so.UNKNOWN_TYPE.format(path="itemReviewed.@type", type="creativeWork", release="30.0")
    assert findings(doc) == [("error", "itemReviewed.@type", message)]


def test_a_type_written_as_an_iri_is_read_as_the_term() -> None:
    assert findings({"@type": "http://schema.org/ClaimReview", "schema:claimReviewed": "x"}) == []


def test_an_unknown_property_is_an_error() -> None:
    message = so.UNKNOWN_PROPERTY.format(path="reviewRating.icon", property="icon", release="30.0")
    doc = {"@type": "ClaimReview", "reviewRating": {"@type": "Rating", "icon": "x"}}
    assert findings(doc) == [("error", "reviewRating.icon", message)]


def test_a_property_of_another_vocabulary_is_an_error() -> None:
    message = so.UNKNOWN_PROPERTY.format(path="og:title", property="og:title", release="30.0")
    assert findings({"@type": "ClaimReview", "og:title": "x"}) == [("error", "og:title", message)]


def test_a_property_outside_its_domain_is_an_error() -> None:
    doc = {"@type": "ClaimReview", "author": {"@type": "Organization", "jobTitle": "Publisher"}}
    message = so.NOT_IN_DOMAIN.format(
        path="author.jobTitle", property="jobTitle", types="Organization", domain="Person"
    )
    assert findings(doc) == [("error", "author.jobTitle", message)]


def test_a_property_of_a_supertype_fits_the_domain() -> None:
    # headline is a CreativeWork property; ClaimReview < Review < CreativeWork
    assert findings({"@type": "ClaimReview", "headline": "x", "name": "y"}) == []


def test_one_of_several_types_is_enough_for_the_domain() -> None:
    assert findings({"@type": ["Organization", "Person"], "jobTitle": "x"}) == []


def test_an_object_of_the_wrong_type_is_outside_the_range() -> None:
    doc = {"@type": "ClaimReview", "reviewRating": {"@type": "Person", "name": "x"}}
    message = so.NOT_IN_RANGE.format(
        path="reviewRating", found="a Person object", property="reviewRating", range="Rating"
    )
    assert findings(doc) == [("error", "reviewRating", message)]


def test_an_object_of_a_subtype_is_inside_the_range() -> None:
    doc = {"@type": "ClaimReview", "reviewRating": {"@type": "AggregateRating"}}
    assert findings(doc) == []


def test_text_where_an_object_is_expected_is_outside_the_range() -> None:
    doc = {"@type": "ClaimReview", "author": "Jane Doe"}
    message = so.NOT_IN_RANGE.format(
        path="author",
        found="the text 'Jane Doe'",
        property="author",
        range="Organization or Person",
    )
    assert findings(doc) == [("error", "author", message)]


def test_an_object_where_only_text_is_expected_is_outside_the_range() -> None:
    doc = {"@type": "ClaimReview", "claimReviewed": {"@type": "Claim"}}
    assert [f[1] for f in findings(doc)] == ["claimReviewed"]
    assert findings(doc)[0][2] == so.NOT_IN_RANGE.format(
        path="claimReviewed", found="a Claim object", property="claimReviewed", range="Text"
    )


@pytest.mark.parametrize(
    "url", ["/claims/x/", "factcheck.example.org/x", "", "ftp://x.org/a", "https://x.org/a b"]
)
def test_a_url_must_be_absolute_http(url: str) -> None:
    assert findings({"@type": "ClaimReview", "url": url}) == [
        ("error", "url", so.NOT_A_URL.format(path="url", value=url))
    ]


def test_a_url_or_object_range_accepts_either() -> None:
    assert findings({"@type": "Organization", "logo": "https://x.org/l.png"}) == []
    assert findings({"@type": "Organization", "logo": {"@type": "ImageObject"}}) == []


@pytest.mark.parametrize(
    "value",
    ["2017-01-10", "2017-01-10T15:30:00Z", "2017-01-10T15:30:00.5+05:30", "2017-01-10T15:30"],
)
def test_iso_dates_and_date_times_are_accepted(value: str) -> None:
    assert findings({"@type": "ClaimReview", "datePublished": value}) == []


@pytest.mark.parametrize(
    "value",
    ["2020-06-24 00:03", "2020-03-27T10:46:13+0200", "10 January 2017", "2015-06-7", "2017-13-01"],
)
def test_other_date_formats_are_errors(value: str) -> None:
    message = so.NOT_A_DATE.format(
        path="datePublished",
        value=value,
        expected="date-time or date",
        example="2017-01-10T15:30:00+00:00",
    )
    assert findings({"@type": "ClaimReview", "datePublished": value}) == [
        ("error", "datePublished", message)
    ]


def test_a_date_only_property_says_so() -> None:
    message = so.NOT_A_DATE.format(
        path="foundingDate", value="2015", expected="date", example="2017-01-10"
    )
    assert findings({"@type": "Organization", "foundingDate": "2015"}) == [
        ("error", "foundingDate", message)
    ]


def test_numbers_fit_number_ranges_and_not_text_ones() -> None:
    assert findings({"@type": "Rating", "ratingValue": 3, "bestRating": 5.0}) == []
    message = so.NOT_IN_RANGE.format(
        path="ratingExplanation", found="the number 5", property="ratingExplanation", range="Text"
    )
    assert findings({"@type": "Rating", "ratingExplanation": 5}) == [
        ("error", "ratingExplanation", message)
    ]


def test_integer_ranges_want_whole_numbers() -> None:
    assert findings({"@type": "Comment", "upvoteCount": 3}) == []
    assert findings({"@type": "Comment", "upvoteCount": "3"}) == []
    assert [f[1] for f in findings({"@type": "Comment", "upvoteCount": 2.5})] == ["upvoteCount"]


def test_booleans_fit_boolean_ranges_only() -> None:
    assert findings({"@type": "CreativeWork", "isAccessibleForFree": True}) == []
    assert [f[1] for f in findings({"@type": "CreativeWork", "headline": False})] == ["headline"]


def test_enumeration_members_may_be_written_as_text() -> None:
    assert findings({"@type": "Offer", "availability": "https://schema.org/InStock"}) == []


def test_a_nested_object_without_type_is_an_error() -> None:
    doc = {"@type": "ClaimReview", "author": {"name": "Us"}}
    message = so.MISSING_TYPE.format(path="author", expected="Organization or Person")
    assert findings(doc) == [("error", "author", message)]


def test_a_document_without_type_is_an_error() -> None:
    message = so.MISSING_TYPE.format(path="(document)", expected="a schema.org type")
    assert findings({"name": "x"}) == [("error", "@type", message)]


def test_a_node_reference_stands_for_an_object() -> None:
    assert findings({"@type": "ClaimReview", "author": {"@id": "https://x.org/#org"}}) == []
    bad = findings({"@type": "ClaimReview", "headline": {"@id": "https://x.org/#h"}})
    assert [f[1] for f in bad] == ["headline"]


def test_value_objects_are_checked_as_their_value() -> None:
    assert findings({"@type": "ClaimReview", "headline": {"@value": "x", "@language": "en"}}) == []
    bad = findings({"@type": "ClaimReview", "url": {"@value": "/relative"}})
    assert bad == [("error", "url", so.NOT_A_URL.format(path="url", value="/relative"))]


def test_lists_are_checked_item_by_item() -> None:
    doc = {"@type": "Person", "sameAs": ["https://x.org/a", "not a url"]}
    assert findings(doc) == [
        ("error", "sameAs[1]", so.NOT_A_URL.format(path="sameAs[1]", value="not a url"))
    ]


def test_a_superseded_term_is_a_warning() -> None:
    doc = {"@type": "Organization", "members": {"@type": "Person"}}
    message = so.SUPERSEDED.format(path="members", term="members", replacement="member")
    assert findings(doc) == [("warning", "members", message)]


def test_a_null_value_is_a_warning() -> None:
    assert findings({"@type": "ClaimReview", "headline": None}) == [
        ("warning", "headline", so.NULL_VALUE.format(path="headline", property="headline"))
    ]


def test_another_context_is_an_error_and_not_read_further() -> None:
    doc = {"@context": "https://example.org/vocab", "@type": "Nonsense", "foo": 1}
    message = so.NOT_SCHEMA_CONTEXT.format(context="https://example.org/vocab")
    assert findings(doc) == [("error", "@context", message)]


@pytest.mark.parametrize(
    "context", ["https://schema.org", "http://schema.org/", "https://schema.org/"]
)
def test_the_schema_org_contexts_are_accepted(context: str) -> None:
    assert findings({"@context": context, "@type": "ClaimReview"}) == []


def test_a_graph_is_followed_node_by_node() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebPage"}, {"@type": "ClaimReview", "claimReviewd": "typo"}],
    }
    message = so.UNKNOWN_PROPERTY.format(
        path="@graph[1].claimReviewd", property="claimReviewd", release="30.0"
    )
    assert findings(doc) == [("error", "@graph[1].claimReviewd", message)]


def test_a_data_feed_of_claimreviews_checks_its_items() -> None:
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {
                "@type": "DataFeedItem",
                "dateCreated": "2017-03-02T15:30:00+00:00",
                "dateModified": "2017-03-02T15:30:00+00:00",
                "item": [{"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": "False"}],
            }
        ],
    }
    path = "dataFeedElement[0].item[0].reviewRating"
    message = so.NOT_IN_RANGE.format(
        path=path, found="the text 'False'", property="reviewRating", range="Rating"
    )
    assert findings(feed) == [("error", path, message)]


def test_absurd_nesting_is_reported_not_crashed_on() -> None:
    doc: dict[str, Any] = {"@type": "Thing"}
    node = doc
    for _ in range(100):
        node["subjectOf"] = {"@type": "CreativeWork"}
        node = node["subjectOf"]
    result = findings(doc)
    assert any(text.startswith(f"{path}: nested more than") for _, path, text in result)


@pytest.mark.parametrize(
    "junk", [None, 3, "x", [], [1, "a"], {"@type": 5}, {"@type": ["Thing", 3]}]
)
def test_junk_never_raises(junk: Any) -> None:
    check_vocabulary(junk)
