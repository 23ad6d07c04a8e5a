"""The demo newsroom, end to end: every published review's ClaimReview validates cleanly and is
the same document in the claim page, the API detail endpoint and the DataFeed."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from claims.claimreview import validate_claimreview
from claims.claimreview.schemaorg import check_vocabulary
from claims.models import Review

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def _demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "100000/min")
    call_command("load_demo", stdout=io.StringIO())


def page_claimreviews(client: Client, slug: str) -> list[dict[str, Any]]:
    response = client.get(f"/claims/{slug}/")
    assert response.status_code == 200
    documents = [json.loads(block) for block in LD_JSON.findall(response.content.decode())]
    return [d for d in documents if isinstance(d, dict) and d.get("@type") == "ClaimReview"]


def test_every_published_demo_review_is_one_document_everywhere(client: Client) -> None:
    published = list(Review.objects.published().select_related("claim"))
    assert len(published) >= 10
    response = client.get("/api/v1/feed/")
    feed = json.loads(b"".join(response.streaming_content))
    assert check_vocabulary(feed) == []
    in_feed = {e["item"][0]["url"]: e["item"][0] for e in feed["dataFeedElement"]}
    assert len(in_feed) == len(published)
    for review in published:
        slug = review.claim.slug
        detail = client.get(f"/api/v1/claim-reviews/{slug}/", HTTP_ACCEPT="application/ld+json")
        assert detail.status_code == 200
        document = detail.json()
        assert page_claimreviews(client, slug) == [document], slug
        assert {"@context": "https://schema.org", **in_feed[document["url"]]} == document, slug
        result = validate_claimreview(document)
        assert result.as_dict() == {"valid": True, "errors": [], "warnings": []}, slug


def test_the_demo_list_walks_every_published_review_once(client: Client) -> None:
    expected = {
        f"https://factcheck.example.org/claims/{slug}/"
        for slug in Review.objects.published().values_list("claim__slug", flat=True)
    }
    seen: list[str] = []
    url: str | None = "/api/v1/claim-reviews/?page_size=4"
    while url:
        page = client.get(url, HTTP_ACCEPT="application/json").json()
        seen += [r["url"] for r in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(expected)
