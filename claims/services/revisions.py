"""Revisions of published reviews: start, edit, the workflow (submit, request changes, approve,
publish), discard.

A revision (claims.models.Revision) is a working copy of everything a published review says:
its rating, headline, summary, body and evidence, and its claim's public fields and
appearances. It is reviewed like a draft (the two-person rule binds its authors) while the
published version stays public, unchanged. Publishing it (`revision_publish`) swaps the public
content in one transaction: the review's fields, its evidence, the claim's fields and
appearances, with the field history of each (dated like the Correction it records), a new
`date_modified` and version. A revision is based on the review's `version` when it started;
once the public version moved on (a correction, another revision) it is stale and every action
but discard is refused with 409.

Each step is one transaction that locks the revision, asks claims.permissions, writes one
WorkflowEvent on the review (with `revision` set: the review's audit trail shows its
revisions) and saves. Public caches follow through the receivers of claims.signals: only the
publication writes public rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.claimreview import review_claimreview
from claims.exceptions import Conflict, InvalidTransition, StaleVersion
from claims.models import (
    CHOSEN_CORRECTION_KINDS,
    OPEN_REVISION_STATES,
    Correction,
    CorrectionKind,
    Evidence,
    Review,
    ReviewStatus,
    Revision,
    RevisionAppearance,
    RevisionEvidence,
    RevisionStatus,
    WorkflowEvent,
)
from claims.permissions import Actor, ensure_can, is_author
from claims.services.claims import (
    AppearanceItem,
    appearance_items,
    lock_claim,
    plan_appearances,
    write_appearances,
)
from claims.services.common import apply_changes, required_text, save_by, validate_fields
from claims.services.evidence import EvidenceItem, plan_evidence, write_evidence
from claims.services.reviews import PERFORMERS, STALE_VERSION, lock_review, performs
from claims.workflow import COMMENT_REQUIRED, KIND_REQUIRED, NOTE_REQUIRED, RULES, Action

# --- messages (tests assert on these) -----------------------------------------------------------

OPEN_REVISION_EXISTS = (
    "This review already has an open revision (revision {id}, {status}): continue that one, or "
    "discard it first."
)
REVISION_STALE = (
    "The published review changed since this revision was started (it was version {based_on}, "
    "it is now version {current}): discard this revision and start a new one."
)
REVIEW_NOT_PUBLISHED = (
    "The review is no longer published ({status}): this revision cannot go on. Discard it."
)
KIND_INVALID = "Choose what this is: correction, update, clarification or verdict change."
RATING_CHANGE_NEEDS_VERDICT_CHANGE = "This revision changes the rating: choose verdict change."
VERDICT_CHANGE_NEEDS_RATING = "A verdict change needs a new rating: this revision keeps it."
RATING_REQUIRED = "A published review needs a rating."
NOTHING_CHANGED = "This revision changes nothing the published review says."
BACK_TO_DRAFT = "Edited while {status}: back to draft for another review."
STARTED = "Revision {id} started."

# The revision's own fields, as the review's and the claim's are named.
REVIEW_FIELDS = ("rating", "headline", "summary", "body")
CLAIM_FIELDS_OF_REVISION = {
    "claim_text": "text",
    "claim_short_text": "short_text",
    "claimant": "claimant",
    "date_claimed": "date_claimed",
    "venue": "venue",
    "claim_language": "language",
}
EDITABLE_FIELDS = (*REVIEW_FIELDS, *CLAIM_FIELDS_OF_REVISION)


# --- helpers ----------------------------------------------------------------------------------


def lock_revision(revision: Revision) -> Revision:
    return Revision.objects.select_for_update().select_related("review").get(pk=revision.pk)


def _record(
    revision: Revision, by: User, action: Action, source: str, target: str, comment: str = ""
) -> WorkflowEvent:
    return WorkflowEvent.objects.create(
        review_id=revision.review_id,
        revision=revision,
        actor=by,
        action=action.value,
        source=source,
        target=target,
        comment=comment,
    )


def _ensure_current(revision: Revision) -> Review:
    """The revision's review, refusing (409) when it is no longer published or has moved on
    since the revision started."""
    review = Review.objects.get(pk=revision.review_id)
    if review.status != ReviewStatus.PUBLISHED:
        label = ReviewStatus(review.status).label.lower()
        raise InvalidTransition(REVIEW_NOT_PUBLISHED.format(status=label))
    if review.version != revision.based_on:
        raise StaleVersion(
            REVISION_STALE.format(based_on=revision.based_on, current=review.version)
        )
    return review


def _move(
    revision: Revision,
    by: User,
    action: Action,
    *,
    comment: str = "",
    fields: Mapping[str, Any] | None = None,
) -> Revision:
    source, target = revision.status, RULES[action].target
    assert target is not None
    revision.status = target
    for name, value in (fields or {}).items():
        setattr(revision, name, value)
    save_by(revision, by, ["status", *(fields or {})], reason=action.value)
    _record(revision, by, action, source, target, comment)
    return revision


def revision_evidence_items(revision: Revision) -> list[EvidenceItem]:
    """The revision's evidence as the items of the review's evidence list it stands for (`id`:
    the review's entry it revises, or None for a new one)."""
    return [
        EvidenceItem(
            source=e.source,
            quote=e.quote,
            stance=e.stance,
            note=e.note,
            id=e.evidence_id,
        )
        for e in revision.evidence.select_related("source").order_by("order", "id")
    ]


def revision_appearance_items(revision: Revision) -> list[AppearanceItem]:
    return [
        AppearanceItem(
            url=a.url, archived_url=a.archived_url, title=a.title, date=a.date, first=a.first
        )
        for a in revision.appearances.order_by("order", "id")
    ]


# --- start ------------------------------------------------------------------------------------


@performs(Action.REVISE)
@transaction.atomic
def revision_start(*, review: Review, by: Actor) -> Revision:
    """A revision in draft of the published `review`, copying everything it says; `by` is its
    first author. Refused (409) while the review has an open revision."""
    review = lock_review(review)
    by = ensure_can(by, Action.REVISE, review)
    existing = review.revisions.filter(status__in=OPEN_REVISION_STATES).first()
    if existing is not None:
        label = RevisionStatus(existing.status).label.lower()
        raise Conflict(OPEN_REVISION_EXISTS.format(id=existing.pk, status=label))
    claim = review.claim
    revision = Revision(
        review=review,
        based_on=review.version,
        rating=review.rating,
        headline=review.headline,
        summary=review.summary,
        body=review.body,
        claim_text=claim.text,
        claim_short_text=claim.short_text,
        claimant=claim.claimant,
        date_claimed=claim.date_claimed,
        venue=claim.venue,
        claim_language=claim.language,
        created_by=by,
    )
    try:
        with transaction.atomic():
            save_by(revision, by, None, reason=Action.REVISE.value)
    except IntegrityError:  # another one started at the same moment (the unique constraint)
        raise Conflict(OPEN_REVISION_EXISTS.format(id="?", status="draft")) from None
    revision.authors.add(by)
    RevisionEvidence.objects.bulk_create(
        RevisionEvidence(
            revision=revision,
            evidence=e,
            source_id=e.source_id,
            quote=e.quote,
            stance=e.stance,
            note=e.note,
            order=order,
        )
        for order, e in enumerate(review.evidence.order_by("order", "id"))
    )
    RevisionAppearance.objects.bulk_create(
        RevisionAppearance(
            revision=revision,
            url=a.url,
            archived_url=a.archived_url,
            title=a.title,
            date=a.date,
            first=a.first,
            order=order,
        )
        for order, a in enumerate(claim.appearances.order_by("order", "id"))
    )
    _record(
        revision,
        by,
        Action.REVISE,
        "",
        RevisionStatus.DRAFT,
        STARTED.format(id=revision.pk),
    )
    return revision


# --- edit -------------------------------------------------------------------------------------


def _plan_revision_evidence(
    revision: Revision, items: Sequence[EvidenceItem]
) -> list[RevisionEvidence]:
    """The revision's new evidence rows for `items` (validated; nothing written). An item's
    `id` is the review's entry it revises (as `revision_evidence_items` gives them)."""
    allowed = set(
        Evidence.objects.filter(review_id=revision.review_id).values_list("pk", flat=True)
    )
    rows, errors, seen = [], [], set()
    for order, item in enumerate(items):
        if item.id is not None and (item.id not in allowed or item.id in seen):
            errors.append(f"Item {order + 1}: evidence {item.id} is not part of this review.")
            continue
        if item.id is not None:
            seen.add(item.id)
        row = RevisionEvidence(
            revision=revision,
            evidence_id=item.id,
            source_id=item.source.pk,
            quote=item.quote,
            stance=item.stance,
            note=item.note,
            order=order,
        )
        try:
            row.clean_fields(exclude=["revision", "evidence"])
        except ValidationError as exc:
            errors += [
                f"Item {order + 1}: {field}: {message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        rows.append(row)
    if errors:
        raise ValidationError({"evidence": errors})
    return rows


def _plan_revision_appearances(
    revision: Revision, items: Sequence[AppearanceItem]
) -> list[RevisionAppearance]:
    # The claim's own rules (one first appearance, no URL twice, valid URLs), nothing written.
    plan_appearances(revision.review.claim, items, current=[])
    return [
        RevisionAppearance(
            revision=revision,
            url=item.url,
            archived_url=item.archived_url,
            title=item.title,
            date=item.date,
            first=item.first,
            order=order,
        )
        for order, item in enumerate(items)
    ]


@performs(Action.REVISION_UPDATE)
@transaction.atomic
def revision_update(
    *,
    revision: Revision,
    by: Actor,
    version: int,
    changes: Mapping[str, Any] | None = None,
    evidence: Sequence[EvidenceItem] | None = None,
    appearances: Sequence[AppearanceItem] | None = None,
    comment: str = "",
) -> Revision:
    """Edit an open revision, based on its `version` (StaleVersion, 409, when it moved on).

    `changes` names fields of EDITABLE_FIELDS (the review's rating, headline, summary, body;
    the claim's fields as claim_text, claim_short_text, claimant, date_claimed, venue,
    claim_language); `evidence` and `appearances`, when given, replace the lists. A revision in
    review or approved goes back to draft, and an editor who edits becomes one of its authors.
    Nothing is written when nothing differs.
    """
    revision = lock_revision(revision)
    by = ensure_can(by, Action.REVISION_UPDATE, revision)
    if version != revision.version:
        raise StaleVersion(STALE_VERSION.format(based_on=version, current=revision.version))
    _ensure_current(revision)
    changed = apply_changes(revision, dict(changes or {}), EDITABLE_FIELDS)
    validate_fields(revision, changed)
    evidence_rows = None
    if evidence is not None and list(evidence) != revision_evidence_items(revision):
        evidence_rows = _plan_revision_evidence(revision, evidence)
    appearance_rows = None
    if appearances is not None and list(appearances) != revision_appearance_items(revision):
        appearance_rows = _plan_revision_appearances(revision, appearances)
    if not changed and evidence_rows is None and appearance_rows is None:
        return revision

    source = revision.status
    revision.version += 1
    fields = [*changed, "version"]
    if source != RevisionStatus.DRAFT:
        revision.status, revision.approved_by = RevisionStatus.DRAFT, None
        fields += ["status", "approved_by"]
        comment = comment or BACK_TO_DRAFT.format(status=RevisionStatus(source).label.lower())
    save_by(revision, by, fields, reason="edit")
    if evidence_rows is not None:
        revision.evidence.all().delete()
        RevisionEvidence.objects.bulk_create(evidence_rows)
    if appearance_rows is not None:
        revision.appearances.all().delete()
        RevisionAppearance.objects.bulk_create(appearance_rows)
    if not is_author(by, revision):
        revision.authors.add(by)
    _record(revision, by, Action.REVISION_UPDATE, source, RevisionStatus.DRAFT, comment)
    return revision


# --- the workflow -----------------------------------------------------------------------------


@performs(Action.REVISION_SUBMIT)
@transaction.atomic
def revision_submit(*, revision: Revision, by: Actor, comment: str = "") -> Revision:
    revision = lock_revision(revision)
    by = ensure_can(by, Action.REVISION_SUBMIT, revision)
    _ensure_current(revision)
    return _move(revision, by, Action.REVISION_SUBMIT, comment=comment)


@performs(Action.REVISION_REQUEST_CHANGES)
@transaction.atomic
def revision_request_changes(*, revision: Revision, by: Actor, comment: str) -> Revision:
    revision = lock_revision(revision)
    by = ensure_can(by, Action.REVISION_REQUEST_CHANGES, revision)
    comment = required_text("comment", comment, COMMENT_REQUIRED)
    return _move(revision, by, Action.REVISION_REQUEST_CHANGES, comment=comment)


@performs(Action.REVISION_APPROVE)
@transaction.atomic
def revision_approve(*, revision: Revision, by: Actor, comment: str = "") -> Revision:
    revision = lock_revision(revision)
    by = ensure_can(by, Action.REVISION_APPROVE, revision)
    _ensure_current(revision)
    return _move(revision, by, Action.REVISION_APPROVE, comment=comment, fields={"approved_by": by})


@performs(Action.REVISION_DISCARD)
@transaction.atomic
def revision_discard(*, revision: Revision, by: Actor, comment: str = "") -> Revision:
    """Give up an open revision; the published review is untouched. The row stays, discarded,
    with its audit trail."""
    revision = lock_revision(revision)
    by = ensure_can(by, Action.REVISION_DISCARD, revision)
    return _move(revision, by, Action.REVISION_DISCARD, comment=comment)


@performs(Action.REVISION_PUBLISH)
@transaction.atomic
def revision_publish(*, revision: Revision, by: Actor, kind: str, note: str) -> Revision:
    """Publish an approved revision: the review's public content becomes the revision's.

    In one transaction: the claim (and its reviews) locked, then the revision; the review must
    still be published at the version the revision started from (409 otherwise). The review's
    rating, headline, summary and body, its evidence list (entries the revision kept are
    updated, new ones added, dropped ones deleted), the claim's fields and its appearances are
    written, each with its field history dated like the Correction recorded with `kind` and
    the public `note`; `date_modified` is set and the review's version bumped. A new rating is
    a verdict change and a verdict change needs a new rating. Refused with the validator's
    messages when the ClaimReview it would publish has errors, and when it changes nothing.
    """
    claim_id = Revision.objects.values_list("review__claim_id", flat=True).get(pk=revision.pk)
    claim = lock_claim(claim_id)
    revision = lock_revision(revision)
    by = ensure_can(by, Action.REVISION_PUBLISH, revision)
    review = _ensure_current(revision)
    review.claim = claim
    errors: dict[str, list[str]] = {}
    if not kind:
        errors["kind"] = [KIND_REQUIRED]
    elif kind not in {value for value, _ in CHOSEN_CORRECTION_KINDS}:
        errors["kind"] = [KIND_INVALID]
    if not (note or "").strip():
        errors["note"] = [NOTE_REQUIRED]
    if errors:
        raise ValidationError(errors)

    changed = apply_changes(
        review, {name: getattr(revision, name) for name in REVIEW_FIELDS}, REVIEW_FIELDS
    )
    claim_changed = apply_changes(
        claim,
        {field: getattr(revision, name) for name, field in CLAIM_FIELDS_OF_REVISION.items()},
        CLAIM_FIELDS_OF_REVISION.values(),
    )
    if "rating" in changed and kind != CorrectionKind.VERDICT_CHANGE:
        errors["kind"] = [RATING_CHANGE_NEEDS_VERDICT_CHANGE]
    if kind == CorrectionKind.VERDICT_CHANGE and "rating" not in changed:
        errors["kind"] = [VERDICT_CHANGE_NEEDS_RATING]
    if review.rating_id is None:
        errors["rating"] = [RATING_REQUIRED]
    if errors:
        raise ValidationError(errors)
    validate_fields(review, changed)
    if claim_changed:
        claim.full_clean()

    evidence_plan = plan_evidence(review, revision_evidence_items(revision))
    existing_appearances = list(claim.appearances.all())
    new_appearances = revision_appearance_items(revision)
    appearance_plan = None
    if new_appearances != appearance_items(existing_appearances):
        appearance_plan = plan_appearances(claim, new_appearances, existing_appearances)
    if not (changed or claim_changed or evidence_plan or appearance_plan):
        raise ValidationError({"revision": [NOTHING_CHANGED]})

    now = timezone.now()
    reason = f"revision {revision.pk}"
    if appearance_plan is not None:
        write_appearances(claim, appearance_plan)
    if evidence_plan is not None:
        for evidence in [*evidence_plan[0], *evidence_plan[1], *evidence_plan[2]]:
            evidence._history_date = now  # type: ignore[attr-defined]
        write_evidence(by, reason, evidence_plan)
    if claim_changed:
        claim._history_date = now  # type: ignore[attr-defined]
        save_by(claim, by, claim_changed, reason=reason)
    note = note.strip()
    correction = Correction.objects.create(
        review=review,
        kind=kind,
        note=note,
        headline=review.headline,
        created_at=now,
        created_by=by,
    )
    review.date_modified = now
    review.version += 1
    review._history_date = now  # type: ignore[attr-defined]
    save_by(review, by, [*changed, "date_modified", "version"], reason=reason)
    # Checked on what was just written: an error undoes it all (one transaction).
    _, result = review_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
    if result.errors:
        raise ValidationError({"claimreview": [message.text for message in result.errors]})
    return _move(
        revision,
        by,
        Action.REVISION_PUBLISH,
        comment=note,
        fields={"published_by": by, "correction": correction},
    )


def revision_act(action: Action, *, revision: Revision, by: Actor, **inputs: Any) -> Revision:
    """Run the revision's workflow `action` with its inputs (keywords of its service)."""
    result: Revision = PERFORMERS[action](revision=revision, by=by, **inputs)
    return result
