"""ClaimReviews straight from a few shaped queries, for the public list, detail and DataFeed.

No model instances: the reviews' columns the JSON-LD uses (`ROW_FIELDS`, with the bounds of the
rating's scale as two subqueries) in one `values()` query, with the claims' appearances and the
reviews' corrections nested as arrays on PostgreSQL (one query in all), or on SQLite read by one
query each, whatever the number of reviews or of their evidence.
`claimreview_from_row()` makes the dicts, so they are exactly what `build_claimreview()` gives
for the same reviews (tests/claims/claimreview/test_rows.py compares them).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Max, Min, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.utils import timezone

from claims.claimreview.builder import (
    ROW_FIELDS,
    Appearance,
    CorrectionRow,
    JsonDict,
    claimreview_from_row,
    publisher_jsonld,
)
from claims.models import Appearance as AppearanceModel
from claims.models import Correction, Review, scale_bound
from core.prepared import PreparedQuery

Row = dict[str, Any]


def claimreview_values(reviews: QuerySet[Review], *extra: str) -> QuerySet[Review, Row]:
    """`reviews` as rows of what the JSON-LD needs (and the `extra` values): one query.

    On PostgreSQL each row also carries its claim's appearances and its corrections, as arrays
    of JSON objects (`nested_appearances`, `nested_corrections`), so nothing more is queried.
    """
    rows = reviews.values(*ROW_FIELDS, *extra).annotate(
        worst=scale_bound(Min), best=scale_bound(Max)
    )
    if connection.vendor != "postgresql":
        return rows
    appearances = (
        AppearanceModel.objects.filter(claim=OuterRef("claim_id"))
        .order_by("order", "id")
        .values(
            json=JSONObject(
                url="url", archived_url="archived_url", title="title", date="date", first="first"
            )
        )
    )
    corrections = (
        Correction.objects.filter(review=OuterRef("pk"))
        .order_by("created_at", "id")
        .values(json=JSONObject(created_at="created_at", kind="kind", note="note"))
    )
    return rows.annotate(
        nested_appearances=ArraySubquery(appearances),
        nested_corrections=ArraySubquery(corrections),
    )


def _values_of_ids(ids: list[int], now: datetime.datetime) -> QuerySet[Review, Row]:
    # Still published (at the same instant): one withdrawn between the two queries is left out.
    return claimreview_values(
        Review.objects.published(now=now).filter(
            pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids])
        )
    )


# Compiled once per process (core.prepared): making this query's SQL costs the ORM about what
# PostgreSQL takes to run it for a page of 50.
_ROWS_OF_IDS = PreparedQuery(_values_of_ids, ids=[0], now=datetime.datetime.now(datetime.UTC))


def claimreview_page(page: QuerySet[Review], *keys: str) -> list[Row]:
    """The rows of `page` (an ordered, sliced queryset) for the JSON-LD, in its order, each
    with the values `keys` too (the page's sort key, say).

    On PostgreSQL 2 queries: the page's ids and keys (a small query over the index that orders
    it), then their rows by a query compiled once (`_ROWS_OF_IDS`, with the nested arrays of
    `claimreview_values()`). Elsewhere the rows of `claimreview_values()` in one query.
    """
    if connection.vendor != "postgresql":
        extra = [k for k in keys if k not in ROW_FIELDS]
        return list(claimreview_values(page, *extra))
    listed = list(page.values("pk", *keys))
    if not listed:
        return []
    ids = [item["pk"] for item in listed]
    by_id = {row["pk"]: row for row in _ROWS_OF_IDS.rows(ids=ids, now=timezone.now())}
    return [{**by_id[item["pk"]], **item} for item in listed if item["pk"] in by_id]


def _nested_appearances(row: Row) -> list[Appearance]:
    return [
        (
            a["url"],
            a["archived_url"],
            a["title"],
            datetime.date.fromisoformat(a["date"]) if a["date"] else None,
            a["first"],
        )
        for a in row["nested_appearances"]
    ]


def _nested_corrections(row: Row) -> list[CorrectionRow]:
    return [
        (datetime.datetime.fromisoformat(c["created_at"]), c["kind"], c["note"])
        for c in row["nested_corrections"]
    ]


def appearances_of(claim_ids: Iterable[int]) -> dict[int, list[Appearance]]:
    """The appearances of each claim, in the claim's order: one query."""
    found: dict[int, list[Appearance]] = {}
    rows = (
        AppearanceModel.objects.filter(claim_id__in=list(claim_ids))
        .order_by("order", "id")
        .values_list("claim_id", "url", "archived_url", "title", "date", "first")
    )
    for claim_id, *appearance in rows:
        found.setdefault(claim_id, []).append(tuple(appearance))  # type: ignore[arg-type]
    return found


