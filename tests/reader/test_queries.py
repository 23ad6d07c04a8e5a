"""Every reader page runs a constant number of queries, however many rows it shows.

Each page is measured with three or more fact checks, each with evidence and corrections, on
a cold cache (the render) and a warm one (a cache hit costs no query at all). The public state
is read once per process and bound (claims.public_state), so each measure reads it first, as
every request but a process's first would have.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from claims.public_state import forget as forget_public_state
from claims.public_state import public_state
from tests.helpers import make_fact_check

pytestmark = pytest.mark.django_db

# The public state (claims.public_state): the generation, its marks, the publications reached
# and due, in one query, when a process reads it.
STATE = 1


@pytest.fixture
def reviews() -> list:  # type: ignore[type-arg]
    first = make_fact_check(headline="Russians one", evidence=3, corrections=2)
    claimant = first.claim.claimant
    more = [make_fact_check(headline=f"Russians {n}", evidence=4, corrections=1) for n in range(3)]
    for review in more:  # one claimant with several claims, for the claimant page
        review.claim.claimant = claimant
        review.claim.save()
    return [first, *more]


def _twice(client: Client, url: str, queries: int, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    public_state()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):  # served from the page cache
        assert client.get(url).status_code == 200


def test_home_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # ratings of the default scale (filter), count of the page, the page of reviews with
    # claim, claimant and rating joined
    _twice(client, "/", 3, django_assert_num_queries)
    _twice(client, "/?rating=false", 3, django_assert_num_queries)


# The review's row with claim, claimant and rating joined and its scale's bounds as subqueries;
# on PostgreSQL its lists nested in it as arrays (topics, appearances, corrections, evidence
# with sources, the confirmed prior checks "Also checked by" with their publishers), on SQLite
# read by a query each (reader.claim_page).
CLAIM_PAGE_QUERIES = 1 if connection.vendor == "postgresql" else 6


def test_claim_page_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for review in reviews:
        _twice(
            client, f"/claims/{review.claim.slug}/", CLAIM_PAGE_QUERIES, django_assert_num_queries
        )


@pytest.mark.parametrize("count", [1, 50])
def test_claim_page_queries_do_not_grow_with_reviews_or_evidence(  # type: ignore[no-untyped-def]
    client: Client, django_assert_num_queries, count: int
) -> None:
    # issue 13: at most 8, at 1 and at 50 published reviews with 10 evidence items each
    made = [
        make_fact_check(headline=f"Check {n}", text=f"Claim {n} said.", evidence=10)
        for n in range(count)
    ]
    for review in {made[0], made[-1]}:  # the newest and the oldest
        _twice(
            client, f"/claims/{review.claim.slug}/", CLAIM_PAGE_QUERIES, django_assert_num_queries
        )


def test_embed_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the review with claim, claimant and rating joined
    _twice(client, f"/claims/{reviews[0].claim.slug}/embed/", 1, django_assert_num_queries)


def test_claimant_page_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the claimant (if they have a public review); reviews per rating; the ratings to chart;
    # count of the page; the page of reviews
    slug = reviews[0].claim.claimant.slug
    _twice(client, f"/claimants/{slug}/", 5, django_assert_num_queries)


def test_search_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "postgresql":
        # two steps, each a savepoint (in the test's transaction) around its query sent with
        # its statement_timeout (SAVEPOINT, set_config and the query, RELEASE): the capped
        # count with the ranked ids, the page with claim, claimant, rating and snippets; the
        # timeout put back at the end
        _twice(client, "/search/?q=russians", 2 * 3 + 1, django_assert_num_queries)
    else:
        # the capped count of matching public reviews; the page of them with claim, claimant
        # and rating
        _twice(client, "/search/?q=russians", 2, django_assert_num_queries)
    # no query, no search
    _twice(client, "/search/", 0, django_assert_num_queries)


def test_methodology_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the default scale; its ratings
    _twice(client, "/ratings/", 2, django_assert_num_queries)


def test_corrections_log_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # count of the page; the page of corrections with review and claim joined
    _twice(client, "/corrections/", 2, django_assert_num_queries)


def test_feed_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the latest reviews with claim, claimant and rating joined; the public record's latest
    # entries with their claim
    _twice(client, "/feeds/latest/", 2, django_assert_num_queries)


def test_sitemap_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the index: latest change and count of the claim pages, the same for the claimants
    _twice(client, "/sitemap.xml", 4, django_assert_num_queries)
    # a section: count, rows (claimants: their latest change as a subquery)
    _twice(client, "/sitemap-claims.xml", 2, django_assert_num_queries)
    _twice(client, "/sitemap-claimants.xml", 2, django_assert_num_queries)


def test_rating_styles_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # every rating
    _twice(client, "/ratings.css", 1, django_assert_num_queries)


def test_not_modified_costs_only_the_public_state(
    client: Client, reviews, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    etag = client.get("/")["ETag"]
    with django_assert_num_queries(0):
        assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_process_reads_the_public_state_in_one_query(
    client: Client, reviews, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get("/")
    forget_public_state()  # as a process that has not read it yet, or whose reading expired
    with django_assert_num_queries(STATE):
        assert client.get("/").status_code == 200
