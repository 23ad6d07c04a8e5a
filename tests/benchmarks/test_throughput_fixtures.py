"""The throughput benchmark's seeding and its limit view, on a tiny database.

The benchmark divides every figure by the limit view's, so the limit must serve what the
public list serves, and the seeded data must be data the site accepts. Both use PostgreSQL-only
SQL (benchmarks/seed.py, benchmarks/limit.py).
"""

from __future__ import annotations

import pytest

from benchmarks import seed
from claims.claimreview import build_claimreview, validate_claimreview
from claims.models import Correction, Evidence, Review, ReviewStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.urls("benchmarks.urls")]

REVIEWS = 30  # every tenth has a correction: 3


@pytest.fixture
def seeded() -> None:
    seed.seed(REVIEWS, 3, progress=False, vacuum=False)


@pytest.mark.usefixtures("seeded")
def test_seed_makes_valid_published_reviews_with_their_evidence_and_corrections() -> None:
    assert seed.seeded() == (REVIEWS, 3, seed.SEED_VERSION)
    public = Review.objects.published()
    assert public.count() == REVIEWS
    assert Review.objects.filter(status=ReviewStatus.DRAFT).count() == 1
    assert Evidence.objects.filter(review__in=public).count() == 3 * REVIEWS
    assert Correction.objects.filter(review__in=public).count() == REVIEWS // 10
    assert seed.check_search_text(sample=REVIEWS + 1) == 0
    for review in public.for_claimreview():
        result = validate_claimreview(build_claimreview(review))
        assert result.errors == [], (review.pk, result.errors)
        assert result.warnings == [], (review.pk, result.warnings)


@pytest.mark.usefixtures("seeded")
def test_limit_serves_the_public_lists_first_page_in_two_queries(
    client, django_assert_num_queries
) -> None:
    url = "?page_size=20&published_before=2999-01-01T00:00:00.000001Z"
    public = client.get(f"/api/v1/claim-reviews/{url}")
    with django_assert_num_queries(2):  # the reviews with their corrections; appearances
        limit = client.get(f"/bench/limit/{url}")
    assert public.status_code == limit.status_code == 200
    expected, got = public.json(), limit.json()
    assert [r["url"] for r in got["results"]] == [r["url"] for r in expected["results"]]
    assert len(got["results"]) == 20
    assert got["results"] == expected["results"]
    # the same cursor as the list's next link
    assert got["next"].split("cursor=")[1].split("&")[0] in expected["next"]


@pytest.mark.usefixtures("seeded")
def test_limit_gives_every_review_with_corrections_as_the_public_list(client) -> None:
    public = client.get("/api/v1/claim-reviews/?page_size=50").json()
    limit = client.get("/bench/limit/?page_size=50").json()
    assert len(limit["results"]) == REVIEWS
    assert sum("correction" in r for r in limit["results"]) == REVIEWS // 10
    assert limit["results"] == public["results"]
    assert limit["next"] is None
