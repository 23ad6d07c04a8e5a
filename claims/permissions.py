"""Who may do what to a review, and when: the rules of claims.workflow, applied.

Services call `ensure_can()` before every write; the admin and the API call `allowed_actions()`
and `can()` to offer only what may be done now. Roles are the groups created by
claims/migrations/0003_roles.py (Fact-checkers < Editors < Publishers, each with the rights of
the ones before), read here through the permissions each rule of claims.workflow names:

- claims.add_review / change_review / delete_review (every role): create, edit, submit, delete;
- claims.review_review (Editors and Publishers): approve, request changes, edit and submit
  anyone's review;
- claims.publish_review (Publishers): publish, correct/update, withdraw, reopen.

Superusers hold every permission, but the two-person rule binds them too: nobody who authored a
review may approve it or request changes on it.

`ensure_can()` checks in two steps, so the HTTP status tells the caller what went wrong:

1. who (PermissionDenied, 403): signed in and active, the rule's permission, and the caller's
   relation to the review (`Rule.who`: an author, or not an author for approval);
2. when (InvalidTransition, 409): the review's state is one the rule starts from.
"""

from __future__ import annotations

import datetime
from typing import TypeAlias, cast

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from claims.exceptions import InvalidTransition
from claims.models import Review, ReviewQuerySet, ReviewStatus, Revision, RevisionStatus
from claims.workflow import (
    BUTTONS,
    PUBLISH_REVIEW,
    REVIEW_REVIEW,
    REVISION_BUTTONS,
    RULES,
    VIEW_REVIEW,
    Action,
    Who,
)
from core.api import has_model_permission

Actor: TypeAlias = User | AnonymousUser
S = ReviewStatus
# What the workflow acts on: a review, or a revision of one (the rule's `subject`).
Subject: TypeAlias = Review | Revision

# --- messages (tests assert on these) -----------------------------------------------------------

SIGN_IN_REQUIRED = "Sign in with an active account to work on reviews."
NO_ROLE = "Your role does not allow you to {verb} reviews."
AUTHORS_OR_EDITORS_ONLY = "Only an author of this review or an editor may {verb} it."
TWO_PERSON_RULE = (
    "You are an author of this review: someone else must approve it or request changes on it."
)
IMPORTED_IS_REFERENCE = (
    "This review was imported from another publisher: it is reference data and does not go "
    "through our workflow."
)
PUBLISHED_ONCE_CANNOT_BE_DELETED = (
    "This review has been published before: it stays on record and cannot be deleted."
)
NO_MODEL_PERMISSION = "Your role does not allow you to {verb} {things}."
CLAIM_PUBLISHED_IS_LOCKED = (
    "This claim's fact check is published: change it through a correction of the review."
)
SLUG_IS_PERMANENT = (
    "This claim's fact check has been published at this address: its slug never changes."
)


def is_author(user: Actor, review: Subject) -> bool:
    """Whether `user` is one of the authors of `review` (a review or a revision; one query
    unless authors are prefetched)."""
    if not user.is_authenticated or review.pk is None:
        return False
    cache = getattr(review, "_prefetched_objects_cache", {})
    if "authors" in cache:
        return any(author.pk == user.pk for author in cache["authors"])
    return review.authors.filter(pk=user.pk).exists()


def was_public(review: Review, *, now: datetime.datetime | None = None) -> bool:
    """Whether `review` has been public: its first publication (`date_published`) has come.

    A `date_published` still in the future is a schedule that has not gone live (or, on rows
    written before withdrawals cleared it, one that never will): readers never saw it.
    """
    return review.date_published is not None and review.date_published <= (now or timezone.now())


