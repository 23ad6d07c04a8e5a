"""Claims and the places they appeared: create, edit, delete.

While a claim has a published review of ours its public fields and appearances are locked
(claims.permissions.claim_is_locked) and change through a correction of the review
(claims.services.reviews.review_correct), which uses the appearance planning here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims.exceptions import Conflict, InvalidTransition
from claims.models import Appearance, Claim, Review, Topic, unique_slug
from claims.permissions import (
    CLAIM_PUBLISHED_IS_LOCKED,
    SLUG_IS_PERMANENT,
    Actor,
    claim_is_locked,
    claim_slug_is_permanent,
    ensure_may_edit_claim,
    ensure_model_permission,
)
from claims.services.common import apply_changes, save_by
from core.exceptions import check_version

DUPLICATE_APPEARANCE = "{url} is listed twice."
TWO_FIRST_APPEARANCES = "Only one appearance can be the first."
APPEARANCE_ITEM_INVALID = "Item {number}: {field}: {message}"
CLAIM_HAS_REVIEWS = "This claim has reviews: it cannot be deleted."

CLAIM_FIELDS = ("text", "short_text", "claimant", "date_claimed", "venue", "language")


@dataclass(frozen=True)
class AppearanceItem:
    """One place a claim appeared; matched to the claim's existing appearances by URL."""

    url: str
    archived_url: str = ""
    title: str = ""
    date: datetime.date | None = None
    first: bool = False


def lock_claim(claim_id: int) -> Claim:
    """Lock a claim for a write, after the rows of its reviews (in id order).

    Lock order everywhere is reviews, then their claim: the review actions lock their review
    first (and publishing then the claim), and saving a claim rewrites its reviews' search
    text (claims.search). Taking the claim first here would deadlock with a publication of
    one of its reviews.
    """
    reviews = Review.objects.select_for_update().filter(claim_id=claim_id).order_by("pk")
    list(reviews.values_list("pk", flat=True))
    return Claim.objects.select_for_update().get(pk=claim_id)


@transaction.atomic
def claim_create(
    *,
    by: Actor,
    text: str,
    slug: str = "",
    topics: Iterable[Topic] = (),
    appearances: Sequence[AppearanceItem] = (),
    **fields: Any,
) -> Claim:
    """A new claim with its topics and the places it appeared."""
    by = ensure_model_permission(by, "add", Claim)
    claim = Claim(text=text, slug=slug)
    apply_changes(claim, fields, CLAIM_FIELDS)
    if not claim.slug:
        claim.slug = unique_slug(Claim, claim.claim_reviewed)
    claim.full_clean()
    plan = plan_appearances(claim, appearances)
    save_by(claim, by, None, reason="create")
    claim.topics.set(list(topics))
    write_appearances(claim, plan)
    return claim


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    by: Actor,
    changes: Mapping[str, Any],
    topics: Iterable[Topic] | None = None,
    appearances: Sequence[AppearanceItem] | None = None,
    version: int | None = None,
) -> Claim:
    """Edit a claim, based on `version` (StaleVersion, 409, when it is not the stored one;
    None: no check, for callers that read and write in one go). Who may: the review's
    authorship rule (claims.permissions.ensure_may_edit_claim). An edit that changes anything
    (fields, topics, appearances) bumps the version; one that changes nothing writes nothing.

    `topics` and `appearances`, when given, replace the claim's lists (an appearance is
    matched to an existing one by URL). Values equal to the stored ones are no change.

    While the claim has a published review of ours (scheduled included), its public fields
    and appearances are part of that fact check and locked (claims.permissions.claim_is_locked):
    changing them raises InvalidTransition (409) and writes nothing; they change through
    review_correct, with a public note. Its topics stay editable, and so do the Claimant and
    Source records it points at (shared by many claims, edited through their own services).
    `changes` may carry the slug, the address of the claim's public page, only until a review
    of it has been published (claim_slug_is_permanent); the API never sends it.
    """
    by = ensure_model_permission(by, "change", Claim)
    claim = lock_claim(claim.pk)
    ensure_may_edit_claim(by, claim.pk)
    check_version("claim", claim.version, version)
    changed = apply_changes(claim, changes, (*CLAIM_FIELDS, "slug"))
    existing = list(claim.appearances.all())
    appearances_changed = appearances is not None and list(appearances) != appearance_items(
        existing
    )
    if (changed or appearances_changed) and claim_is_locked(claim.pk):
        raise InvalidTransition(CLAIM_PUBLISHED_IS_LOCKED)
    if "slug" in changed and claim_slug_is_permanent(claim.pk):
        raise InvalidTransition(SLUG_IS_PERMANENT)
    if changed:
        claim.full_clean()
    plan = None
    if appearances is not None and appearances_changed:
        plan = plan_appearances(claim, appearances, existing)
    topics = list(topics) if topics is not None else None
    topics_changed = topics is not None and {t.pk for t in topics} != set(
        claim.topics.values_list("pk", flat=True)
    )
    if changed:
        claim.version += 1
        save_by(claim, by, [*changed, "version"], reason="edit")
    elif topics_changed or plan is not None:
        # Its lists only: the row's own fields (and their history) stay as they are, but an
        # edit based on the claim as it was is stale now.
        Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1)
        claim.version += 1
    if topics_changed:
        claim.topics.set(topics or [])
    if plan is not None:
        write_appearances(claim, plan)
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, by: Actor) -> None:
    by = ensure_model_permission(by, "delete", Claim)
    if claim.reviews.exists():
        raise Conflict(CLAIM_HAS_REVIEWS)
    claim._history_user = by  # type: ignore[attr-defined]
    claim.delete()


