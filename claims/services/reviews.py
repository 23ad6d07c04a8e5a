"""Reviews: create, edit, delete, and every workflow action of claims.workflow.

Each workflow action is one service function, registered for its action with `@performs`, so
the admin and the API run any action through `review_act()`. The state change itself is
`move()`, along the action's rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.claimreview import review_claimreview
from claims.exceptions import Conflict, StaleVersion
from claims.models import (
    Claim,
    Correction,
    CorrectionKind,
    Rating,
    Review,
    ReviewStatus,
    WorkflowEvent,
)
from claims.permissions import (
    SLUG_IS_PERMANENT,
    Actor,
    ensure_can,
    is_author,
    was_public,
)
from claims.services.claims import (
    CLAIM_FIELDS,
    AppearanceItem,
    appearance_items,
    lock_claim,
    plan_appearances,
    write_appearances,
)
from claims.services.common import apply_changes, required_text, save_by, validate_fields
from claims.services.evidence import EvidenceItem, plan_evidence, write_evidence
from claims.workflow import COMMENT_REQUIRED, NOTE_REQUIRED, RULES, Action

# --- messages (tests assert on these) -----------------------------------------------------------

STALE_VERSION = (
    "Someone changed this review while you were editing it (you edited version {based_on}, it "
    "is now at version {current}). Reload it, reapply your changes and save again."
)
KIND_INVALID = "Choose what this is: correction, update, clarification or verdict change."
VERSION_REQUIRED = "Send the version of the review your changes are based on."
NOT_CORRECTABLE = "This cannot be changed by a correction."
RATING_NEEDS_REVISION = (
    "A new rating needs a revision, approved by an editor who did not write it: start one with "
    "Revise (POST /api/v1/reviews/<id>/revisions/)."
)
EVIDENCE_NEEDS_REVISION = (
    "Evidence changes need a revision, approved by an editor who did not write it: start one "
    "with Revise (POST /api/v1/reviews/<id>/revisions/)."
)
VERDICT_CHANGE_NEEDS_REVISION = "A verdict change is published through a revision, not here."
CLAIM_HAS_A_FACT_CHECK = (
    "This claim already has a fact check of ours: \u201c{headline}\u201d (review {id}). One "
    "fact check per claim: re-check it through a revision of that review."
)
RATING_REQUIRED = "A published review needs a rating."
PUBLISH_AT_IN_PAST = "Choose a time in the future, or leave it empty to publish now."
CLAIM_ALREADY_PUBLISHED = (
    "This claim already has a published review of ours: correct or update that one instead."
)
# A correction's errors about the review's claim, under "claim".
CLAIM_FIELD_ERROR = "{field}: {message}"
BACK_TO_DRAFT = "Edited while {status}: back to draft for another review."

# Fields of a review its authors write. The rest (status, version, authors, who approved and
# published, dates) belong to the server.
CONTENT_FIELDS = ("claim", "rating", "headline", "summary", "body", "language")
# What a correction or update may change on a published review (a rating or evidence change
# needs a revision: claims.services.revisions).
CORRECTABLE_FIELDS = ("headline", "summary", "body")


class ReviewContent(TypedDict, total=False):
    claim: Claim
    rating: Rating | None
    headline: str
    summary: str
    body: str
    language: str


# --- the state change ------------------------------------------------------------------------


def lock_review(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


def record(
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


def check_version(review: Review, version: int) -> None:
    if version != review.version:
        raise StaleVersion(STALE_VERSION.format(based_on=version, current=review.version))


def move(
    review: Review,
    by: User,
    action: Action,
    *,
    comment: str = "",
    fields: Mapping[str, Any] | None = None,
) -> Review:
    """Move a locked, permitted `review` to the target of `action`'s rule (claims.workflow); one
    event, one save."""
    source, target = review.status, RULES[action].target
    assert target is not None, f"{action} changes no state"
    review.status = target
    for name, value in (fields or {}).items():
        setattr(review, name, value)
    save_by(review, by, ["status", *(fields or {})], reason=action.value)
    record(review, by, action.value, source, target, comment)
    return review


PERFORMERS: dict[Action, Callable[..., Any]] = {}


def performs(action: Action) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated service function as the one that performs `action` (a review's,
    or a revision's: claims.services.revisions)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        PERFORMERS[action] = function
        return function

    return register


def review_act(action: Action, *, review: Review, by: Actor, **inputs: Any) -> Any:
    """Run the workflow `action` on `review` with its inputs (keywords of its service). Returns
    the review (REVISE: the revision it started)."""
    return PERFORMERS[action](review=review, by=by, **inputs)


def ensure_one_fact_check(claim: Claim | None, *, review: Review | None = None) -> None:
    """Refuse a second review of ours of `claim` (any state): one fact check per claim, and a
    re-check is a revision of it. The error names the existing review."""
    if claim is None:
        return
    others = Review.objects.ours().filter(claim_id=claim.pk)
    if review is not None and review.pk is not None:
        others = others.exclude(pk=review.pk)
    existing = others.order_by("pk").first()
    if existing is not None:
        message = CLAIM_HAS_A_FACT_CHECK.format(headline=existing.headline, id=existing.pk)
        raise ValidationError({"claim": [message]})


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
    # Lock the claim so two new reviews of it queue up, then check it has none of ours.
    Claim.objects.select_for_update().filter(pk=claim.pk).exists()
    ensure_one_fact_check(claim)
    review = Review(
        claim=claim,
        rating=rating,
        headline=headline,
        summary=summary,
        body=body,
        language=language,
        created_by=by,
    )
    validate_fields(review, CONTENT_FIELDS)
    plan = plan_evidence(review, evidence)
    save_by(review, by, None, reason=Action.CREATE.value)
    review.authors.add(by)
    if plan is not None:
        write_evidence(by, Action.CREATE.value, plan)
    record(review, by, Action.CREATE.value, "", ReviewStatus.DRAFT)
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
    review = lock_review(review)
    by = ensure_can(by, Action.UPDATE, review)
    check_version(review, version)
    changed = apply_changes(review, changes or {}, CONTENT_FIELDS)
    validate_fields(review, changed)
    if "claim" in changed:
        ensure_one_fact_check(review.claim, review=review)
    plan = plan_evidence(review, evidence) if evidence is not None else None
    if not changed and plan is None:
        return review

    source = review.status
    review.version += 1
    fields = [*changed, "version"]
    if source != ReviewStatus.DRAFT:
        review.status, review.approved_by = ReviewStatus.DRAFT, None
        fields += ["status", "approved_by"]
        comment = comment or BACK_TO_DRAFT.format(status=ReviewStatus(source).label.lower())
    save_by(review, by, fields, reason="edit")
    if plan is not None:
        write_evidence(by, "edit", plan)
    if not is_author(by, review):
        review.authors.add(by)
    record(review, by, "edit", source, ReviewStatus.DRAFT, comment)
    return review


@transaction.atomic
def review_delete(*, review: Review, by: Actor) -> None:
    """Delete a draft that was never public (its evidence and events go with it).

    A draft that was scheduled, corrected and withdrawn before its time may hold corrections;
    readers never saw them, so they go too (Correction protects its review from deletion
    otherwise)."""
    review = lock_review(review)
    by = ensure_can(by, Action.DELETE, review)
    review.corrections.all().delete()
    review._history_user = by  # type: ignore[attr-defined]
    review.delete()


@performs(Action.SUBMIT)
@transaction.atomic
def review_submit(*, review: Review, by: Actor, comment: str = "") -> Review:
    review = lock_review(review)
    by = ensure_can(by, Action.SUBMIT, review)
    return move(review, by, Action.SUBMIT, comment=comment)


@performs(Action.REQUEST_CHANGES)
@transaction.atomic
def review_request_changes(*, review: Review, by: Actor, comment: str) -> Review:
    review = lock_review(review)
    by = ensure_can(by, Action.REQUEST_CHANGES, review)
    comment = required_text("comment", comment, COMMENT_REQUIRED)
    return move(review, by, Action.REQUEST_CHANGES, comment=comment)


@performs(Action.APPROVE)
@transaction.atomic
def review_approve(*, review: Review, by: Actor, comment: str = "") -> Review:
    review = lock_review(review)
    by = ensure_can(by, Action.APPROVE, review)
    return move(review, by, Action.APPROVE, comment=comment, fields={"approved_by": by})


@performs(Action.PUBLISH)
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
    review = lock_review(review)
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
    return move(review, by, Action.PUBLISH, comment=comment, fields=fields)


@performs(Action.CORRECT)
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
    evidence: Sequence[Any] | None = None,
) -> Review:
    """Correct, update or clarify a published review, in public: the publisher's direct route
    for an urgent text fix.

    Creates a Correction (shown on the page and in ClaimReview) with the public `note`, sets
    `date_modified`, and applies `changes` (headline, summary, body) and, to the
    review's claim, `claim_changes` (CLAIM_FIELDS: text, short_text, claimant, date_claimed,
    venue, language) and `appearances` (replacing the list, as in claim_update): while the review
    is published, a correction is the only way to change them. The field history keeps the old
    values of the review and of the claim (the claim's record is dated like the correction, so
    the review's history shows it); appearances keep no field history, the public note says
    what changed. The slug never changes. `version` is required when anything changes. Errors
    about the claim's fields come under "claim", each message prefixed with the field's name
    (CLAIM_FIELD_ERROR).

    A new rating, any `evidence`, and the kind "verdict change" are refused (400 naming the
    field): those need a revision (claims.services.revisions), approved by an editor who did
    not write it, so no publisher alone changes a verdict or what it rests on.
    """
    claim = None
    if claim_changes or appearances is not None:
        # The claim's reviews and the claim are locked before this review on its own (the lock
        # order of _lock_claim), so a claim edit and a correction queue up.
        claim_id = review.claim_id or Review.objects.values_list("claim_id", flat=True).get(
            pk=review.pk
        )
        claim = lock_claim(claim_id)
    review = lock_review(review)
    by = ensure_can(by, Action.CORRECT, review)
    if version is not None:
        check_version(review, version)
    errors: dict[str, list[str]] = {}
    if kind == CorrectionKind.VERDICT_CHANGE:
        errors["kind"] = [VERDICT_CHANGE_NEEDS_REVISION]
    elif kind not in CorrectionKind.values or kind == CorrectionKind.WITHDRAWAL:
        errors["kind"] = [KIND_INVALID]
    if not (note or "").strip():
        errors["note"] = [NOTE_REQUIRED]
    text_changes: dict[str, Any] = dict(changes or {})
    if "rating" in text_changes:
        new_rating = text_changes.pop("rating")
        if getattr(new_rating, "pk", new_rating) != review.rating_id:
            errors["rating"] = [RATING_NEEDS_REVISION]
    if evidence is not None:
        errors["evidence"] = [EVIDENCE_NEEDS_REVISION]
    for name in set(text_changes) - set(CORRECTABLE_FIELDS):
        errors[name] = [NOT_CORRECTABLE]
    for name in sorted(set(claim_changes or {}) - set(CLAIM_FIELDS)):
        message = SLUG_IS_PERMANENT if name == "slug" else NOT_CORRECTABLE
        errors.setdefault("claim", []).append(CLAIM_FIELD_ERROR.format(field=name, message=message))
    if errors:
        raise ValidationError(errors)

    changed = apply_changes(review, text_changes, CORRECTABLE_FIELDS)
    claim_changed: list[str] = []
    appearance_plan = None
    if claim is not None:
        review.claim = claim
        claim_changed = apply_changes(claim, claim_changes or {}, CLAIM_FIELDS)
        existing = list(claim.appearances.all())
        if appearances is not None and list(appearances) != appearance_items(existing):
            try:
                appearance_plan = plan_appearances(claim, appearances, existing)
            except ValidationError as exc:
                errors["claim"] = _prefixed(exc)
    if (changed or claim_changed or appearance_plan) and version is None:
        errors["version"] = [VERSION_REQUIRED]
    if review.rating_id is None:
        errors["rating"] = [RATING_REQUIRED]
    if errors:
        raise ValidationError(errors)
    validate_fields(review, changed)
    if claim_changed:
        try:
            review.claim.full_clean()
        except ValidationError as exc:
            raise ValidationError({"claim": _prefixed(exc)}) from None
    if appearance_plan is not None:
        # Written before the ClaimReview check reads them; undone with everything else if the
        # check fails (one transaction).
        write_appearances(review.claim, appearance_plan)
    _, result = review_claimreview(review)
    if result.errors:
        raise ValidationError({"claimreview": [message.text for message in result.errors]})

    now = timezone.now()
    note = note.strip()
    Correction.objects.create(
        review=review,
        kind=kind,
        note=note,
        headline=review.headline,
        created_at=now,
        created_by=by,
    )
    if claim_changed:
        review.claim._history_date = now  # type: ignore[attr-defined]
        review.claim.version += 1  # an edit based on the claim as it was is now stale
        save_by(review.claim, by, [*claim_changed, "version"], reason=Action.CORRECT.value)
    elif appearance_plan is not None:
        Claim.objects.filter(pk=review.claim.pk).update(version=F("version") + 1)
    review.date_modified = now
    review.version += 1
    save_by(review, by, [*changed, "date_modified", "version"], reason=Action.CORRECT.value)
    record(review, by, Action.CORRECT.value, review.status, review.status, note)
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


@performs(Action.WITHDRAW)
@transaction.atomic
def review_withdraw(*, review: Review, by: Actor, note: str) -> Review:
    """Take a published review down, with a public notice its page keeps showing.

    A scheduled review withdrawn before its time never went public: its future
    `date_published` is cleared (the field history keeps it), so a later publication dates it
    from when it really goes out, and as a draft it may be deleted again. A review that was
    public once keeps the date it first went out, whatever was scheduled since.
    """
    review = lock_review(review)
    by = ensure_can(by, Action.WITHDRAW, review)
    note = required_text("note", note, NOTE_REQUIRED)
    now = timezone.now()
    fields: dict[str, Any] = {"withdrawn_at": now, "withdrawal_note": note}
    if was_public(review, now=now):
        # The public record of the withdrawal: it stays in the corrections log (and the page's
        # notice after a reopen) whatever happens to the review next.
        Correction.objects.create(
            review=review,
            kind=CorrectionKind.WITHDRAWAL,
            note=note,
            headline=review.headline,
            created_at=now,
            created_by=by,
        )
    elif review.date_published is not None:
        fields["date_published"] = None
    return move(review, by, Action.WITHDRAW, comment=note, fields=fields)


@performs(Action.REOPEN)
@transaction.atomic
def review_reopen(*, review: Review, by: Actor, comment: str = "") -> Review:
    """Bring a withdrawn review back to draft, to be reviewed and published again.

    The withdrawal notice is cleared from the review (the audit trail and field history keep
    it); `date_published` stays (set only if the review was public once), so a re-publication
    keeps the first publication date.
    """
    review = lock_review(review)
    by = ensure_can(by, Action.REOPEN, review)
    fields = {"withdrawn_at": None, "withdrawal_note": "", "approved_by": None}
    return move(review, by, Action.REOPEN, comment=comment, fields=fields)