def _refusal(
    user: Actor, action: Action, review: Subject | None, *, author: bool | None = None
) -> Exception | None:
    """Why `user` may not take `action` on `review` now, or None when they may.

    `author` is whether the user is an author of the review, when the caller already knows.
    """
    if not user.is_authenticated or not user.is_active:
        return PermissionDenied(SIGN_IN_REQUIRED)
    rule = RULES[action]
    if not user.has_perm(rule.permission):
        return PermissionDenied(NO_ROLE.format(verb=rule.verb))
    if review is None:
        return None if not rule.source else PermissionDenied(NO_ROLE.format(verb=rule.verb))
    if author is None and rule.who is not Who.ANYONE:
        author = is_author(user, review)
    if rule.who is Who.AUTHORS_OR_EDITORS and not author and not user.has_perm(REVIEW_REVIEW):
        return PermissionDenied(AUTHORS_OR_EDITORS_ONLY.format(verb=rule.verb))
    if rule.who is Who.NOT_AUTHORS and author:
        return PermissionDenied(TWO_PERSON_RULE)
    return _state_refusal(action, review)


def _state_refusal(action: Action, review: Subject) -> InvalidTransition | None:
    if not review.is_ours:
        return InvalidTransition(IMPORTED_IS_REFERENCE)
    rule = RULES[action]
    if not rule.source:  # create: any claim may get a new draft
        return None
    status = review.status
    if status not in rule.source:
        states = RevisionStatus if rule.subject == "revision" else ReviewStatus
        label = states(status).label.lower()
        message = rule.state_messages.get(status) or rule.wrong_state
        return InvalidTransition(message.format(status=label))
    if action is Action.DELETE and isinstance(review, Review) and was_public(review):
        return InvalidTransition(PUBLISHED_ONCE_CANNOT_BE_DELETED)
    return None


def can(user: Actor, action: Action | str, review: Subject | None = None) -> bool:
    """Whether `user` may take `action` on `review` now (`review` None: only for CREATE)."""
    return _refusal(user, Action(action), review) is None


def ensure_can(user: Actor, action: Action | str, review: Subject | None = None) -> User:
    """Raise PermissionDenied (403) or InvalidTransition (409) unless `user` may act now.

    Returns `user`, known from here on to be a signed-in User.
    """
    refusal = _refusal(user, Action(action), review)
    if refusal is not None:
        raise refusal
    return cast(User, user)


def allowed_actions(user: Actor, review: Review) -> list[Action]:
    """The workflow actions `user` may take on `review` now, in the order of the buttons.

    Costs at most one query (authorship), none when the review's authors are prefetched.
    """
    author = is_author(user, review)
    return [action for action in BUTTONS if _refusal(user, action, review, author=author) is None]


def allowed_revision_actions(user: Actor, revision: Revision) -> list[Action]:
    """The workflow actions `user` may take on `revision` now, in the order of its buttons."""
    author = is_author(user, revision)
    return [
        action
        for action in REVISION_BUTTONS
        if _refusal(user, action, revision, author=author) is None
    ]


def may_see_unpublished(user: Actor) -> bool:
    """Newsroom members (every role) see every review of ours, whatever its state."""
    return user.is_authenticated and user.is_active and user.has_perm(VIEW_REVIEW)


def visible_reviews(user: Actor) -> ReviewQuerySet:
    """Our reviews `user` may look up in the editorial API and admin: all of them for the
    newsroom, none for anyone else (who gets 404, never a hint that a draft exists)."""
    if may_see_unpublished(user):
        return Review.objects.ours()
    return Review.objects.none()


def awaiting_review_by(user: Actor, reviews: models.QuerySet[Review]) -> models.QuerySet[Review]:
    """The reviews in `reviews` waiting for `user` to approve or send back: in review, not
    written by them, and only if their role reviews at all."""
    if not (user.is_authenticated and user.has_perm(REVIEW_REVIEW)):
        return reviews.none()
    return reviews.filter(status=S.IN_REVIEW).exclude(authors=user)


def awaiting_publication_by(
    user: Actor, reviews: models.QuerySet[Review]
) -> models.QuerySet[Review]:
    """Approved reviews `user` may publish (none unless their role publishes)."""
    if not (user.is_authenticated and user.has_perm(PUBLISH_REVIEW)):
        return reviews.none()
    return reviews.filter(status=S.APPROVED)


