"""Every reader page runs a constant number of queries, however many rows it shows.

Each page is measured with three or more fact checks, each with evidence and corrections, on
a cold cache (the render) and a warm one (a cache hit costs only `public_state()`).
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import make_fact_check

pytestmark = pytest.mark.django_db

# public_state(): the latest publication time reached (its generation token is in the cache).
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
    with django_assert_num_queries(STATE + queries):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(STATE):  # served from the page cache
        assert client.get(url).status_code == 200


def test_home_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # ratings of the default scale (filter), count of the page, the page of reviews with
    # claim, claimant and rating joined
    _twice(client, "/", 3, django_assert_num_queries)
    _twice(client, "/?rating=false", 3, django_assert_num_queries)


def test_claim_page_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the review with claim, claimant, rating, scale and publisher joined; appearances;
    # corrections; the scale's ratings (best/worst); evidence with sources; topics; the
    # confirmed prior checks ("Also checked by") with their publishers
    for review in reviews:
        _twice(client, f"/claims/{review.claim.slug}/", 7, django_assert_num_queries)


def test_embed_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the review with claim, claimant and rating joined
    _twice(client, f"/claims/{reviews[0].claim.slug}/embed/", 1, django_assert_num_queries)


def test_claimant_page_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the claimant (if they have a public review); reviews per rating; the ratings to chart;
    # count of the page; the page of reviews
    slug = reviews[0].claim.claimant.slug
    _twice(client, f"/claimants/{slug}/", 5, django_assert_num_queries)


def test_search_queries(client: Client, reviews, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # the count of matching public reviews; the page of them with claim, claimant and rating
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
    # the latest reviews with claim, claimant and rating joined
    _twice(client, "/feeds/latest/", 1, django_assert_num_queries)


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
    with django_assert_num_queries(STATE):
        assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
