"""The reader page, the public API's `q` and claims:search are one search: the same words find
the same fact checks whatever their case and accents, and none finds an unpublished review
(imported ones appear only in claims:search)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from claims.models import Review, ReviewStatus
from tests.helpers import ClaimantFactory, ClaimFactory, ReviewFactory, default_rating

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def page_slugs(client: Client, query: str) -> list[str]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return [part.split('/"', 1)[0] for part in html.split('href="/claims/')[1:]]


def api_slugs(api: APIClient, query: str) -> list[str]:
    response = api.get("/api/v1/claim-reviews/", {"q": query}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    return [r["url"].rstrip("/").rsplit("/", 1)[1] for r in response.json()["results"]]


def google_texts(api: APIClient, query: str) -> list[str]:
    response = api.get("/api/google/v1alpha1/claims:search", {"query": query})
    assert response.status_code == 200, response.content
    return [c["text"] for c in response.json().get("claims", [])]


def publish(text: str, *, name: str = "Someone", **fields: object) -> Review:
    at = NOW - datetime.timedelta(days=1)
    return ReviewFactory(
        claim=ClaimFactory(text=text, claimant=ClaimantFactory(name=name)),
        published=True,
        publish_at=at,
        date_published=at,
        **fields,
    )


@pytest.fixture
def sessions() -> Review:
    publish("The crowd was the largest ever.", name="Sean Spicer")
    return publish(
        "I did not have communications with the Russians.",
        name="Jeff Sessions",
        headline="Sessions met the ambassador",
    )


@pytest.mark.parametrize(
    "query",
    ["Rüssians", "RUSSIANS", "russians", "rUSSIÂNS jeff", "SÉSSIONS communicatıons"],
)
def test_every_entry_point_finds_the_sessions_fact_check_whatever_case_and_accents(
    client: Client, sessions: Review, query: str
) -> None:
    api = APIClient()
    assert sessions.claim.slug in page_slugs(client, query)
    assert api_slugs(api, query) == [sessions.claim.slug]
    assert google_texts(api, query) == [sessions.claim.text]


def test_accents_in_the_text_need_none_in_the_query(client: Client) -> None:
    review = publish("L'émigré de São Paulo a menti.", name="Łukasz Øster")
    api = APIClient()
    for query in ("emigre sao paulo", "ÉMIGRÉ", "lukasz oster"):
        assert page_slugs(client, query) == [review.claim.slug], query
        assert api_slugs(api, query) == [review.claim.slug], query
        assert google_texts(api, query) == [review.claim.text], query


def test_the_summary_and_short_text_are_searched_everywhere(client: Client) -> None:
    review = publish("A claim", summary="Kislyak met him twice.")
    claim = review.claim
    claim.short_text = "No contacts with the envoy"
    claim.save()
    api = APIClient()
    for query in ("kislyak", "envoy"):
        assert page_slugs(client, query) == [claim.slug], query
        assert api_slugs(api, query) == [claim.slug], query
        assert google_texts(api, query) == [claim.text], query


HIDDEN = {
    "draft": {},
    "in_review": {"status": ReviewStatus.IN_REVIEW},
    "approved": {"status": ReviewStatus.APPROVED, "rating": "rated"},
    "scheduled": {
        "status": ReviewStatus.PUBLISHED,
        "rating": "rated",
        "publish_at": NOW + datetime.timedelta(days=1),
        "date_published": NOW + datetime.timedelta(days=1),
    },
    "withdrawn": {
        "status": ReviewStatus.WITHDRAWN,
        "rating": "rated",
        "publish_at": NOW - datetime.timedelta(days=3),
        "date_published": NOW - datetime.timedelta(days=3),
        "withdrawn_at": NOW - datetime.timedelta(days=1),
        "withdrawal_note": "Withdrawn.",
    },
}


@pytest.mark.parametrize("state", list(HIDDEN))
def test_no_entry_point_finds_an_unpublished_review(client: Client, state: str) -> None:
    fields = dict(HIDDEN[state])
    if fields.pop("rating", None):
        fields["rating"] = default_rating()
    ReviewFactory(claim=ClaimFactory(text=f"Hidden Rüssians {state}"), headline="Hidden", **fields)
    api = APIClient()
    assert page_slugs(client, "russians") == []
    assert api_slugs(api, "russians") == []
    assert google_texts(api, "russians") == []


def test_imported_reviews_are_found_by_claims_search_only(client: Client) -> None:
    theirs = ReviewFactory(
        imported=True, claim=ClaimFactory(text="Imported Rüssians claim"), headline="Theirs"
    )
    api = APIClient()
    assert page_slugs(client, "russians") == []
    assert api_slugs(api, "russians") == []
    response = api.get("/api/google/v1alpha1/claims:search", {"query": "RUSSIANS"}).json()
    assert [r["url"] for r in response["claims"][0]["claimReview"]] == [theirs.external_url]
