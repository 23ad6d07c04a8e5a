"""The ClaimReviews built from rows (claims.claimreview.rows: the public list, detail and
DataFeed; reader.claim_page: the claim page) are exactly what `build_claimreview()` gives for
the same reviews, for every demo review and for generated reviews that use every optional
field, and every absent one.

Runs on SQLite and, with DATABASE_URL pointing at PostgreSQL, on PostgreSQL: the rows come
from each database's own types (dates, JSON, time zones).
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.claimreview import build_claimreview
from claims.claimreview.rows import (
    claimreview_chunks,
    claimreview_one,
    claimreview_page,
    claimreview_values,
    published_claimreview,
)
from claims.claimreview.rows import claimreviews as rows_claimreviews
from claims.models import ClaimantKind, CorrectionKind, Review
from reader.claim_page import claim_page, page_rows
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    CorrectionFactory,
    RatingFactory,
    RatingScaleFactory,
    default_rating,
    publish,
)

pytestmark = pytest.mark.django_db


def _by_instances(reviews: list[Review], *, context: bool = True) -> list[str]:
    """What build_claimreview() gives, as the JSON text the API sends."""
    return [json.dumps(build_claimreview(r, context=context), sort_keys=False) for r in reviews]


def _assert_rows_match(queryset) -> None:  # type: ignore[no-untyped-def]
    reviews = list(queryset.for_claimreview().order_by("-date_published", "-id"))
    assert reviews
    expected = _by_instances(reviews)
    ordered = queryset.order_by("-date_published", "-id")
    # the list: one page of rows
    assert [json.dumps(d) for d in rows_claimreviews(list(claimreview_values(ordered)))] == expected
    public = [r for r in reviews if r.is_public()]
    # the API's detail of each public one
    assert [json.dumps(published_claimreview(r.claim.slug)) for r in public] == _by_instances(
        public
    )
    # the public list as the API reads a page: its ids, then their rows (claimreview_page)
    page = claimreview_page(ordered.published()[:1000], "date_published")
    assert [json.dumps(d) for d in rows_claimreviews(page)] == _by_instances(public)
    # the detail: one review at a time (its corrections joined)
    assert [json.dumps(claimreview_one(queryset.filter(pk=r.pk))) for r in reviews] == expected
    # the DataFeed: chunks through a cursor, without @context
    fed = [json.dumps(d) for chunk in claimreview_chunks(ordered, chunk_size=3) for d in chunk]
    assert fed == _by_instances(reviews, context=False)
    # the claim page (reader.claim_page): each review's page row (of those with a page)
    now = timezone.now()
    paged = queryset.with_public_page(now=now).for_claimreview().order_by("-date_published", "-id")
    rows = [next(r for r in page_rows(p.claim.slug, now) if r["pk"] == p.pk) for p in paged]
    assert rows
    assert [json.dumps(claim_page(row, now).claimreview()) for row in rows] == _by_instances(
        list(paged)
    )


def test_every_demo_review_is_the_same_from_rows() -> None:
    call_command("load_demo", verbosity=0)
    assert Review.objects.published().count() >= 10
    _assert_rows_match(Review.objects.published())
    # the withdrawn and scheduled ones too (the builder serves the admin's preview of them)
    _assert_rows_match(Review.objects.ours().exclude(date_published=None))


def test_reviews_with_every_optional_field_and_none_are_the_same_from_rows() -> None:
    scale = RatingScaleFactory()
    on_scale = [
        RatingFactory(scale=scale, value=v, image_url=f"https://img.example/{v}.png")
        for v in (2, 3, 7)
    ]
    unvalued = RatingFactory(scale=scale, value=None, image_url="")
    people = [
        ClaimantFactory(
            kind=ClaimantKind.PERSON,
            job_title="Senator",
            same_as=["https://en.wikipedia.org/wiki/A", "https://www.wikidata.org/wiki/Q1"],
            image_url="https://img.example/a.jpg",
        ),
        # an organization with a job title: jobTitle is left out
        ClaimantFactory(kind=ClaimantKind.ORGANIZATION, job_title="Ignored", same_as=[]),
        ClaimantFactory(kind=ClaimantKind.PERSON, job_title="", same_as=[], image_url=""),
    ]
    hostile = 'He said "</script><script>alert(1)</script>" \u2028 and \u00e9t\u00e9 \U0001f600'
    claims = [
        ClaimFactory(claimant=people[0], short_text="A short form", venue="A hearing"),
        ClaimFactory(claimant=people[1], text="  Spaced\n\nout   text " * 20, short_text=""),
        ClaimFactory(claimant=None, date_claimed=None, venue="", text=hostile, language="pt-BR"),
        ClaimFactory(claimant=people[2], language="es-419"),
        ClaimFactory(claimant=people[0]),
    ]
    AppearanceFactory(
        claim=claims[0], first=True, archived_url="https://archive.example/1", order=2
    )
    AppearanceFactory(claim=claims[0], title="", date=None, order=1)
    AppearanceFactory(claim=claims[1], first=False)
    AppearanceFactory(claim=claims[3], first=True, title="", archived_url="", date=None)
    ratings = [on_scale[0], on_scale[2], unvalued, default_rating("true"), default_rating()]
    for i, (claim, rating) in enumerate(zip(claims, ratings, strict=True)):
        review = publish(
            days_ago=i + 1,
            claim=claim,
            rating=rating,
            summary="" if i == 1 else f"Summary {i} with {hostile}",
            language=claim.language,
        )
        if i in (0, 2):
            review.date_modified = review.date_published + datetime.timedelta(hours=3)
            review.save()
        if i in (0, 3):
            for kind in (CorrectionKind.CORRECTION, CorrectionKind.VERDICT_CHANGE):
                CorrectionFactory(
                    review=review,
                    kind=kind,
                    note=f"{kind} note {hostile}",
                    created_at=review.date_published + datetime.timedelta(days=2, seconds=i),
                )
    _assert_rows_match(Review.objects.published())
