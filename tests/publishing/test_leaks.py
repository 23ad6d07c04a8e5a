"""Nothing unpublished leaks through the public API, the feed or the Google-compatible search.

Reviews in every state (draft, in review, approved, published, scheduled for later, withdrawn)
and other publishers' imported reviews are walked through every public endpoint and filter;
exactly the public set appears. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from claims.models import Review, ReviewStatus
from tests.helpers import (
    ClaimantFactory,
    ClaimFactory,
    PublisherFactory,
    ReviewFactory,
    TopicFactory,
    default_rating,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
HIDDEN_MARK = "HIDDENMARK"  # in every text of a review the public must not see from us
IMPORTED_MARK = "IMPORTEDMARK"  # in every text of another publisher's review


@pytest.fixture(autouse=True)
def _no_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    # This walk makes hundreds of anonymous requests; the throttle has its own tests.
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "100000/min")


class World:
    """Reviews in every state, each on its own claim, claimant, topic, rating and language so
    that every filter value exists for hidden reviews too."""

    def __init__(self) -> None:
        self.public: list[Review] = []
        self.hidden: list[Review] = []
        self.imported: list[Review] = []
        ratings = ["true", "mostly-true", "half-true", "mostly-false", "false"]
        for i in range(3):
            at = NOW - datetime.timedelta(days=10 - i)
            self.public.append(
                ReviewFactory(
                    published=True,
                    publish_at=at,
                    date_published=at,
                    claim=self._claim(f"public{i}", mark="shown"),
                    headline=f"Public verdict {i} leakwalk",
                    rating=default_rating(ratings[i]),
                    language="en",
                )
            )
        past = NOW - datetime.timedelta(days=5)
        hidden_specs: dict[str, dict[str, Any]] = {
            "draft": {},
            "inreview": {"status": ReviewStatus.IN_REVIEW},
            "approved": {"status": ReviewStatus.APPROVED},
            "scheduled": {
                "status": ReviewStatus.PUBLISHED,
                "publish_at": NOW + datetime.timedelta(days=2),
                "date_published": NOW + datetime.timedelta(days=2),
            },
            "withdrawn": {
                "status": ReviewStatus.WITHDRAWN,
                "publish_at": past,
                "date_published": past,
                "withdrawn_at": NOW - datetime.timedelta(days=1),
                "withdrawal_note": f"{HIDDEN_MARK} withdrawn",
            },
        }
        for state, extra in hidden_specs.items():
            self.hidden.append(
                ReviewFactory(
                    claim=self._claim(state, mark=HIDDEN_MARK),
                    headline=f"{HIDDEN_MARK} {state} leakwalk",
                    summary=f"{HIDDEN_MARK} summary",
                    rating=default_rating("misleading"),
                    language="pt-BR",
                    **extra,
                )
            )
        for i in range(2):
            at = NOW - datetime.timedelta(days=3 + i)
            self.imported.append(
                ReviewFactory(
                    imported=True,
                    publisher=PublisherFactory(site=f"other{i}.example.net"),
                    publish_at=at,
                    date_published=at,
                    claim=self._claim(f"imported{i}", mark=IMPORTED_MARK),
                    headline=f"{IMPORTED_MARK} verdict {i} leakwalk",
                    rating_label=f"{IMPORTED_MARK} rating",
                    language="pt-BR",
                )
            )
        # Our draft on the claim of an imported review: the search shows theirs, never ours.
        self.hidden.append(
            ReviewFactory(
                claim=self.imported[0].claim,
                headline=f"{HIDDEN_MARK} draft beside imported leakwalk",
                rating=default_rating("unproven"),
            )
        )

    @staticmethod
    def _claim(name: str, *, mark: str) -> Any:
        claimant = ClaimantFactory(slug=f"claimant-{name}", name=f"Claimant {name} {mark}")
        claim = ClaimFactory(
            slug=f"claim-{name}",
            text=f"Claim {name} {mark} leakwalk",
            short_text=f"Claim {name}",
            claimant=claimant,
        )
        claim.topics.add(TopicFactory(slug=f"topic-{name}", name=f"Topic {name}"))
        return claim

    @property
    def everything(self) -> list[Review]:
        return self.public + self.hidden + self.imported

    def public_urls(self) -> set[str]:
        return {f"https://factcheck.example.org/claims/{r.claim.slug}/" for r in self.public}


@pytest.fixture
def world() -> World:
    return World()


def fetch(api: APIClient, url: str, params: dict[str, Any] | None = None) -> tuple[int, str]:
    response = api.get(url, params or {}, HTTP_ACCEPT="application/json")
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    return response.status_code, body


def assert_clean(body: str) -> None:
    assert HIDDEN_MARK not in body
    assert IMPORTED_MARK not in body


def walk_list(api: APIClient, params: dict[str, Any]) -> set[str]:
    """Every ClaimReview url on every page (next links, then back through previous links)."""
    status, body = fetch(api, "/api/v1/claim-reviews/", {**params, "page_size": 1})
    assert status == 200, body
    seen: list[str] = []
    page = json.loads(body)
    pages = [page]
    while True:
        assert_clean(json.dumps(page))
        seen += [r["url"] for r in page["results"]]
        if not page["next"]:
            break
        status, body = fetch(api, page["next"])
        assert status == 200
        page = json.loads(body)
        pages.append(page)
    back: list[str] = []
    while page["previous"]:
        status, body = fetch(api, page["previous"])
        assert status == 200
        page = json.loads(body)
        assert_clean(body)
        back += [r["url"] for r in page["results"]]
    assert len(seen) == len(set(seen)), "a review appeared twice"
    assert set(back) <= set(seen)
    return set(seen)


def test_the_list_shows_exactly_the_public_reviews_in_every_ordering(
    api: APIClient, world: World
) -> None:
    for ordering in ("-published", "published", "-modified", "modified"):
        assert walk_list(api, {"ordering": ordering}) == world.public_urls()


def test_no_filter_value_reaches_a_hidden_review(api: APIClient, world: World) -> None:
    public = world.public_urls()
    values: dict[str, set[str]] = {
        "claimant": {r.claim.claimant.slug for r in world.everything},
        "topic": {t.slug for r in world.everything for t in r.claim.topics.all()},
        "rating": {r.rating.slug for r in world.everything if r.rating},
        "language": {"en", "pt", "pt-BR"},
        "q": {HIDDEN_MARK, IMPORTED_MARK, "leakwalk", "withdrawn", "claim", "summary"},
        "published_after": {(NOW - datetime.timedelta(days=30)).isoformat(), "2000-01-01"},
        "published_before": {(NOW + datetime.timedelta(days=30)).isoformat(), "2100-01-01"},
    }
    public_names = {
        "claimant": {r.claim.claimant.slug for r in world.public},
        "topic": {t.slug for r in world.public for t in r.claim.topics.all()},
    }
    for name, options in values.items():
        for value in options:
            if name in public_names and value not in public_names[name]:
                # Known only from unpublished work: the same 400 as a name that never existed.
                hidden = fetch(api, "/api/v1/claim-reviews/", {name: value})
                never = fetch(api, "/api/v1/claim-reviews/", {name: "never-existed-at-all"})
                assert hidden == never
                assert hidden[0] == 400, hidden
                continue
            found = walk_list(api, {name: value})
            assert found <= public, (name, value)
    # and the public reviews are still reachable through their own values
    for review in world.public:
        url = f"https://factcheck.example.org/claims/{review.claim.slug}/"
        assert walk_list(api, {"claimant": review.claim.claimant.slug}) == {url}
        assert walk_list(api, {"q": "leakwalk"}) == public


def test_details_answer_for_public_reviews_only(api: APIClient, world: World) -> None:
    for review in world.public:
        status, body = fetch(api, f"/api/v1/claim-reviews/{review.claim.slug}/")
        assert status == 200
        assert_clean(body)
    for review in world.hidden + world.imported:
        status, body = fetch(api, f"/api/v1/claim-reviews/{review.claim.slug}/")
        assert status == 404, review.headline
        assert_clean(body)
        assert review.claim.slug not in body


def test_the_feed_holds_exactly_the_public_reviews(api: APIClient, world: World) -> None:
    status, body = fetch(api, "/api/v1/feed/")
    assert status == 200
    assert_clean(body)
    feed = json.loads(body)
    assert {e["item"][0]["url"] for e in feed["dataFeedElement"]} == world.public_urls()
    assert len(feed["dataFeedElement"]) == len(world.public)


def test_rating_statistics_count_only_public_reviews(api: APIClient, world: World) -> None:
    status, body = fetch(api, "/api/v1/ratings/")
    assert status == 200
    assert_clean(body)
    counts = {r["slug"]: r["published_reviews"] for r in json.loads(body)["ratings"]}
    expected = {slug: 0 for slug in counts}
    for review in world.public:
        expected[review.rating.slug] += 1
    assert counts == expected
    assert counts["misleading"] == counts["unproven"] == 0


def test_the_google_search_shows_public_and_imported_reviews_only(
    api: APIClient, world: World
) -> None:
    shown: set[str] = set()
    params: dict[str, Any] = {"query": "leakwalk", "pageSize": 2}
    while True:
        status, body = fetch(api, "/api/google/v1alpha1/claims:search", params)
        assert status == 200, body
        assert HIDDEN_MARK not in body
        page = json.loads(body)
        for claim in page.get("claims", []):
            shown |= {r["url"] for r in claim["claimReview"]}
        if "nextPageToken" not in page:
            break
        params["pageToken"] = page["nextPageToken"]
    assert shown == world.public_urls() | {r.external_url for r in world.imported}


@pytest.mark.parametrize(
    "params",
    [
        {"query": HIDDEN_MARK},
        {"query": "withdrawn"},
        {"query": "draft beside"},
        {"reviewPublisherSiteFilter": "factcheck.example.org"},
        {"query": "leakwalk", "languageCode": "pt"},
        {"query": "leakwalk", "maxAgeDays": 100000},
    ],
)
def test_no_google_parameter_reaches_a_hidden_review(
    api: APIClient, world: World, params: dict[str, Any]
) -> None:
    status, body = fetch(api, "/api/google/v1alpha1/claims:search", {**params, "pageSize": 100})
    assert status == 200
    page = json.loads(body)
    urls = {r["url"] for c in page.get("claims", []) for r in c["claimReview"]}
    assert urls <= world.public_urls() | {r.external_url for r in world.imported}
    titles = [r.get("title", "") for c in page.get("claims", []) for r in c["claimReview"]]
    assert not any(HIDDEN_MARK in t for t in titles)
