"""A review's field history, read from django-simple-history, shaped for people and the API.

The workflow events (WorkflowEvent) say who moved a review from which state to which; the field
history says what each save changed: every field of the review and of its evidence entries,
and the changes its corrections made to its claim, old value and new, who and why (services set
the history user and the change reason). The admin change page and
GET /api/v1/reviews/<id>/history/ both read `review_field_history()`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models
from django.db.models import Exists, OuterRef

from claims.models import Claim, Correction, Evidence, Review

# Saved on every write, or derived and not kept in history (search_text, see claims.search);
# says nothing a reader of the history needs.
IGNORED_FIELDS = frozenset({"updated_at", "created_at", "search_text"})
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any
    old_display: str = ""
    new_display: str = ""


@dataclass
class Change:
    """One save of the review or of one of its evidence entries."""

    model: str  # "review" or "evidence"
    object_id: int
    type: str  # "created", "changed" or "deleted"
    at: datetime.datetime
    by: str | None  # username
    reason: str
    fields: list[FieldChange] = field(default_factory=list)


def review_field_history(review: Review) -> list[Change]:
    """Every recorded save of `review` and its evidence, and the saves of its claim made by its
    corrections (review_correct dates the claim's record like the Correction), oldest first.

    Queries: the review's history, its evidence's history, its claim's history, and one per
    kind of related object named in a change (rating, claim, claimant, source, user), whatever
    the number of saves.
    """
    records = list(
        review.history.select_related("history_user").order_by("history_date", "history_id")
    )
    evidence_records = list(
        Evidence.history.filter(review_id=review.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    by_object: dict[int, list[Any]] = defaultdict(list)
    for record in evidence_records:
        by_object[record.id].append(record)

    by_correction = Correction.objects.filter(
        review_id=review.pk, created_at=OuterRef("history_date")
    )
    claim_records = list(
        Claim.history.filter(id=review.claim_id)
        .annotate(by_correction=Exists(by_correction))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )

    changes = _changes("review", Review, records)
    for object_records in by_object.values():
        changes += _changes("evidence", Evidence, object_records, skip={"review"})
    # Diffs need every save of the claim; only those its corrections made are the review's.
    corrected = {r.history_id for r in claim_records if r.by_correction}
    changes += [
        change
        for change, record in zip(
            _changes("claim", Claim, claim_records), claim_records, strict=True
        )
        if record.history_id in corrected
    ]
    changes.sort(key=lambda c: (c.at, c.model != "review", c.object_id))
    _add_displays(changes, {"review": Review, "evidence": Evidence, "claim": Claim})
    return changes


def _tracked(model: type[models.Model], skip: set[str]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in IGNORED_FIELDS and f.name not in skip and not f.primary_key
    ]


def _value(record: Any, model_field: models.Field[Any, Any]) -> Any:
    return getattr(record, model_field.attname)


def _changes(
    name: str, model: type[models.Model], records: list[Any], skip: set[str] | None = None
) -> list[Change]:
    fields = _tracked(model, skip or set())
    changes = []
    previous = None
    for record in records:
        change = Change(
            model=name,
            object_id=record.id,
            type=HISTORY_TYPES.get(record.history_type, record.history_type),
            at=record.history_date,
            by=record.history_user.get_username() if record.history_user else None,
            reason=record.history_change_reason or "",
        )
        if record.history_type != "-":
            for f in fields:
                new = _value(record, f)
                old: Any = _value(previous, f) if previous is not None else None
                if previous is None and new in (None, "", [], {}):
                    continue
                if previous is None or old != new:
                    change.fields.append(FieldChange(field=f.name, old=old, new=new))
        changes.append(change)
        previous = record
    return changes


def _add_displays(changes: list[Change], models_by_name: dict[str, type[models.Model]]) -> None:
    """Readable values: related objects by name (one query per related model), the rest as
    text."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    relations: dict[tuple[str, str], type[models.Model]] = {}
    for change in changes:
        model = models_by_name[change.model]
        for fc in change.fields:
            model_field = model._meta.get_field(fc.field)
            if isinstance(model_field, models.ForeignKey):
                related = cast(type[models.Model], model_field.related_model)
                relations[(change.model, fc.field)] = related
                wanted[related] |= {v for v in (fc.old, fc.new) if v is not None}
    names = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }
    for change in changes:
        for fc in change.fields:
            related_model = relations.get((change.model, fc.field))
            if related_model is not None:
                fc.old_display = _display_related(names[related_model], fc.old)
                fc.new_display = _display_related(names[related_model], fc.new)
            else:
                fc.old_display = _display(fc.old)
                fc.new_display = _display(fc.new)


def _display_related(names: dict[Any, str], pk: Any) -> str:
    if pk is None:
        return ""
    return names.get(pk, f"#{pk} (deleted)")


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return str(value)