def written_by(user: Actor, reviews: models.QuerySet[Review]) -> models.QuerySet[Review]:
    """The reviews in `reviews` `user` is an author of."""
    if not user.is_authenticated:
        return reviews.none()
    return reviews.filter(authors=user)


# --- plain records: claimants, claims (and their appearances) ------------------------------------

# What a published fact check says about its claim (DESIGN.md section 5: claimReviewed,
# itemReviewed, the page's URL), besides the claim's appearances.
CLAIM_PUBLIC_FIELDS = (
    "text",
    "short_text",
    "slug",
    "claimant",
    "date_claimed",
    "venue",
    "language",
)


def locking_review_id(claim_id: int | None) -> int | None:
    """The id of the review of ours in status published (public now, or scheduled) that locks
    the claim's public fields, or None. One query."""
    if claim_id is None:
        return None
    reviews = Review.objects.ours().filter(claim_id=claim_id, status=S.PUBLISHED)
    return reviews.values_list("pk", flat=True).first()


def claim_is_locked(claim_id: int | None) -> bool:
    """Whether the claim's public fields (CLAIM_PUBLIC_FIELDS and its appearances) are locked:
    it has a review of ours in status published (public now, or scheduled). They then change
    only through a correction of that review (claims.services.review_correct), with a public
    note, like the review itself (DESIGN.md section 4).

    Not locked: the claim's topics (filing and navigation, not part of the fact check), and the
    Claimant and Source records it points at, which many claims share: editing a claimant's job
    title or a source's title is not a change of one fact check.
    """
    return locking_review_id(claim_id) is not None


def claim_slug_is_permanent(claim_id: int | None) -> bool:
    """Whether the claim's slug, the address of its public page, may no longer change: a review
    of ours has been published (status published, scheduled included, or public once before).
    Links, feeds and search engines keep the old address; it must keep answering."""
    if claim_id is None:
        return False
    return (
        Review.objects.ours()
        .filter(claim_id=claim_id)
        .filter(models.Q(status=S.PUBLISHED) | models.Q(date_published__lte=timezone.now()))
        .exists()
    )


CLAIM_AUTHORS_OR_EDITORS_ONLY = (
    "Only an author of this claim's review or an editor may edit this claim."
)


def ensure_may_edit_claim(user: Actor, claim_id: int | None) -> None:
    """The review's authorship rule (Action.UPDATE: an author or an editor) for its claim.

    A claim under a draft (or in-review, approved, withdrawn) review of ours is part of that
    fact check: anyone whose role reviews (claims.review_review) may edit it, anyone else only
    if they are an author of one of its reviews (PermissionDenied otherwise). A claim no review
    of ours covers yet is open to every role that may change claims; a published one is locked
    (claim_is_locked) but for its topics, which every such role may file. One query, none for
    an editor."""
    if claim_id is None or user.has_perm(REVIEW_REVIEW):
        return
    counts = (
        Review.objects.ours()
        .filter(claim_id=claim_id)
        .aggregate(
            reviews=models.Count("pk", distinct=True),
            mine=models.Count("pk", filter=models.Q(authors__pk=user.pk), distinct=True),
            published=models.Count("pk", filter=models.Q(status=S.PUBLISHED), distinct=True),
        )
    )
    if counts["published"]:
        return  # locked (claim_is_locked): its public fields change by correction only
    if counts["reviews"] and not counts["mine"]:
        raise PermissionDenied(CLAIM_AUTHORS_OR_EDITORS_ONLY)


def ensure_model_permission(user: Actor, action: str, model: type[models.Model]) -> User:
    """Raise PermissionDenied unless `user`'s role holds the model permission; return the user."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(SIGN_IN_REQUIRED)
    if not has_model_permission(user, action, model):
        verb = "edit" if action == "change" else action
        raise PermissionDenied(
            NO_MODEL_PERMISSION.format(verb=verb, things=model._meta.verbose_name_plural)
        )
    return user