def corrections_of(review_ids: Iterable[int]) -> dict[int, list[CorrectionRow]]:
    """The corrections of each review, oldest first: one query."""
    found: dict[int, list[CorrectionRow]] = {}
    rows = (
        Correction.objects.filter(review_id__in=list(review_ids))
        .order_by("created_at", "id")
        .values_list("review_id", "created_at", "kind", "note")
    )
    for review_id, created_at, kind, note in rows:
        found.setdefault(review_id, []).append((created_at, kind, note))
    return found


def claimreviews(rows: Sequence[Row], *, context: bool = True) -> list[JsonDict]:
    """The ClaimReviews of `rows` (from `claimreview_values()`), in their order: no query on
    PostgreSQL (the rows carry their appearances and corrections), else two (appearances,
    corrections) for any number of rows."""
    if not rows:
        return []
    author = publisher_jsonld()
    if "nested_corrections" in rows[0]:
        return [
            claimreview_from_row(
                _with_bounds(r),
                _nested_appearances(r),
                _nested_corrections(r),
                author=author,
                context=context,
            )
            for r in rows
        ]
    appearances = appearances_of({r["claim_id"] for r in rows})
    corrections = corrections_of(r["pk"] for r in rows)
    return [
        claimreview_from_row(
            _with_bounds(r),
            appearances.get(r["claim_id"], ()),
            corrections.get(r["pk"], ()),
            author=author,
            context=context,
        )
        for r in rows
    ]


def _published_of_claim(slug: str, now: datetime.datetime) -> QuerySet[Review, Row]:
    return claimreview_values(Review.objects.published(now=now).filter(claim__slug=slug))[:1]


_PUBLISHED_OF_CLAIM = PreparedQuery(
    _published_of_claim, slug="", now=datetime.datetime.now(datetime.UTC)
)


def published_claimreview(slug: str) -> JsonDict | None:
    """The ClaimReview of the published review of the claim `slug` (the API's detail), or None:
    on PostgreSQL one query compiled once (core.prepared), else as `claimreview_one()`."""
    if connection.vendor != "postgresql":
        return claimreview_one(Review.objects.published().filter(claim__slug=slug))
    found = claimreviews(_PUBLISHED_OF_CLAIM.rows(slug=slug, now=timezone.now()))
    return found[0] if found else None


CORRECTION_FIELDS = ("corrections__created_at", "corrections__kind", "corrections__note")


def claimreview_one(reviews: QuerySet[Review], *, context: bool = True) -> JsonDict | None:
    """The ClaimReview of the one review of `reviews`, or None: one query on PostgreSQL, else
    two (the review with its corrections joined, one row per correction; its claim's
    appearances)."""
    if connection.vendor == "postgresql":
        found = claimreviews(list(claimreview_values(reviews)[:1]), context=context)
        return found[0] if found else None
    rows = list(
        claimreview_values(reviews, *CORRECTION_FIELDS).order_by(
            "corrections__created_at", "corrections__id"
        )
    )
    if not rows:
        return None
    row = rows[0]
    corrections = [
        (r["corrections__created_at"], r["corrections__kind"], r["corrections__note"])
        for r in rows
        if r["corrections__created_at"] is not None
    ]
    appearances = appearances_of([row["claim_id"]]).get(row["claim_id"], [])
    return claimreview_from_row(
        _with_bounds(row), appearances, corrections, author=publisher_jsonld(), context=context
    )


def claimreview_chunks(
    reviews: QuerySet[Review], *, chunk_size: int, context: bool = False
) -> Iterator[list[JsonDict]]:
    """The ClaimReviews of every review of `reviews` (ordered), `chunk_size` at a time, read
    through one server-side cursor: memory holds one chunk whatever the number of reviews."""
    chunk: list[Row] = []
    for row in claimreview_values(reviews).iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) == chunk_size:
            yield claimreviews(chunk, context=context)
            chunk = []
    if chunk:
        yield claimreviews(chunk, context=context)


def _with_bounds(row: Row) -> Row:
    worst, best = row["worst"], row["best"]
    row["bounds"] = (worst, best) if worst is not None else None
    return row