def appearance_items(appearances: Iterable[Appearance]) -> list[AppearanceItem]:
    """Stored appearances (in their order) as the items that would describe them."""
    return [
        AppearanceItem(
            url=a.url, archived_url=a.archived_url, title=a.title, date=a.date, first=a.first
        )
        for a in appearances
    ]


def plan_appearances(
    claim: Claim, items: Sequence[AppearanceItem], current: Iterable[Appearance] | None = None
) -> tuple[list[Appearance], list[Appearance]]:
    """(rows to save, rows to delete) so the claim's appearances become `items`. `current` is
    the claim's appearances when the caller has them already."""
    if current is None:
        current = claim.appearances.all() if claim.pk else []
    existing = {a.url: a for a in current}
    errors: list[str] = []
    urls: set[str] = set()
    to_save = []
    if sum(1 for item in items if item.first) > 1:
        errors.append(TWO_FIRST_APPEARANCES)
    for order, item in enumerate(items):
        if item.url in urls:
            errors.append(DUPLICATE_APPEARANCE.format(url=item.url))
            continue
        urls.add(item.url)
        appearance = existing.get(item.url) or Appearance(claim=claim)
        appearance.url = item.url
        appearance.archived_url = item.archived_url
        appearance.title = item.title
        appearance.date = item.date
        appearance.first = item.first
        appearance.order = order
        try:
            appearance.clean_fields(exclude=["claim"])
        except ValidationError as exc:
            errors += [
                APPEARANCE_ITEM_INVALID.format(number=order + 1, field=field, message=message)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        to_save.append(appearance)
    if errors:
        raise ValidationError({"appearances": errors})
    return to_save, [a for url, a in existing.items() if url not in urls]


def write_appearances(claim: Claim, plan: tuple[list[Appearance], list[Appearance]]) -> None:
    to_save, to_delete = plan
    for appearance in to_delete:
        appearance.delete()
    # Clear the old first appearance before setting a new one (one first per claim, enforced
    # by a unique constraint checked row by row).
    for appearance in to_save:
        if appearance.pk and not appearance.first:
            appearance.save()
    for appearance in to_save:
        if not (appearance.pk and not appearance.first):
            appearance.claim = claim
            appearance.save()
