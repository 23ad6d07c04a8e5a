"""Claimants: who made claims. Editing one is not a change of one fact check (many claims share
it), so claimants stay editable while their claims' fact checks are published."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from claims.exceptions import Conflict
from claims.models import Claimant, unique_slug
from claims.permissions import Actor, ensure_model_permission
from claims.services.common import apply_changes, save_by
from core.exceptions import check_version

CLAIMANT_HAS_CLAIMS = "This claimant has claims: reassign or delete them first."

CLAIMANT_FIELDS = ("name", "slug", "kind", "job_title", "description", "same_as", "image_url")


@transaction.atomic
def claimant_create(*, by: Actor, name: str, **fields: Any) -> Claimant:
    by = ensure_model_permission(by, "add", Claimant)
    claimant = Claimant(name=name)
    apply_changes(claimant, fields, CLAIMANT_FIELDS)
    if not claimant.slug:
        claimant.slug = unique_slug(Claimant, name)
    claimant.full_clean()
    save_by(claimant, by, None, reason="create")
    return claimant


@transaction.atomic
def claimant_update(
    *, claimant: Claimant, by: Actor, changes: Mapping[str, Any], version: int | None = None
) -> Claimant:
    """Edit a claimant, based on `version` (StaleVersion, 409, when it is not the stored one;
    None: no check, for callers that read and write in one go). An edit that changes nothing
    writes nothing; one that does bumps the version."""
    by = ensure_model_permission(by, "change", Claimant)
    claimant = Claimant.objects.select_for_update().get(pk=claimant.pk)
    check_version("claimant", claimant.version, version)
    changed = apply_changes(claimant, changes, CLAIMANT_FIELDS)
    if changed:
        claimant.full_clean()
        claimant.version += 1
        save_by(claimant, by, [*changed, "version"], reason="edit")
    return claimant


@transaction.atomic
def claimant_delete(*, claimant: Claimant, by: Actor) -> None:
    by = ensure_model_permission(by, "delete", Claimant)
    try:
        claimant.delete()
    except ProtectedError:
        raise Conflict(CLAIMANT_HAS_CLAIMS) from None
