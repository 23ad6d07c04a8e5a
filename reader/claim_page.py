"""What a claim's page shows, as plain rows: one query on PostgreSQL, six on SQLite.

The claim page (reader.views.claim_detail) is the site's most read page. It is built from one
`values()` row per review of the claim, with everything else the page lists nested in that row
as arrays of JSON objects (the claim's topics and appearances, the review's evidence with its
sources and its corrections, the prior checks an editor confirmed as the same claim), so no
model instance is made and no prefetch runs. On SQLite (development) each of those lists is
read by a query of its own, into the same shape. The ClaimReview JSON-LD comes from the same row
through `claimreview_from_row()`, so it is exactly what `build_claimreview()` gives
(tests/claims/claimreview/test_rows.py compares them).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Max, Min, OuterRef, QuerySet
from django.db.models.functions import JSONObject

from claims.claimreview.builder import (
    ROW_FIELDS,
    Appearance,
    CorrectionRow,
    JsonDict,
    claimreview_from_row,
    publisher_jsonld,
)
from claims.models import Appearance as AppearanceModel
from claims.models import (
    Claim,
    Correction,
    CorrectionKind,
    Evidence,
    Review,
    ReviewStatus,
    Stance,
    scale_bound,
)
from core.prepared import PreparedQuery
from matching.models import ClaimRelation
from sources.models import SourceKind

Row = dict[str, Any]

# The review's columns the page shows beyond the JSON-LD's (ROW_FIELDS).
PAGE_FIELDS = (
    "status",
    "body",
    "withdrawn_at",
    "withdrawal_note",
    "rating__slug",
    "rating__description",
    "claim__claimant__slug",
)

_STANCES = dict(Stance.choices)
_SOURCE_KINDS = dict(SourceKind.choices)
_CORRECTION_KINDS = dict(CorrectionKind.choices)

# The JSON object of one item of each nested list (its key: the column it is read from). One
# definition serves both databases: on PostgreSQL each list is an array subquery of the row, on
# SQLite a query of its own.
_APPEARANCE = {
    "url": "url",
    "archived_url": "archived_url",
    "title": "title",
    "date": "date",
    "first": "first",
}
_CORRECTION = {
    "pk": "id",
    "created_at": "created_at",
    "kind": "kind",
    "note": "note",
    "headline": "headline",
}
_EVIDENCE = {
    "stance": "stance",
    "quote": "quote",
    "note": "note",
    "url": "source__url",
    "title": "source__title",
    "archived_url": "source__archived_url",
    "publisher": "source__publisher",
    "author": "source__author",
    "date_published": "source__date_published",
    "kind": "source__kind",
}
_ALSO_CHECKED = {
    "url": "prior_check__external_url",
    "publisher": "prior_check__publisher__name",
    "rating_label": "prior_check__rating_label",
    "headline": "prior_check__headline",
    "date_published": "prior_check__date_published",
}


@dataclass(frozen=True)
class _Nested:
    """A list the page shows, nested in each review's row under `key`: the rows of
    `items()` whose `owner` (a foreign key) is the row's `outer` column, in `order`."""

    key: str
    outer: str
    owner: str
    items: Callable[[], QuerySet[Any]]
    order: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)


_NESTED = (
    _Nested(
        "topics",
        "claim_id",
        "claim",
        Claim.topics.through.objects.all,
        ("topic__name", "topic_id"),
        {"name": "topic__name"},
    ),
    _Nested(
        "appearances",
        "claim_id",
        "claim",
        AppearanceModel.objects.all,
        ("order", "id"),
        _APPEARANCE,
    ),
    _Nested(
        "corrections", "pk", "review", Correction.objects.all, ("created_at", "id"), _CORRECTION
    ),
    _Nested("evidence", "pk", "review", Evidence.objects.all, ("order", "id"), _EVIDENCE),
    # "Also checked by": confirmed same-claim prior checks, oldest link first.
    _Nested(
        "also_checked",
        "claim_id",
        "claim",
        ClaimRelation.objects.also_checked,
        ("created_at", "id"),
        _ALSO_CHECKED,
    ),
)


def _values(reviews: QuerySet[Review]) -> QuerySet[Review, Row]:
    return reviews.values(*ROW_FIELDS, *PAGE_FIELDS).annotate(
        worst=scale_bound(Min), best=scale_bound(Max)
    )


def _nested_values(slug: str, now: datetime.datetime) -> QuerySet[Review, Row]:
    """PostgreSQL: the rows with their lists as arrays of JSON objects."""
    reviews = Review.objects.with_public_page(now=now).filter(claim__slug=slug)
    nested_arrays = {
        n.key: ArraySubquery(
            n.items()
            .filter(**{n.owner: OuterRef(n.outer)})
            .order_by(*n.order)
            .values(json=JSONObject(**n.fields))
        )
        for n in _NESTED
    }
    return _values(reviews).annotate(**nested_arrays)


# Compiled once per process (core.prepared): making this query's SQL costs the ORM several times
# what PostgreSQL takes to plan and run it.
_NESTED_ROWS = PreparedQuery(_nested_values, slug="", now=datetime.datetime.now(datetime.UTC))


