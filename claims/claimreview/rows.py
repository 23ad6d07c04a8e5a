"""ClaimReviews straight from a few shaped queries, for the public list, detail and DataFeed.

No model instances: the reviews' columns the JSON-LD uses (`ROW_FIELDS`, with the bounds of the
rating's scale as two subqueries) in one `values()` query, then the claims' appearances and the
reviews' corrections in one query each, whatever the number of reviews or of their evidence.
`claimreview_from_row()` makes the dicts, so they are exactly what `build_claimreview()` gives
for the same reviews (tests/claims/claimreview/test_rows.py compares them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import Max, Min, QuerySet

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

Row = dict[str, Any]


def claimreview_values(reviews: QuerySet[Review], *extra: str) -> QuerySet[Review, Row]:
    """`reviews` as rows of what the JSON-LD needs (and the `extra` values): one query."""
    return reviews.values(*ROW_FIELDS, *extra).annotate(
        worst=scale_bound(Min), best=scale_bound(Max)
    )


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
    """The ClaimReviews of `rows` (from `claimreview_values()`), in their order: two queries
    (appearances, corrections) for any number of rows, none for no rows."""
    if not rows:
        return []
    appearances = appearances_of({r["claim_id"] for r in rows})
    corrections = corrections_of(r["pk"] for r in rows)
    author = publisher_jsonld()
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


CORRECTION_FIELDS = ("corrections__created_at", "corrections__kind", "corrections__note")


def claimreview_one(reviews: QuerySet[Review], *, context: bool = True) -> JsonDict | None:
    """The ClaimReview of the one review of `reviews`, or None: two queries (the review with its
    corrections joined, one row per correction; its claim's appearances)."""
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
