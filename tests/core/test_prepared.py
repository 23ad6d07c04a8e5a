"""core.prepared.PreparedQuery: a query compiled once gives what the QuerySet gives, for any
later arguments, and refuses a builder whose SQL depends on more than its arguments."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.utils import timezone

from claims.models import Correction, Review
from core.prepared import PreparedQuery
from tests.helpers import CorrectionFactory, make_fact_check

pytestmark = pytest.mark.django_db


def _by_claim(slug: str, now: datetime.datetime) -> QuerySet[Any, dict[str, Any]]:
    corrections = (
        Correction.objects.filter(review=OuterRef("pk"))
        .order_by("created_at", "id")
        .values(json=JSONObject(kind="kind", created_at="created_at"))
    )
    return (
        Review.objects.published(now=now)
        .filter(claim__slug=slug)
        .values("pk", "headline", "date_published", "claim__slug", "rating__label")
        .annotate(corrections=ArraySubquery(corrections))
    )


def _plain(slug: str, now: datetime.datetime) -> QuerySet[Any, dict[str, Any]]:
    return (
        Review.objects.published(now=now)
        .filter(claim__slug=slug)
        .values("pk", "headline", "date_published", "claim__slug", "rating__label")
    )


@pytest.mark.postgres
def test_rows_are_what_the_queryset_gives_for_every_later_argument() -> None:
    built: list[str] = []

    def build(slug: str, now: datetime.datetime) -> QuerySet[Any, dict[str, Any]]:
        built.append(slug)
        return _by_claim(slug, now)

    prepared = PreparedQuery(build, slug="", now=timezone.now())
    reviews = [make_fact_check(headline=f"Check {n}", text=f"Claim {n}.") for n in range(3)]
    CorrectionFactory(review=reviews[1])
    now = timezone.now()
    for review in reviews:
        expected = list(_by_claim(review.claim.slug, now))
        assert expected and prepared.rows(slug=review.claim.slug, now=now) == expected
    # Compiled once (twice with different markers, to check it), then only run.
    assert len(built) == 2 and all(s.startswith("\x00prepared-") for s in built)
    assert prepared.rows(slug="no-such-claim", now=now) == []
    # The time is an argument, not frozen: before a review's publication it is not there.
    before = reviews[0].date_published - datetime.timedelta(seconds=1)
    assert prepared.rows(slug=reviews[0].claim.slug, now=before) == []


@pytest.mark.postgres
def test_a_builder_whose_sql_depends_on_more_than_its_arguments_is_refused() -> None:
    make_fact_check()
    # timezone.now() inside the builder: the two compilations differ
    hidden = PreparedQuery(lambda slug: _plain(slug, timezone.now()), slug="")
    with pytest.raises(ValueError, match="depends on more than its arguments"):
        hidden.rows(slug="x")
    # an argument the SQL never sees
    ignored = PreparedQuery(lambda slug, now: _plain("fixed", now), slug="", now=timezone.now())
    with pytest.raises(ValueError, match="'slug' does not reach"):
        ignored.rows(slug="x", now=timezone.now())


def test_arguments_are_checked() -> None:
    prepared = PreparedQuery(_plain, slug="", now=timezone.now())
    with pytest.raises(TypeError, match="takes"):
        prepared.rows(slug="x")
    with pytest.raises(TypeError, match="no marker for a dict"):
        PreparedQuery(_plain, slug={}, now=timezone.now())


@pytest.mark.sqlite
def test_other_databases_run_the_queryset() -> None:
    review = make_fact_check()
    now = timezone.now()
    prepared = PreparedQuery(_plain, slug="", now=now)
    assert prepared.rows(slug=review.claim.slug, now=now) == list(_plain(review.claim.slug, now))
