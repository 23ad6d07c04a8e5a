"""Every write to claims that has rules: one keyword-only function per action.

Admin views, API views, management commands and scripts all call these; none of them sets a
review's status, version, authors or dates itself.

A review action is one transaction that checks, locks, records and defers:

1. lock the review row (`select_for_update`, so concurrent actions on one review queue up);
2. ask claims.permissions whether `by` may take the action now (PermissionDenied -> 403,
   InvalidTransition -> 409) and, for content edits, whether the `version` the edit was based on
   is still the stored one (StaleVersion -> 409);
3. validate the input (django ValidationError with field messages -> 400);
4. write exactly one WorkflowEvent and save only the changed fields, bumping `version` when the
   content changed;
5. side effects run once the transaction commits: the post_save receivers connected in
   ClaimsConfig.ready mark the public caches stale through `transaction.on_commit`.

Field-level history (django-simple-history) records who made each change and why: services set
`_history_user` and `_change_reason` on every instance they save, because API requests
authenticated by token are invisible to simple_history's request middleware.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from claims.claimreview import review_claimreview
from claims.exceptions import Conflict, InvalidTransition, StaleVersion
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    CorrectionKind,
    Evidence,
    Rating,
    Review,
    ReviewStatus,
    Stance,
    Topic,
    WorkflowEvent,
    unique_slug,
)
from claims.permissions import (
    CLAIM_PUBLISHED_IS_LOCKED,
    SLUG_IS_PERMANENT,
    TRANSITIONS,
    Action,
    Actor,
    claim_is_locked,
    claim_slug_is_permanent,
    ensure_can,
    ensure_model_permission,
    is_author,
    was_public,
)
from sources.models import Source

# --- messages (tests assert on these) -----------------------------------------------------------

STALE_VERSION = (
    "Someone changed this review while you were editing it (you edited version {based_on}, it "
    "is now at version {current}). Reload it, reapply your changes and save again."
)
COMMENT_REQUIRED = "Say what needs to change: a comment is required."
NOTE_REQUIRED = "A public note is required: readers see it."
KIND_INVALID = "Choose what this is: correction, update, clarification or verdict change."
VERSION_REQUIRED = "Send the version of the review your changes are based on."
NOT_CORRECTABLE = "This cannot be changed by a correction."
RATING_CHANGE_NEEDS_VERDICT_CHANGE = "A new rating is a verdict change: choose that kind."
VERDICT_CHANGE_NEEDS_RATING = "A verdict change needs the new rating."
RATING_REQUIRED = "A published review needs a rating."
PUBLISH_AT_IN_PAST = "Choose a time in the future, or leave it empty to publish now."
CLAIM_ALREADY_PUBLISHED = (
    "This claim already has a published review of ours: correct or update that one instead."
)
UNKNOWN_EVIDENCE = "Evidence {id} is not part of this review."
DUPLICATE_EVIDENCE = "Evidence {id} is listed twice."
EVIDENCE_ITEM_INVALID = "Item {number}: {field}: {message}"
DUPLICATE_APPEARANCE = "{url} is listed twice."
TWO_FIRST_APPEARANCES = "Only one appearance can be the first."
APPEARANCE_ITEM_INVALID = "Item {number}: {field}: {message}"
CLAIM_HAS_REVIEWS = "This claim has reviews: it cannot be deleted."
CLAIMANT_HAS_CLAIMS = "This claimant has claims: reassign or delete them first."
# A correction's errors about the review's claim, under "claim".
CLAIM_FIELD_ERROR = "{field}: {message}"
BACK_TO_DRAFT = "Edited while {status}: back to draft for another review."

# Fields of a review its authors write. The rest (status, version, authors, who approved and
# published, dates) belong to the server.
CONTENT_FIELDS = ("claim", "rating", "headline", "summary", "body", "language")
# What a correction or update may change on a published review.
CORRECTABLE_FIELDS = ("rating", "headline", "summary", "body")


class ReviewContent(TypedDict, total=False):
    claim: Claim
    rating: Rating | None
    headline: str
    summary: str
    body: str
    language: str


@dataclass(frozen=True)
class EvidenceItem:
    """One entry of a review's evidence list. `id` names an existing entry to keep and update;
    entries without one are added. Position in the list is the order on the page."""

    source: Source
    quote: str = ""
    stance: str = Stance.CONTEXT
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class AppearanceItem:
    """One place a claim appeared; matched to the claim's existing appearances by URL."""

    url: str
    archived_url: str = ""
    title: str = ""
    date: datetime.date | None = None
    first: bool = False