def page_rows(slug: str, now: datetime.datetime) -> list[Row]:
    """The rows of the reviews of ours with a public page (`with_public_page()`) of the claim
    `slug`, each with what the page shows nested in it as lists of dicts (`_NESTED`; dates
    still ISO strings): one query on PostgreSQL, one per list more on SQLite."""
    if connection.vendor == "postgresql":
        return _NESTED_ROWS.rows(slug=slug, now=now)
    found = list(_values(Review.objects.with_public_page(now=now).filter(claim__slug=slug)))
    for n in _NESTED:
        lists: dict[int, list[Row]] = {}
        items = (
            n.items()
            .filter(**{f"{n.owner}__in": {r[n.outer] for r in found}})
            .order_by(*n.order)
            .values_list(n.owner, *n.fields.values())
        )
        for owner, *values in items:
            lists.setdefault(owner, []).append(_as_json(dict(zip(n.fields, values, strict=True))))
        for r in found:
            r[n.key] = lists.get(r[n.outer], [])
    return found


def _as_json(item: Row) -> Row:
    """An item read on SQLite as PostgreSQL's JSON gives it: dates and times in ISO 8601."""
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in item.items()}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def is_public(row: Row, now: datetime.datetime) -> bool:
    """`Review.is_public()` of a row of ours."""
    return row["status"] == ReviewStatus.PUBLISHED and row["publish_at"] <= now


def shown_row(rows: list[Row], now: datetime.datetime) -> Row:
    """The review a claim's page shows: its public one, else the one that was public before
    (withdrawn, or reopened since)."""
    return min(
        rows,
        key=lambda r: (
            not is_public(r, now),
            -(r["date_published"] or r["publish_at"]).timestamp(),
        ),
    )


@dataclass(frozen=True)
class ClaimPage:
    """What the template shows of one review of ours and its claim, as dicts."""

    review: Row
    claim: Row
    topics: list[str]
    appearances: list[Row]
    evidence: list[Row]
    corrections: list[Row]  # newest first, as the page lists them
    also_checked_by: list[Row]
    public: bool
    row: Row  # the row itself (for the JSON-LD)

    def claimreview(self) -> JsonDict:
        appearances: list[Appearance] = [
            (a["url"], a["archived_url"], a["title"], a["date"], a["first"])
            for a in self.appearances
        ]
        corrections: list[CorrectionRow] = [
            (c["created_at"], c["kind"], c["note"]) for c in reversed(self.corrections)
        ]
        worst, best = self.row["worst"], self.row["best"]
        row = {**self.row, "bounds": (worst, best) if worst is not None else None}
        return claimreview_from_row(row, appearances, corrections, author=publisher_jsonld())


def claim_page(row: Row, now: datetime.datetime) -> ClaimPage:
    """The page of one row of `page_rows()`."""
    rating = (
        {
            "pk": row["rating_id"],
            "label": row["rating__label"],
            "slug": row["rating__slug"],
            "description": row["rating__description"],
            "image_url": row["rating__image_url"],
        }
        if row["rating_id"] is not None
        else None
    )
    claimant = (
        {
            "name": row["claim__claimant__name"],
            "slug": row["claim__claimant__slug"],
            "job_title": row["claim__claimant__job_title"],
        }
        if row["claim__claimant_id"] is not None
        else None
    )
    review = {
        "headline": row["headline"],
        "summary": row["summary"],
        "body": row["body"],
        "language": row["language"],
        "date_published": row["date_published"],
        "date_modified": row["date_modified"],
        "status": row["status"],
        "withdrawn_at": row["withdrawn_at"],
        "withdrawal_note": row["withdrawal_note"],
        "rating": rating,
    }
    claim = {
        "slug": row["claim__slug"],
        "text": row["claim__text"],
        "language": row["claim__language"],
        "date_claimed": row["claim__date_claimed"],
        "venue": row["claim__venue"],
        "claimant": claimant,
    }
    appearances = [{**a, "date": _date(a["date"])} for a in row["appearances"]]
    evidence = [
        {
            "stance": e["stance"],
            "stance_label": _STANCES.get(e["stance"], e["stance"]),
            "quote": e["quote"],
            "note": e["note"],
            "source": {
                "url": e["url"],
                "title": e["title"],
                "archived_url": e["archived_url"],
                "publisher": e["publisher"],
                "author": e["author"],
                "date_published": _date(e["date_published"]),
                "kind_label": _SOURCE_KINDS.get(e["kind"], e["kind"]),
            },
        }
        for e in row["evidence"]
    ]
    corrections = [
        {**c, "created_at": _datetime(c["created_at"]), "kind_label": _CORRECTION_KINDS[c["kind"]]}
        for c in reversed(row["corrections"])
    ]
    also_checked_by = [
        {**c, "date_published": _datetime(c["date_published"])} for c in row["also_checked"]
    ]
    return ClaimPage(
        review=review,
        claim=claim,
        topics=[t["name"] for t in row["topics"]],
        appearances=appearances,
        evidence=evidence,
        corrections=corrections,
        also_checked_by=also_checked_by,
        public=is_public(row, now),
        row=row,
    )
