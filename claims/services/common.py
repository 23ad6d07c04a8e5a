"""What the services of claims share: applying changes, validating fields, saving with the
field history's who and why.

The contract of every service (claims.services.reviews, claims, claimants, evidence):

Admin views, API views, management commands and scripts call them; none of them sets a
review's status, version, authors or dates itself. A review action is one transaction that
checks, locks, records and defers:

1. lock the review row (`select_for_update`, so concurrent actions on one review queue up);
2. ask claims.permissions whether `by` may take the action now (PermissionDenied -> 403,
   InvalidTransition -> 409) and, for content edits, whether the `version` the edit was based on
   is still the stored one (StaleVersion -> 409);
3. validate the input (django ValidationError with field messages -> 400);
4. write exactly one WorkflowEvent and save only the changed fields, bumping `version` when the
   content changed;
5. side effects run once the transaction commits: the receivers of claims.signals mark the
   public caches stale through `transaction.on_commit`.

Field-level history (django-simple-history) records who made each change and why: services set
`_history_user` and `_change_reason` on every instance they save, because API requests
authenticated by token are invisible to simple_history's request middleware.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models


def _value(instance: models.Model, name: str) -> Any:
    """A field's value, foreign keys by id (so comparing does not load the related row)."""
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(instance, field.attname)
    return getattr(instance, name)


def _as_stored(instance: models.Model, name: str, value: Any) -> Any:
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return value.pk if isinstance(value, models.Model) else value
    return value


def apply_changes(
    instance: models.Model, changes: Mapping[str, object], allowed: Iterable[str]
) -> list[str]:
    """Set the fields of `changes` that differ on `instance`; return their names."""
    allowed = set(allowed)
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Not fields one may change here: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in changes.items():
        if _value(instance, name) != _as_stored(instance, name, value):
            setattr(instance, name, value)
            changed.append(name)
    return changed


def validate_fields(instance: models.Model, names: Iterable[str]) -> None:
    """Run the model fields' own validation (blank, length, choices, validators) on `names`."""
    names = set(names)
    if names:
        instance.clean_fields(
            exclude=[f.name for f in instance._meta.fields if f.name not in names]
        )


def save_by(instance: models.Model, by: User, fields: Iterable[str] | None, reason: str) -> None:
    instance._history_user = by  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    if fields is None:
        instance.save()
        return
    update_fields = list(dict.fromkeys(fields))
    if any(f.name == "updated_at" for f in instance._meta.fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)


def required_text(name: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({name: [message]})
    return value