# --- helpers ----------------------------------------------------------------------------------


def _lock(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


def _lock_claim(claim_id: int) -> Claim:
    """Lock a claim for a write, after the rows of its reviews (in id order).

    Lock order everywhere is reviews, then their claim: the review actions lock their review
    first (and publishing then the claim), and saving a claim rewrites its reviews' search
    text (claims.search). Taking the claim first here would deadlock with a publication of
    one of its reviews.
    """
    reviews = Review.objects.select_for_update().filter(claim_id=claim_id).order_by("pk")
    list(reviews.values_list("pk", flat=True))
    return Claim.objects.select_for_update().get(pk=claim_id)


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


def _apply(
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


def _validate_fields(instance: models.Model, names: Iterable[str]) -> None:
    """Run the model fields' own validation (blank, length, choices, validators) on `names`."""
    names = set(names)
    if names:
        instance.clean_fields(
            exclude=[f.name for f in instance._meta.fields if f.name not in names]
        )


def _save(instance: models.Model, by: User, fields: Iterable[str] | None, reason: str) -> None:
    instance._history_user = by  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    if fields is None:
        instance.save()
        return
    update_fields = list(dict.fromkeys(fields))
    if any(f.name == "updated_at" for f in instance._meta.fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)


def _record(
    review: Review, by: User, action: str, source: str, target: str, comment: str = ""
) -> WorkflowEvent:
    return WorkflowEvent.objects.create(
        review=review,
        actor=by,
        action=action,
        source=source,
        target=target,
        comment=comment,
    )


def _check_version(review: Review, version: int) -> None:
    if version != review.version:
        raise StaleVersion(STALE_VERSION.format(based_on=version, current=review.version))


def _move(
    review: Review,
    by: User,
    action: Action,
    *,
    comment: str = "",
    fields: Mapping[str, Any] | None = None,
) -> Review:
    """Move a locked, permitted `review` along TRANSITIONS[action]; one event, one save."""
    source, target = TRANSITIONS[action]
    review.status = target
    for name, value in (fields or {}).items():
        setattr(review, name, value)
    _save(review, by, ["status", *(fields or {})], reason=action.value)
    _record(review, by, action.value, source, target, comment)
    return review


def _required_text(name: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({name: [message]})
    return value


# --- evidence ---------------------------------------------------------------------------------


def _plan_evidence(
    review: Review, items: Sequence[EvidenceItem]
) -> tuple[list[Evidence], list[Evidence], list[Evidence]] | None:
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


def _write_evidence(
    by: User, reason: str, plan: tuple[list[Evidence], list[Evidence], list[Evidence]]
) -> None:
    to_update, to_add, to_delete = plan
    for evidence in to_delete:
        evidence._history_user = by  # type: ignore[attr-defined]
        evidence._change_reason = reason  # type: ignore[attr-defined]
        evidence.delete()
    for evidence in [*to_update, *to_add]:
        _save(evidence, by, None, reason)


# --- reviews ------------------------------------------------------------------------------------


@transaction.atomic
def review_create(
    *,
    by: Actor,
    claim: Claim,
    headline: str,
    rating: Rating | None = None,
    summary: str = "",
    body: str = "",
    language: str = "en",
    evidence: Sequence[EvidenceItem] = (),
) -> Review:
    """A new draft review of `claim`, written by `by` (its first author)."""
    by = ensure_can(by, Action.CREATE)
    review = Review(
        claim=claim,
        rating=rating,
        headline=headline,
        summary=summary,
        body=body,
        language=language,
        created_by=by,
    )
    _validate_fields(review, CONTENT_FIELDS)
    plan = _plan_evidence(review, evidence)
    _save(review, by, None, reason=Action.CREATE.value)
    review.authors.add(by)
    if plan is not None:
        _write_evidence(by, Action.CREATE.value, plan)
    _record(review, by, Action.CREATE.value, "", ReviewStatus.DRAFT)
    return review


@transaction.atomic
def review_update(
    *,
    review: Review,
    by: Actor,
    version: int,
    changes: ReviewContent | None = None,
    evidence: Sequence[EvidenceItem] | None = None,
    comment: str = "",
) -> Review:
    """Edit the content of a review that is not yet published, based on `version`.

    `evidence`, when given, replaces the evidence list. Nothing is written (no event, no new
    version) when nothing differs. A review in review or approved goes back to draft, and an
    editor who edits someone else's review becomes one of its authors (so the two-person rule
    then applies to them too). Raises StaleVersion when `version` is not the stored one.
    """
    review = _lock(review)
    by = ensure_can(by, Action.UPDATE, review)
    _check_version(review, version)
    changed = _apply(review, changes or {}, CONTENT_FIELDS)
    _validate_fields(review, changed)
    plan = _plan_evidence(review, evidence) if evidence is not None else None
    if not changed and plan is None:
        return review

    source = review.status
    review.version += 1
    fields = [*changed, "version"]
    if source != ReviewStatus.DRAFT:
        review.status, review.approved_by = ReviewStatus.DRAFT, None
        fields += ["status", "approved_by"]
        comment = comment or BACK_TO_DRAFT.format(status=ReviewStatus(source).label.lower())
    _save(review, by, fields, reason="edit")
    if plan is not None:
        _write_evidence(by, "edit", plan)
    if not is_author(by, review):
        review.authors.add(by)
    _record(review, by, "edit", source, ReviewStatus.DRAFT, comment)
    return review


@transaction.atomic
def review_delete(*, review: Review, by: Actor) -> None:
    """Delete a draft that was never public (its evidence and events go with it).

    A draft that was scheduled, corrected and withdrawn before its time may hold corrections;
    readers never saw them, so they go too (Correction protects its review from deletion
    otherwise)."""
    review = _lock(review)
    by = ensure_can(by, Action.DELETE, review)
    review.corrections.all().delete()
    review._history_user = by  # type: ignore[attr-defined]
    review.delete()


@transaction.atomic
def review_submit(*, review: Review, by: Actor, comment: str = "") -> Review:
    review = _lock(review)
    by = ensure_can(by, Action.SUBMIT, review)
    return _move(review, by, Action.SUBMIT, comment=comment)


@transaction.atomic
def review_request_changes(*, review: Review, by: Actor, comment: str) -> Review:
    review = _lock(review)
    by = ensure_can(by, Action.REQUEST_CHANGES, review)
    comment = _required_text("comment", comment, COMMENT_REQUIRED)
    return _move(review, by, Action.REQUEST_CHANGES, comment=comment)


@transaction.atomic
def review_approve(*, review: Review, by: Actor, comment: str = "") -> Review:
    review = _lock(review)
    by = ensure_can(by, Action.APPROVE, review)
    return _move(review, by, Action.APPROVE, comment=comment, fields={"approved_by": by})


@transaction.atomic
def review_publish(
    *, review: Review, by: Actor, at: datetime.datetime | None = None, comment: str = ""
) -> Review:
    """Publish an approved review now, or at `at` (a scheduled publication).

    A scheduled review is published in the database at once and public from `at` on, because
    Review.objects.published() compares `publish_at` with the current time: no job flips it.
    `date_published` is when the review first became public: this publication's time, unless
    the review already went public before (a `date_published` that is past: a re-publication
    after reopening keeps it). A `date_published` still in the future is a schedule that never
    went live (review_withdraw clears those; older rows may keep one) and is replaced.
    Refused with a ValidationError naming the fields when the ClaimReview it would publish has
    errors, and with InvalidTransition when the claim already has a published review of ours.
    """
    review = _lock(review)
    by = ensure_can(by, Action.PUBLISH, review)
    now = timezone.now()
    if at is not None and at < now:
        raise ValidationError({"publish_at": [PUBLISH_AT_IN_PAST]})
    publish_at = at or now

    # One published review per claim: lock the claim so two publications of it queue up.
    Claim.objects.select_for_update().filter(pk=review.claim_id).exists()
    others = Review.objects.ours().filter(claim_id=review.claim_id, status=ReviewStatus.PUBLISHED)
    if others.exclude(pk=review.pk).exists():
        raise Conflict(CLAIM_ALREADY_PUBLISHED)

    document_of = Review.objects.for_claimreview().get(pk=review.pk)
    _, result = review_claimreview(document_of, at=publish_at)
    if result.errors:
        raise ValidationError({"claimreview": [message.text for message in result.errors]})

    fields: dict[str, Any] = {"published_by": by, "publish_at": publish_at}
    if not was_public(review, now=now):
        fields["date_published"] = publish_at
    return _move(review, by, Action.PUBLISH, comment=comment, fields=fields)


@transaction.atomic
def review_correct(
    *,
    review: Review,
    by: Actor,
    kind: str,
    note: str,
    version: int | None = None,
    changes: ReviewContent | None = None,
    claim_changes: Mapping[str, Any] | None = None,
    appearances: Sequence[AppearanceItem] | None = None,
) -> Review:
    """Correct, update, clarify or change the verdict of a published review, in public.

    Creates a Correction (shown on the page and in ClaimReview) with the public `note`, sets
    `date_modified`, and applies `changes` (rating, headline, summary, body) and, to the
    review's claim, `claim_changes` (CLAIM_FIELDS: text, short_text, claimant, date_claimed,
    venue, language) and `appearances` (replacing the list, as in claim_update): while the review
    is published, a correction is the only way to change them. The field history keeps the old
    values of the review and of the claim (the claim's record is dated like the correction, so
    the review's history shows it); appearances keep no field history, the public note says
    what changed. The slug never changes. Changing the rating is a verdict change and vice
    versa. `version` is required when anything changes. Errors about the claim's fields come
    under "claim", each message prefixed with the field's name (CLAIM_FIELD_ERROR).
    """
    claim = None
    if claim_changes or appearances is not None:
        # The claim's reviews and the claim are locked before this review on its own (the lock
        # order of _lock_claim), so a claim edit and a correction queue up.
        claim_id = review.claim_id or Review.objects.values_list("claim_id", flat=True).get(
            pk=review.pk
        )
        claim = _lock_claim(claim_id)
    review = _lock(review)
    by = ensure_can(by, Action.CORRECT, review)
    if version is not None:
        _check_version(review, version)
    errors: dict[str, list[str]] = {}
    if kind not in CorrectionKind.values:
        errors["kind"] = [KIND_INVALID]
    if not (note or "").strip():
        errors["note"] = [NOTE_REQUIRED]
    for name in set(changes or {}) - set(CORRECTABLE_FIELDS):
        errors[name] = [NOT_CORRECTABLE]
    for name in sorted(set(claim_changes or {}) - set(CLAIM_FIELDS)):
        message = SLUG_IS_PERMANENT if name == "slug" else NOT_CORRECTABLE
        errors.setdefault("claim", []).append(CLAIM_FIELD_ERROR.format(field=name, message=message))
    if errors:
        raise ValidationError(errors)

    changed = _apply(review, changes or {}, CORRECTABLE_FIELDS)
    claim_changed: list[str] = []
    appearance_plan = None
    if claim is not None:
        review.claim = claim
        claim_changed = _apply(claim, claim_changes or {}, CLAIM_FIELDS)
        existing = list(claim.appearances.all())
        if appearances is not None and list(appearances) != _appearance_items(existing):
            try:
                appearance_plan = _plan_appearances(claim, appearances, existing)
            except ValidationError as exc:
                errors["claim"] = _prefixed(exc)
    if (changed or claim_changed or appearance_plan) and version is None:
        errors["version"] = [VERSION_REQUIRED]
    if "rating" in changed and kind != CorrectionKind.VERDICT_CHANGE:
        errors["kind"] = [RATING_CHANGE_NEEDS_VERDICT_CHANGE]
    if kind == CorrectionKind.VERDICT_CHANGE and "rating" not in changed:
        errors["rating"] = [VERDICT_CHANGE_NEEDS_RATING]
    if review.rating_id is None:
        errors["rating"] = [RATING_REQUIRED]
    if errors:
        raise ValidationError(errors)
    _validate_fields(review, changed)
    if claim_changed:
        try:
            review.claim.full_clean()
        except ValidationError as exc:
            raise ValidationError({"claim": _prefixed(exc)}) from None
    if appearance_plan is not None:
        # Written before the ClaimReview check reads them; undone with everything else if the
        # check fails (one transaction).
        _write_appearances(review.claim, appearance_plan)
    _, result = review_claimreview(review)
    if result.errors:
        raise ValidationError({"claimreview": [message.text for message in result.errors]})

    now = timezone.now()
    note = note.strip()
    Correction.objects.create(review=review, kind=kind, note=note, created_at=now, created_by=by)
    if claim_changed:
        review.claim._history_date = now  # type: ignore[attr-defined]
        _save(review.claim, by, claim_changed, reason=Action.CORRECT.value)
    review.date_modified = now
    review.version += 1
    _save(review, by, [*changed, "date_modified", "version"], reason=Action.CORRECT.value)
    _record(review, by, Action.CORRECT.value, review.status, review.status, note)
    return review


def _prefixed(exc: ValidationError) -> list[str]:
    """`exc`'s messages as one list, each prefixed with its field's name."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        CLAIM_FIELD_ERROR.format(field=field, message=message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


@transaction.atomic
def review_withdraw(*, review: Review, by: Actor, note: str) -> Review:
    """Take a published review down, with a public notice its page keeps showing.

    A scheduled review withdrawn before its time never went public: its future
    `date_published` is cleared (the field history keeps it), so a later publication dates it
    from when it really goes out, and as a draft it may be deleted again. A review that was
    public once keeps the date it first went out, whatever was scheduled since.
    """
    review = _lock(review)
    by = ensure_can(by, Action.WITHDRAW, review)
    note = _required_text("note", note, NOTE_REQUIRED)
    now = timezone.now()
    fields: dict[str, Any] = {"withdrawn_at": now, "withdrawal_note": note}
    if review.date_published is not None and not was_public(review, now=now):
        fields["date_published"] = None
    return _move(review, by, Action.WITHDRAW, comment=note, fields=fields)


@transaction.atomic
def review_reopen(*, review: Review, by: Actor, comment: str = "") -> Review:
    """Bring a withdrawn review back to draft, to be reviewed and published again.

    The withdrawal notice is cleared from the review (the audit trail and field history keep
    it); `date_published` stays (set only if the review was public once), so a re-publication
    keeps the first publication date.
    """
    review = _lock(review)
    by = ensure_can(by, Action.REOPEN, review)
    fields = {"withdrawn_at": None, "withdrawal_note": "", "approved_by": None}
    return _move(review, by, Action.REOPEN, comment=comment, fields=fields)


# --- claimants --------------------------------------------------------------------------------

CLAIMANT_FIELDS = ("name", "slug", "kind", "job_title", "description", "same_as", "image_url")


@transaction.atomic
def claimant_create(*, by: Actor, name: str, **fields: Any) -> Claimant:
    by = ensure_model_permission(by, "add", Claimant)
    claimant = Claimant(name=name)
    _apply(claimant, fields, CLAIMANT_FIELDS)
    if not claimant.slug:
        claimant.slug = unique_slug(Claimant, name)
    claimant.full_clean()
    _save(claimant, by, None, reason="create")
    return claimant


@transaction.atomic
def claimant_update(*, claimant: Claimant, by: Actor, changes: Mapping[str, Any]) -> Claimant:
    by = ensure_model_permission(by, "change", Claimant)
    claimant = Claimant.objects.select_for_update().get(pk=claimant.pk)
    changed = _apply(claimant, changes, CLAIMANT_FIELDS)
    if changed:
        claimant.full_clean()
        _save(claimant, by, changed, reason="edit")
    return claimant


@transaction.atomic
def claimant_delete(*, claimant: Claimant, by: Actor) -> None:
    by = ensure_model_permission(by, "delete", Claimant)
    try:
        claimant.delete()
    except ProtectedError:
        raise Conflict(CLAIMANT_HAS_CLAIMS) from None


# --- claims -----------------------------------------------------------------------------------

CLAIM_FIELDS = ("text", "short_text", "claimant", "date_claimed", "venue", "language")


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
    _apply(claim, fields, CLAIM_FIELDS)
    if not claim.slug:
        claim.slug = unique_slug(Claim, claim.claim_reviewed)
    claim.full_clean()
    plan = _plan_appearances(claim, appearances)
    _save(claim, by, None, reason="create")
    claim.topics.set(list(topics))
    _write_appearances(claim, plan)
    return claim


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    by: Actor,
    changes: Mapping[str, Any],
    topics: Iterable[Topic] | None = None,
    appearances: Sequence[AppearanceItem] | None = None,
) -> Claim:
    """Edit a claim; `topics` and `appearances`, when given, replace the claim's lists (an
    appearance is matched to an existing one by URL). Values equal to the stored ones are no
    change.

    While the claim has a published review of ours (scheduled included), its public fields
    and appearances are part of that fact check and locked (claims.permissions.claim_is_locked):
    changing them raises InvalidTransition (409) and writes nothing; they change through
    review_correct, with a public note. Its topics stay editable, and so do the Claimant and
    Source records it points at (shared by many claims, edited through their own services).
    `changes` may carry the slug, the address of the claim's public page, only until a review
    of it has been published (claim_slug_is_permanent); the API never sends it.
    """
    by = ensure_model_permission(by, "change", Claim)
    claim = _lock_claim(claim.pk)
    changed = _apply(claim, changes, (*CLAIM_FIELDS, "slug"))
    existing = list(claim.appearances.all())
    appearances_changed = appearances is not None and list(appearances) != _appearance_items(
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
        plan = _plan_appearances(claim, appearances, existing)
    if changed:
        _save(claim, by, changed, reason="edit")
    if topics is not None:
        claim.topics.set(list(topics))
    if plan is not None:
        _write_appearances(claim, plan)
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, by: Actor) -> None:
    by = ensure_model_permission(by, "delete", Claim)
    if claim.reviews.exists():
        raise Conflict(CLAIM_HAS_REVIEWS)
    claim._history_user = by  # type: ignore[attr-defined]
    claim.delete()


def _appearance_items(appearances: Iterable[Appearance]) -> list[AppearanceItem]:
    """Stored appearances (in their order) as the items that would describe them."""
    return [
        AppearanceItem(
            url=a.url, archived_url=a.archived_url, title=a.title, date=a.date, first=a.first
        )
        for a in appearances
    ]


def _plan_appearances(
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


def _write_appearances(claim: Claim, plan: tuple[list[Appearance], list[Appearance]]) -> None:
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
