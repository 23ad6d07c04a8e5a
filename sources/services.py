"""Writes to sources: create, edit and delete, with the URL normalised before it is checked.

Who may do it is the role's model permission (sources.add_source, change_source,
delete_source, granted by the roles migration in claims), asked through the project's shared
check (core.api.has_model_permission); `sources` knows nothing of claims.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from core.api import has_model_permission
from core.exceptions import Conflict, check_version
from sources.models import Source
from sources.normalize import normalize_url

SOURCE_FIELDS = (
    "url",
    "title",
    "publisher",
    "author",
    "date_published",
    "archived_url",
    "accessed_at",
    "kind",
)

NOT_ALLOWED = "Your role does not allow you to {verb} sources."
SOURCE_IN_USE = "This source is cited as evidence: remove it from those reviews first."


class SourceInUse(Conflict):
    """The source is cited as evidence by a review, so deleting it would break the review
    (HTTP 409)."""

    code = "source_in_use"


def _ensure(by: User | AnonymousUser, action: str) -> None:
    if not has_model_permission(by, action, Source):
        raise PermissionDenied(NOT_ALLOWED.format(verb="edit" if action == "change" else action))


def _save(source: Source, by: User | AnonymousUser, reason: str) -> None:
    source._history_user = by  # type: ignore[attr-defined]
    source._change_reason = reason  # type: ignore[attr-defined]
    source.save()


def _clean(source: Source) -> None:
    """Normalise the URL (a field error when it cannot be), then validate the whole row,
    uniqueness of the normalised URL included."""
    try:
        source.url = normalize_url(source.url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from None
    source.full_clean()


@transaction.atomic
def source_create(*, by: User | AnonymousUser, url: str, title: str, **fields: Any) -> Source:
    """A new source; raises ValidationError (field messages) for a bad or already known URL."""
    _ensure(by, "add")
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Not source fields: {', '.join(sorted(unknown))}")
    source = Source(url=url, title=title, **fields)
    _clean(source)
    _save(source, by, "create")
    return source


@transaction.atomic
def source_update(
    *,
    source: Source,
    by: User | AnonymousUser,
    changes: Mapping[str, Any],
    version: int | None = None,
) -> Source:
    """Edit a source, based on `version` (StaleVersion, 409, when it is not the stored one;
    None: no check). An edit that changes nothing writes nothing; one that does bumps the
    version."""
    _ensure(by, "change")
    unknown = set(changes) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Not source fields: {', '.join(sorted(unknown))}")
    source = Source.objects.select_for_update().get(pk=source.pk)
    check_version("source", source.version, version)
    changed = [name for name, value in changes.items() if getattr(source, name) != value]
    if not changed:
        return source
    for name in changed:
        setattr(source, name, changes[name])
    _clean(source)
    source.version += 1
    _save(source, by, "edit")
    return source


@transaction.atomic
def source_delete(*, source: Source, by: User | AnonymousUser) -> None:
    """Delete a source no review cites; raises SourceInUse otherwise."""
    _ensure(by, "delete")
    source._history_user = by  # type: ignore[attr-defined]
    try:
        source.delete()
    except ProtectedError:
        raise SourceInUse(SOURCE_IN_USE) from None
