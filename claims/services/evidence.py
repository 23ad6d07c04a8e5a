"""A review's evidence list: what replacing it with new items means, validated before anything
is written. Used by claims.services.reviews, inside the review's own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from claims.models import Evidence, Review, Stance
from claims.services.common import save_by
from sources.models import Source

UNKNOWN_EVIDENCE = "Evidence {id} is not part of this review."
DUPLICATE_EVIDENCE = "Evidence {id} is listed twice."
EVIDENCE_ITEM_INVALID = "Item {number}: {field}: {message}"

EvidencePlan = tuple[list[Evidence], list[Evidence], list[Evidence]]


@dataclass(frozen=True)
class EvidenceItem:
    """One entry of a review's evidence list. `id` names an existing entry to keep and update;
    entries without one are added. Position in the list is the order on the page."""

    source: Source
    quote: str = ""
    stance: str = Stance.CONTEXT
    note: str = ""
    id: int | None = None


def plan_evidence(review: Review, items: Sequence[EvidenceItem]) -> EvidencePlan | None:
    """What replacing `review`'s evidence with `items` means: (to update, to add, to delete),
    or None when `items` is what the review already has. Validates before anything is written."""
    existing = {e.pk: e for e in review.evidence.all()} if review.pk else {}
    errors: list[str] = []
    seen: set[int] = set()
    to_update: list[Evidence] = []
    to_add: list[Evidence] = []
    keep: set[int] = set()
    for order, item in enumerate(items):
        if item.id is not None:
            if item.id not in existing:
                errors.append(UNKNOWN_EVIDENCE.format(id=item.id))
                continue
            if item.id in seen:
                errors.append(DUPLICATE_EVIDENCE.format(id=item.id))
                continue
            seen.add(item.id)
            keep.add(item.id)
            evidence = existing[item.id]
        else:
            evidence = Evidence(review=review)
        values = {
            "source_id": item.source.pk,
            "quote": item.quote,
            "stance": item.stance,
            "note": item.note,
            "order": order,
        }
        if evidence.pk is None or any(getattr(evidence, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(evidence, name, value)
            try:
                evidence.clean_fields(exclude=["review"])
            except ValidationError as exc:
                errors += [
                    EVIDENCE_ITEM_INVALID.format(number=order + 1, field=field, message=message)
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            (to_update if evidence.pk else to_add).append(evidence)
    if errors:
        raise ValidationError({"evidence": errors})
    to_delete = [e for pk, e in existing.items() if pk not in keep]
    if not (to_update or to_add or to_delete):
        return None
    return to_update, to_add, to_delete


def write_evidence(by: User, reason: str, plan: EvidencePlan) -> None:
    to_update, to_add, to_delete = plan
    for evidence in to_delete:
        evidence._history_user = by  # type: ignore[attr-defined]
        evidence._change_reason = reason  # type: ignore[attr-defined]
        evidence.delete()
    for evidence in [*to_update, *to_add]:
        save_by(evidence, by, None, reason)
