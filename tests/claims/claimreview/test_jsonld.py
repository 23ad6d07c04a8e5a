"""Our JSON-LD read as a real consumer reads it: expanded with pyld against schema.org's context.

The context is served offline from the vendor data (schema.org release 30.0; its @vocab is
http://schema.org/). Every term we write must survive expansion and expand to a schema.org
term of the release: an unknown term would silently become http://schema.org/<typo>, and a
term without a mapping would be dropped.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rest_framework.test import APIClient

from claims.claimreview import build_claimreview
from claims.claimreview.schemaorg import vocabulary
from claims.models import ClaimantKind, Review
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    CorrectionFactory,
    ReviewFactory,
    default_rating,
)

pytestmark = pytest.mark.django_db

VOCAB = "http://schema.org/"
CONTEXT_URLS = {
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
}


@pytest.fixture
def loader(vendor_data: Path) -> Any:
    context = json.loads((vendor_data / "schemaorg" / "schemaorgcontext.jsonld").read_text())
    requested: list[str] = []

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        requested.append(url)
        if url not in CONTEXT_URLS:
            raise AssertionError(f"the test must not fetch {url}")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    load.requested = requested  # type: ignore[attr-defined]
    return load


def expand(doc: dict[str, Any], loader: Any) -> list[dict[str, Any]]:
    return jsonld.expand(doc, {"documentLoader": loader})


def compact_terms(node: Any) -> set[str]:
    """Every property name used in the compact document."""
    terms: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                terms.add(key)
            terms |= compact_terms(value)
    elif isinstance(node, list):
        for item in node:
            terms |= compact_terms(item)
    return terms


def expanded_iris(node: Any) -> tuple[set[str], set[str]]:
    """(property IRIs, type IRIs) in an expanded document; @id values are data, not terms."""
    properties: set[str] = set()
    types: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                types |= set(value if isinstance(value, list) else [value])
            elif key not in ("@id", "@value", "@language"):
                properties.add(key)
                p, t = expanded_iris(value)
                properties |= p
                types |= t
    elif isinstance(node, list):
        for item in node:
            p, t = expanded_iris(item)
            properties |= p
            types |= t
    return properties, types


def assert_expands_to_schema_org(doc: dict[str, Any], loader: Any) -> None:
    expanded = expand(doc, loader)
    assert expanded, "the document expanded to nothing"
    properties, types = expanded_iris(expanded)
    assert all(iri.startswith(VOCAB) for iri in properties | types), properties | types
    names = {iri.removeprefix(VOCAB) for iri in properties}
    # nothing dropped: every term written comes out as a property IRI, and nothing else does
    assert names == compact_terms(doc)
    vocab = vocabulary()
    assert names <= set(vocab.properties), names - set(vocab.properties)
    type_names = {iri.removeprefix(VOCAB) for iri in types}
    assert type_names <= set(vocab.parents), type_names - set(vocab.parents)


def rich_review(claimant: Any = None, **kwargs: Any) -> Review:
    claim = ClaimFactory(venue="A hearing", **({"claimant": claimant} if claimant else {}))
    AppearanceFactory(
        claim=claim,
        first=True,
        archived_url="https://web.archive.org/web/2017/https://video.example.org/1",
    )
    AppearanceFactory(claim=claim)
    at = datetime.datetime(2017, 3, 2, 15, 30, tzinfo=datetime.UTC)
    review = ReviewFactory(published=True, publish_at=at, date_published=at, claim=claim, **kwargs)
    CorrectionFactory(review=review, created_at=at + datetime.timedelta(days=1))
    return Review.objects.for_claimreview().get(pk=review.pk)


def test_a_full_claimreview_expands_without_losing_a_term(loader: Any, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_PUBLISHER_LOGO = "https://factcheck.example.org/logo.png"
    doc = build_claimreview(rich_review())
    assert_expands_to_schema_org(doc, loader)
    assert loader.requested == ["https://schema.org"]


@pytest.mark.parametrize("slug", ["false", "misleading"])
@pytest.mark.parametrize("kind", [ClaimantKind.PERSON, ClaimantKind.ORGANIZATION])
def test_every_rating_and_claimant_kind_expands_cleanly(loader: Any, slug: str, kind: str) -> None:
    claimant = ClaimantFactory(kind=kind, image_url="https://img.example.org/c.jpg")
    review = rich_review(claimant=claimant, rating=default_rating(slug))
    assert_expands_to_schema_org(build_claimreview(review), loader)


def test_the_expanded_document_says_what_we_mean(loader: Any) -> None:
    review = rich_review()
    expanded = expand(build_claimreview(review), loader)[0]
    assert expanded["@type"] == [f"{VOCAB}ClaimReview"]
    url = f"https://factcheck.example.org/claims/{review.claim.slug}/"
    assert expanded[f"{VOCAB}url"] == [{"@id": url}]  # a link, not a string
    rating = expanded[f"{VOCAB}reviewRating"][0]
    assert rating[f"{VOCAB}alternateName"] == [{"@value": "False"}]
    assert rating[f"{VOCAB}ratingValue"] == [{"@value": 1}]
    claim = expanded[f"{VOCAB}itemReviewed"][0]
    assert claim["@type"] == [f"{VOCAB}Claim"]
    assert claim[f"{VOCAB}datePublished"] == [{"@type": f"{VOCAB}Date", "@value": "2017-01-10"}]


def test_the_data_feed_expands_without_losing_a_term(loader: Any) -> None:
    rich_review()
    rich_review(rating=default_rating("unproven"))
    response = APIClient().get("/api/v1/feed/")
    feed = json.loads(b"".join(response.streaming_content))
    assert len(feed["dataFeedElement"]) == 2
    assert_expands_to_schema_org(feed, loader)


def test_a_misspelt_term_would_be_caught(loader: Any) -> None:
    doc = build_claimreview(rich_review())
    doc["claimReviewd"] = doc.pop("claimReviewed")
    with pytest.raises(AssertionError):
        assert_expands_to_schema_org(doc, loader)
