"""The editorial API for claimants and claims: /api/v1/claimants/ and /api/v1/claims/."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Claimant, ReviewStatus
from claims.permissions import CLAIM_PUBLISHED_IS_LOCKED
from claims.services.claimants import CLAIMANT_HAS_CLAIMS
from claims.services.claims import CLAIM_HAS_REVIEWS
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    ReviewFactory,
    SourceFactory,
    TopicFactory,
    api,
    published_claim,
)

pytestmark = pytest.mark.django_db

CLAIMANTS = reverse("editorial-claimant-list")
CLAIMS = reverse("editorial-claim-list")


def claimant_url(claimant: Claimant) -> str:
    return reverse("editorial-claimant-detail", args=[claimant.pk])


def claim_url(claim: Claim) -> str:
    return reverse("editorial-claim-detail", args=[claim.pk])


# --- claimants ----------------------------------------------------------------------------------


def test_a_fact_checker_records_a_claimant(factchecker) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).post(
        CLAIMANTS,
        {
            "name": "Jeff Sessions",
            "kind": "person",
            "job_title": "Attorney General nominee",
            "same_as": ["https://en.wikipedia.org/wiki/Jeff_Sessions"],
            "id": 777,  # server-owned: ignored
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["slug"] == "jeff-sessions"
    assert data["id"] != 777
    assert data["same_as"] == ["https://en.wikipedia.org/wiki/Jeff_Sessions"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "person"}, "name"),
        ({"name": "X", "kind": "alien"}, "kind"),
        ({"name": "X", "same_as": ["not a url"]}, "same_as"),
        ({"name": "X", "same_as": "https://example.org/"}, "same_as"),
        ({"name": "X", "slug": "has spaces"}, "slug"),
    ],
)
def test_a_bad_claimant_gets_400(payload, field, factchecker) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).post(CLAIMANTS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Claimant.objects.exists()


def test_a_taken_claimant_slug_gets_400(factchecker) -> None:  # type: ignore[no-untyped-def]
    ClaimantFactory(slug="jeff-sessions")
    response = api(factchecker).post(CLAIMANTS, {"name": "J", "slug": "jeff-sessions"})
    assert response.status_code == 400
    assert "slug" in response.json()


def test_patching_a_claimant(factchecker) -> None:  # type: ignore[no-untyped-def]
    claimant = ClaimantFactory(name="Old")
    response = api(factchecker).patch(
        claimant_url(claimant), {"job_title": "Senator", "version": 1}
    )
    assert response.status_code == 200
    claimant.refresh_from_db()
    assert (claimant.name, claimant.job_title) == ("Old", "Senator")


def test_only_editors_delete_claimants_and_never_ones_with_claims(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    lonely, busy = ClaimantFactory(), ClaimFactory().claimant
    assert api(factchecker).delete(claimant_url(lonely)).status_code == 403
    response = api(editor).delete(claimant_url(busy))
    assert response.status_code == 409
    assert response.json()["detail"] == CLAIMANT_HAS_CLAIMS
    assert api(editor).delete(claimant_url(lonely)).status_code == 204
    assert list(Claimant.objects.all()) == [busy]


def test_claimants_for_outsiders(nobody, anonymous) -> None:  # type: ignore[no-untyped-def]
    claimant = ClaimantFactory()
    assert api().get(CLAIMANTS).status_code == 401
    assert api(nobody).get(CLAIMANTS).status_code == 403
    assert api(nobody).post(CLAIMANTS, {"name": "X"}).status_code == 403
    assert api(nobody).get(claimant_url(claimant)).status_code == 404


def test_the_claimant_list_query_count(factchecker, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        ClaimFactory()
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; count; the page.
    with django_assert_num_queries(5):
        response = client.get(CLAIMANTS)
    assert len(response.json()["results"]) == 3


# --- claims ---------------------------------------------------------------------------------


def test_a_fact_checker_records_a_claim_with_topics_and_appearances(factchecker) -> None:  # type: ignore[no-untyped-def]
    claimant = ClaimantFactory()
    TopicFactory(slug="russia-inquiry")
    response = api(factchecker).post(
        CLAIMS,
        {
            "text": "I did not have communications with the Russians.",
            "claimant": claimant.pk,
            "date_claimed": "2017-01-10",
            "venue": "Senate Judiciary Committee",
            "topics": ["russia-inquiry"],
            "appearances": [
                {"url": "https://www.c-span.org/video/?421296-1", "first": True},
                {"url": "https://www.judiciary.senate.gov/meetings/x", "title": "Hearing"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["slug"] == "i-did-not-have-communications-with-the-russians"
    assert data["topics"] == ["russia-inquiry"]
    assert [(a["url"], a["first"]) for a in data["appearances"]] == [
        ("https://www.c-span.org/video/?421296-1", True),
        ("https://www.judiciary.senate.gov/meetings/x", False),
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "text"),
        ({"text": "x", "topics": ["no-such-topic"]}, "topics"),
        ({"text": "x", "claimant": 999999}, "claimant"),
        ({"text": "x", "date_claimed": "10/01/2017"}, "date_claimed"),
        ({"text": "x", "language": "english please"}, "language"),
        ({"text": "x", "appearances": [{"url": "nope"}]}, "appearances"),
        (
            {
                "text": "x",
                "appearances": [
                    {"url": "https://a.example.org/", "first": True},
                    {"url": "https://b.example.org/", "first": True},
                ],
            },
            "appearances",
        ),
        (
            {
                "text": "x",
                "appearances": [
                    {"url": "https://a.example.org/"},
                    {"url": "https://a.example.org/"},
                ],
            },
            "appearances",
        ),
    ],
)
def test_a_bad_claim_gets_400(payload, field, factchecker) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).post(CLAIMS, payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert not Claim.objects.exists()


def test_patching_a_claim_replaces_topics_and_appearances_but_never_the_slug(factchecker) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    slug = claim.slug
    old_first = AppearanceFactory(claim=claim, first=True, url="https://a.example.org/1")
    AppearanceFactory(claim=claim, url="https://a.example.org/2")
    TopicFactory(slug="health")
    response = api(factchecker).patch(
        claim_url(claim),
        {
            "venue": "A press conference",
            "slug": "a-new-address",
            "version": 1,
            "topics": ["health"],
            "appearances": [
                {"url": "https://a.example.org/2", "first": True},
                {"url": "https://a.example.org/1", "title": "Second now"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    claim.refresh_from_db()
    assert (claim.venue, claim.slug) == ("A press conference", slug)
    assert list(claim.topics.values_list("slug", flat=True)) == ["health"]
    rows = list(claim.appearances.values_list("pk", "url", "first", "title"))
    assert rows[1] == (old_first.pk, "https://a.example.org/1", False, "Second now")
    assert rows[0][1:3] == ("https://a.example.org/2", True)


def claim_row(claim: Claim) -> dict[str, object]:
    return {
        # `version` counts edits: a topics change moves it without changing the fact check.
        "row": {
            k: v
            for k, v in Claim.objects.filter(pk=claim.pk).values().get().items()
            if k != "version"
        },
        "appearances": list(claim.appearances.values()),
        "topics": list(claim.topics.values_list("pk", flat=True)),
    }


# What a PATCH of a published claim may not change (DESIGN.md section 4: a published fact
# check changes only through a correction of the review).
LOCKED_PATCHES = [
    {"text": "Quietly reworded."},
    {"short_text": "Quietly shortened"},
    {"claimant": None},
    {"date_claimed": "2016-01-01"},
    {"venue": "Somewhere else"},
    {"language": "fr"},
    {"appearances": [{"url": "https://a.example.org/1", "first": True}]},
    {"appearances": []},
    {"venue": "Somewhere else", "topics": []},
]


@pytest.mark.parametrize("payload", LOCKED_PATCHES)
@pytest.mark.parametrize("scheduled", [False, True])
def test_patching_a_published_claim_gets_409_and_changes_nothing(  # type: ignore[no-untyped-def]
    payload, scheduled, factchecker
) -> None:
    future = timezone.now() + datetime.timedelta(days=3)
    claim = published_claim(publish_at=future) if scheduled else published_claim()
    before = claim_row(claim)
    response = api(factchecker).patch(
        claim_url(claim), {**payload, "version": claim.version}, format="json"
    )
    assert response.status_code == 409, response.json()
    assert response.json() == {"detail": CLAIM_PUBLISHED_IS_LOCKED, "code": "invalid_transition"}
    assert claim_row(claim) == before


def test_patching_a_published_claim_walks_the_cast(cast) -> None:  # type: ignore[no-untyped-def]
    claim = published_claim()
    before = claim_row(claim)
    expected = {
        "anonymous": 401,
        "nobody": 404,
        "factchecker": 409,
        "factchecker2": 409,
        "editor": 409,
        "publisher": 409,
        "superuser": 409,
    }
    got = {
        name: api(user)
        .patch(claim_url(claim), {"text": "Rewritten", "version": 1}, format="json")
        .status_code
        for name, user in cast.items()
    }
    assert got == expected
    assert claim_row(claim) == before


def test_a_published_claims_topics_and_its_own_values_may_be_sent(factchecker) -> None:  # type: ignore[no-untyped-def]
    claim = published_claim()
    data = api(factchecker).get(claim_url(claim)).json()
    before = claim_row(claim)
    topic = TopicFactory(slug="elections")
    response = api(factchecker).patch(
        claim_url(claim),
        {
            **{k: data[k] for k in ("text", "venue", "appearances", "version")},
            "topics": ["elections"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    after = claim_row(claim)
    assert after["topics"] == [topic.pk]
    assert (after["row"], after["appearances"]) == (before["row"], before["appearances"])


@pytest.mark.parametrize("status", [ReviewStatus.DRAFT, ReviewStatus.APPROVED])
def test_the_claim_of_an_unpublished_review_may_be_patched(status, factchecker) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(status=status)
    review.authors.add(factchecker)
    claim = review.claim
    response = api(factchecker).patch(
        claim_url(claim), {"text": "Reworded.", "version": 1}, format="json"
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.text == "Reworded."


def test_only_editors_delete_claims_and_never_ones_with_reviews(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    lonely, reviewed = ClaimFactory(), ReviewFactory().claim
    assert api(factchecker).delete(claim_url(lonely)).status_code == 403
    response = api(editor).delete(claim_url(reviewed))
    assert (response.status_code, response.json()["detail"]) == (409, CLAIM_HAS_REVIEWS)
    assert api(editor).delete(claim_url(lonely)).status_code == 204
    assert list(Claim.objects.all()) == [reviewed]


def test_claims_for_outsiders(nobody) -> None:  # type: ignore[no-untyped-def]
    claim = ReviewFactory(published=True).claim
    assert api().get(CLAIMS).status_code == 401
    assert api(nobody).get(CLAIMS).status_code == 403
    assert api(nobody).get(claim_url(claim)).status_code == 404
    assert api(nobody).patch(claim_url(claim), {"venue": "x"}).status_code == 404


@pytest.mark.parametrize("rows", [3, 6])
def test_the_claim_list_costs_the_same_whatever_the_rows(  # type: ignore[no-untyped-def]
    rows, factchecker, django_assert_num_queries
) -> None:
    for _ in range(rows):
        claim = ClaimFactory()
        claim.topics.add(TopicFactory(), TopicFactory())
        AppearanceFactory(claim=claim, first=True)
        AppearanceFactory(claim=claim)
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; count; the page; topics;
    # appearances.
    with django_assert_num_queries(7):
        response = client.get(CLAIMS)
    assert len(response.json()["results"]) == rows
    assert all(
        len(c["topics"]) == 2 and len(c["appearances"]) == 2 for c in response.json()["results"]
    )


def test_the_claimant_detail_query_count(factchecker, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    claimants = [ClaimFactory().claimant for _ in range(3)]
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; the claimant.
    with django_assert_num_queries(4):
        response = client.get(claimant_url(claimants[1]))
    assert response.json()["name"] == claimants[1].name


@pytest.mark.parametrize("rows", [3, 6])
def test_the_claim_detail_costs_the_same_whatever_its_lists(  # type: ignore[no-untyped-def]
    rows, factchecker, django_assert_num_queries
) -> None:
    claims = [ClaimFactory() for _ in range(3)]
    claim = claims[1]
    for i in range(rows):
        claim.topics.add(TopicFactory())
        AppearanceFactory(claim=claim, first=i == 0)
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; the claim; its topics; its
    # appearances.
    with django_assert_num_queries(6):
        response = client.get(claim_url(claim))
    assert (len(response.json()["topics"]), len(response.json()["appearances"])) == (rows, rows)


def test_who_may_patch_a_draft_claim_follows_the_reviews_authorship(cast) -> None:  # type: ignore[no-untyped-def]
    """An author of its review, or anyone who reviews (editors, publishers, superusers); a
    fact-checker who is not an author gets 403 and changes nothing."""
    review = ReviewFactory(status=ReviewStatus.DRAFT)
    review.authors.add(cast["factchecker"])
    claim = review.claim
    got = {}
    for name, user in cast.items():
        current = Claim.objects.get(pk=claim.pk)
        before = claim_row(claim)
        response = api(user).patch(
            claim_url(claim), {"venue": f"By {name}", "version": current.version}, format="json"
        )
        got[name] = response.status_code
        if response.status_code != 200:
            assert claim_row(claim) == before
    assert got == {
        "anonymous": 401,
        "nobody": 404,
        "factchecker": 200,
        "factchecker2": 403,
        "editor": 200,
        "publisher": 200,
        "superuser": 200,
    }
    assert Claim.objects.get(pk=claim.pk).version == 1 + 4


def test_a_claim_no_review_covers_is_open_to_every_role(factchecker2) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    response = api(factchecker2).patch(
        claim_url(claim), {"venue": "Anywhere", "version": 1}, format="json"
    )
    assert (response.status_code, response.json()["version"]) == (200, 2)


@pytest.mark.parametrize("kind", ["claimant", "claim", "source"])
def test_a_stale_version_gets_409_and_changes_nothing(kind: str, editor) -> None:  # type: ignore[no-untyped-def]
    row = {"claimant": ClaimantFactory, "claim": ClaimFactory, "source": SourceFactory}[kind]()
    url = f"/api/v1/{kind}s/{row.pk}/"
    field = {"claimant": "job_title", "claim": "venue", "source": "publisher"}[kind]
    client = api(editor)
    first = client.patch(url, {field: "First", "version": 1}, format="json")
    assert (first.status_code, first.json()["version"]) == (200, 2)
    stale = client.patch(url, {field: "Second", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert client.get(url).json()[field] == "First"
    missing = client.patch(url, {field: "Third"}, format="json")
    assert (missing.status_code, list(missing.json())) == (400, ["version"])


def test_an_edit_that_changes_nothing_keeps_the_version(editor) -> None:  # type: ignore[no-untyped-def]
    claimant = ClaimantFactory(job_title="Senator")
    response = api(editor).patch(
        claimant_url(claimant), {"job_title": "Senator", "version": 1}, format="json"
    )
    assert (response.status_code, response.json()["version"]) == (200, 1)
