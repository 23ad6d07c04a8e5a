"""/api/v1/feed/: every published review in one streamed schema.org DataFeed."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from rest_framework.test import APIClient

from claims.claimreview import build_claimreview, validate_claimreview
from claims.claimreview.schemaorg import check_vocabulary
from claims.models import Claim, Claimant, Review, ReviewStatus
from claims.public_state import public_state
from publishing import datafeed
from tests.helpers import (
    NOW,
    AppearanceFactory,
    ClaimFactory,
    CorrectionFactory,
    EvidenceFactory,
    ReviewFactory,
    default_rating,
    publish,
)

pytestmark = pytest.mark.django_db

FEED = "/api/v1/feed/"


def read_feed(api: APIClient, **headers: Any) -> tuple[StreamingHttpResponse, dict[str, Any]]:
    response = api.get(FEED, **headers)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, json.loads(b"".join(response.streaming_content))


def test_the_feed_is_a_data_feed_of_claimreviews(api: APIClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_PUBLISHER_NAME = "Example Checks"
    older = publish(days_ago=3)
    newer = publish(days_ago=1)
    CorrectionFactory(review=older, created_at=NOW - datetime.timedelta(days=2))
    response, feed = read_feed(api)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    assert feed["name"] == "Example Checks fact checks"
    assert feed["url"] == "https://factcheck.example.org/api/v1/feed/"
    assert feed["publisher"]["name"] == "Example Checks"
    items = feed["dataFeedElement"]
    assert [i["item"][0]["url"] for i in items] == [
        f"https://factcheck.example.org/claims/{newer.claim.slug}/",
        f"https://factcheck.example.org/claims/{older.claim.slug}/",
    ]
    first, second = items
    assert first["@type"] == "DataFeedItem"
    assert first["dateCreated"] == first["dateModified"] == first["item"][0]["datePublished"]
    assert second["dateModified"] == second["item"][0]["dateModified"] != second["dateCreated"]


def test_each_item_is_the_builders_claimreview_and_the_detail_endpoints(api: APIClient) -> None:
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, first=True)
    review = publish(claim=claim)
    _, feed = read_feed(api)
    item = feed["dataFeedElement"][0]["item"][0]
    fetched = Review.objects.for_claimreview().get(pk=review.pk)
    assert item == build_claimreview(fetched, context=False)
    detail = api.get(f"/api/v1/claim-reviews/{claim.slug}/", HTTP_ACCEPT="application/json")
    assert {"@context": "https://schema.org", **item} == detail.json()


def test_the_feed_fits_the_schema_org_vocabulary_and_its_items_validate(api: APIClient) -> None:
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, first=True)
    CorrectionFactory(review=publish(claim=claim))
    _, feed = read_feed(api)
    assert check_vocabulary(feed) == []
    for element in feed["dataFeedElement"]:
        result = validate_claimreview({"@context": "https://schema.org", **element["item"][0]})
        assert result.as_dict() == {"valid": True, "errors": [], "warnings": []}


def test_the_feed_holds_only_published_reviews(api: APIClient) -> None:
    public = publish()
    ReviewFactory()
    ReviewFactory(status=ReviewStatus.IN_REVIEW)
    ReviewFactory(status=ReviewStatus.APPROVED, rating=default_rating())
    publish(days_ago=-1)  # scheduled for tomorrow
    ReviewFactory(imported=True)
    ReviewFactory(
        status=ReviewStatus.WITHDRAWN,
        rating=default_rating(),
        publish_at=NOW - datetime.timedelta(days=3),
        date_published=NOW - datetime.timedelta(days=3),
        withdrawn_at=NOW - datetime.timedelta(days=1),
        withdrawal_note="Withdrawn.",
    )
    _, feed = read_feed(api)
    assert [e["item"][0]["headline"] for e in feed["dataFeedElement"]] == [public.headline]


def test_an_empty_feed_is_valid_json(api: APIClient) -> None:
    _, feed = read_feed(api)
    assert feed["dataFeedElement"] == []


def test_json_ld_is_served_when_asked(api: APIClient) -> None:
    publish()
    response, feed = read_feed(api, HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert feed["@type"] == "DataFeed"


def test_a_hostile_format_or_accept_never_breaks_the_feed(api: APIClient) -> None:
    publish()
    assert api.get(FEED, {"format": "xml"}).status_code == 404
    assert api.get(FEED, HTTP_ACCEPT="text/html").status_code == 406
    response = api.get(FEED, {"cursor": "\x00", "page_size": "x"})
    assert response.status_code == 400  # the feed takes no such parameters
    assert sorted(response.json()) == ["cursor", "page_size"]


def _bulk_publish(count: int) -> None:
    """`count` published reviews, each on its own claim, in a few INSERTs."""
    claimant = Claimant.objects.create(name="Bulk Claimant", slug="bulk-claimant")
    rating = default_rating()
    claims = Claim.objects.bulk_create(
        Claim(
            text=f"Bulk claim number {i} was said.",
            short_text=f"Bulk claim {i}",
            slug=f"bulk-claim-{i}",
            claimant=claimant,
            date_claimed=datetime.date(2020, 1, 1),
        )
        for i in range(count)
    )
    at = NOW - datetime.timedelta(days=1)
    Review.objects.bulk_create(
        Review(
            claim=claim,
            rating=rating,
            headline=f"Bulk review {i}",
            summary="Short.",
            status=ReviewStatus.PUBLISHED,
            publish_at=at - datetime.timedelta(seconds=i),
            date_published=at - datetime.timedelta(seconds=i),
        )
        for i, claim in enumerate(claims)
    )


def test_the_feed_of_ten_thousand_reviews_streams_every_one(api: APIClient) -> None:
    _bulk_publish(10_000)
    response = api.get(FEED)
    assert response.status_code == 200
    assert response.streaming
    assert isinstance(response, StreamingHttpResponse)
    pieces = 0
    body = bytearray()
    for chunk in response.streaming_content:
        pieces += 1
        body += chunk
    feed = json.loads(bytes(body))
    assert len(feed["dataFeedElement"]) == 10_000
    assert len({e["item"][0]["url"] for e in feed["dataFeedElement"]}) == 10_000
    # written piece by piece, not built whole and sent at once
    assert pieces > 10_000 // datafeed.FEED_CHUNK_SIZE


@pytest.mark.parametrize(("rows", "chunk_size", "queries"), [(3, 500, 3), (6, 2, 1 + 3 * 2)])
def test_the_feed_takes_at_most_two_queries_per_chunk(
    api: APIClient,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    rows: int,
    chunk_size: int,
    queries: int,
) -> None:
    for i in range(rows):
        claim = ClaimFactory()
        AppearanceFactory.create_batch(3, claim=claim)
        review = publish(days_ago=i + 1, claim=claim)
        EvidenceFactory.create_batch(3, review=review)
        CorrectionFactory.create_batch(2, review=review)
    monkeypatch.setattr(datafeed, "FEED_CHUNK_SIZE", chunk_size)
    public_state()
    # 1 the reviews with claim, claimant and rating joined and the scale's bounds (one query
    # read in chunks through a cursor); then per chunk of FEED_CHUNK_SIZE: appearances,
    # corrections, except on PostgreSQL, where the rows carry them. Evidence is not read: the
    # ClaimReview does not carry it.
    if connection.vendor == "postgresql":
        queries = 1
    with django_assert_num_queries(queries):
        response = api.get(FEED)
        feed = json.loads(b"".join(response.streaming_content))
    assert len(feed["dataFeedElement"]) == rows
