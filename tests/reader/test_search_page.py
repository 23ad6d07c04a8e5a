"""The reader's search page, /search/: what it lists (published reviews only, paginated), its
empty and refused queries, its query count, and a change showing at once despite the page cache.
What a query matches is tested on `Review.objects.matching()` in tests/claims/test_search.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from claims.models import ReviewStatus
from matching.search import MAX_QUERY_LENGTH, QUERY_TOO_LONG
from tests.helpers import (
    ClaimFactory,
    ReviewFactory,
    default_rating,
    make_fact_check,
    search_review_ids,
)

pytestmark = pytest.mark.django_db


def test_search_finds_the_sessions_fact_check_by_russians(client: Client) -> None:
    review = make_fact_check()
    html = client.get("/search/?q=Russians").content.decode()
    assert "1 result for “Russians”" in html
    assert f'href="/claims/{review.claim.slug}/"' in html


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"status": ReviewStatus.IN_REVIEW},
        {"status": ReviewStatus.APPROVED},
        {"imported": True},
    ],
    ids=["draft", "in_review", "approved", "imported"],
)
def test_search_finds_only_published_reviews(client: Client, fields: dict) -> None:  # type: ignore[type-arg]
    ReviewFactory(
        claim=ClaimFactory(text="Secret Russians draft"),
        headline="Hidden Russians",
        **({"rating": default_rating()} if "imported" not in fields else {}),
        **fields,
    )
    assert search_review_ids("russians") == []
    assert b"0 results" in client.get("/search/?q=russians").content


def test_an_empty_search_shows_the_form_and_no_results(client: Client) -> None:
    make_fact_check()
    response = client.get("/search/?q=+")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html and "result" not in html.split("</form>", 1)[1].split("<footer")[0]


def test_a_too_long_search_is_refused_with_400(client: Client) -> None:
    response = client.get("/search/", {"q": "x" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400
    assert QUERY_TOO_LONG in response.content.decode()


def test_search_results_are_paginated(client: Client) -> None:
    from reader.views import PAGE_SIZE

    for n in range(PAGE_SIZE + 2):
        make_fact_check(headline=f"Russians check {n}", evidence=0, corrections=0)
    first = client.get("/search/?q=russians").content.decode()
    second = client.get("/search/?q=russians&page=2").content.decode()
    assert f"{PAGE_SIZE + 2} results" in first
    assert first.count('<li class="card">') == PAGE_SIZE
    assert second.count('<li class="card">') == 2
    assert 'href="?q=russians&amp;page=2"' in first


@pytest.mark.parametrize("rows", [3, 8])
def test_the_search_page_costs_the_same_whatever_the_rows(
    client: Client,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    rows: int,
) -> None:
    for n in range(rows):
        make_fact_check(headline=f"Rüssians check {n}", evidence=2, corrections=1)
    make_fact_check(text="Unrelated", headline="Unrelated", name="Someone else")
    if connection.vendor == "postgresql":
        # public_state(); two steps, each a savepoint (in the test's transaction) around its
        # query sent with its statement_timeout (SAVEPOINT, set_config and the query, RELEASE):
        # the capped count of matches with the ranked page of ids, the page's reviews with
        # claim, claimant, rating and snippet; the timeout put back.
        queries, searching = 1 + 2 * 3 + 1, ["ts_rank_cd", "ts_headline"]
    else:
        # public_state(); the capped count of matching public reviews; the page of them with
        # claim, claimant and rating joined.
        queries, searching = 3, ["search_text", "search_text"]
    with django_assert_num_queries(queries) as captured:
        html = client.get("/search/?q=RUSSIANS+check").content.decode()
    assert f"{rows} results" in html
    assert html.count('<li class="card">') == rows
    run = [q["sql"] for q in captured.captured_queries if "claims_review" in q["sql"]]
    assert [s for s in searching if any(s.lower() in q.lower() for q in run)] == searching
    # Nothing is read per review, nor the non-matching ones.
    assert len(run) == len(searching) + 1  # public_state reads claims_review too


@pytest.mark.parametrize("query", ["russ\x00ians", "\x00", "russians\x00"])
def test_a_nul_byte_in_the_query_is_dropped_not_sent_to_the_database(
    client: Client, query: str
) -> None:
    review = make_fact_check()
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    if query.strip("\x00"):
        assert f'href="/claims/{review.claim.slug}/"' in response.content.decode()


def test_the_search_page_finds_a_renamed_claimant_at_once(  # type: ignore[no-untyped-def]
    client, django_capture_on_commit_callbacks
) -> None:
    review = make_fact_check()  # by Jeff Sessions, published yesterday
    assert b"0 results" in client.get("/search/?q=beauregard").content
    with django_capture_on_commit_callbacks(execute=True):  # the page cache goes stale
        review.claim.claimant.name = "Jeff Beauregard Sessions"
        review.claim.claimant.save()
    assert b"1 result for" in client.get("/search/?q=beauregard").content
