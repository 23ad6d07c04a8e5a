"""The permission matrix: every action x every member of the cast x every state.

The expected outcome of each cell is written out in EXPECTED (tests/helpers.py, shared with the
admin's buttons test), by hand, from DESIGN.md section 4; nothing here asks the code under test
what it should be. The review in every cell was written by `factchecker` (its only author). A
success writes exactly one WorkflowEvent and moves the review to TARGET[action]; a refusal
raises and changes nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from claims.exceptions import InvalidTransition
from claims.models import Correction, Evidence, Review, Revision, WorkflowEvent
from claims.permissions import TWO_PERSON_RULE, allowed_actions, can
from claims.services.reviews import (
    review_approve,
    review_correct,
    review_create,
    review_delete,
    review_publish,
    review_reopen,
    review_request_changes,
    review_submit,
    review_update,
    review_withdraw,
)
from claims.services.revisions import revision_start
from claims.workflow import BUTTONS as WORKFLOW_ACTIONS
from claims.workflow import RULES, Action
from tests.helpers import (
    CAST,
    DENIED,
    EXPECTED,
    OK,
    STATES,
    ClaimFactory,
    ReviewFactory,
    review_in,
)

pytestmark = pytest.mark.django_db


# Where a successful action leaves the review (None: deleted).
TARGET: dict[str, str | None] = {
    "update": "draft",
    "delete": None,
    "submit": "in_review",
    "request_changes": "draft",
    "approve": "approved",
    "publish": "published",
    "correct": "published",
    "withdraw": "withdrawn",
    "reopen": "draft",
    "revise": "published",  # the review stays published; a revision in draft is created
}
# The action name each success records in the audit trail.
EVENT_ACTION = {**{a: a for a in TARGET}, "update": "edit"}
# A step of a revision names the revision's states: revise creates one in draft.
EVENT_STATES = {"revise": ("", "draft")}


ACT: dict[str, Callable[[Review, Any], object]] = {
    "update": lambda r, by: review_update(
        review=r, by=by, version=r.version, changes={"headline": "A better headline"}
    ),
    "delete": lambda r, by: review_delete(review=r, by=by),
    "submit": lambda r, by: review_submit(review=r, by=by),
    "request_changes": lambda r, by: review_request_changes(
        review=r, by=by, comment="Cite the transcript."
    ),
    "approve": lambda r, by: review_approve(review=r, by=by),
    "publish": lambda r, by: review_publish(review=r, by=by),
    "correct": lambda r, by: review_correct(
        review=r, by=by, kind="update", note="Added the hearing transcript.", version=r.version
    ),
    "withdraw": lambda r, by: review_withdraw(
        review=r, by=by, note="The video we relied on was doctored."
    ),
    "reopen": lambda r, by: review_reopen(review=r, by=by),
    "revise": lambda r, by: revision_start(review=r, by=by),
}


def snapshot(review: Review) -> dict[str, Any]:
    """Everything an action could change."""
    return {
        "review": Review.objects.filter(pk=review.pk).values().first(),
        "authors": sorted(review.authors.values_list("pk", flat=True)),
        "events": list(WorkflowEvent.objects.values_list("pk", flat=True)),
        "corrections": Correction.objects.count(),
        "evidence": list(Evidence.objects.values("pk", "review_id", "quote")),
        "history": Review.history.count(),
        "revisions": list(Revision.objects.values_list("pk", "status")),
    }


CELLS = [
    (action, member, state, EXPECTED[action][member][i])
    for action in EXPECTED
    for member in CAST
    for i, state in enumerate(STATES)
]


def test_the_table_covers_every_action_member_and_state() -> None:
    review_actions = {a.value for a in Action if RULES[a].subject == "review"}
    assert set(EXPECTED) == review_actions - {"create"}
    for action, row in EXPECTED.items():
        assert set(row) == set(CAST), action
        assert all(len(cells) == len(STATES) for cells in row.values()), action


@pytest.mark.parametrize(("action", "member", "state", "expected"), CELLS)
def test_permission_matrix(
    action: str, member: str, state: str, expected: str, request: pytest.FixtureRequest
) -> None:
    author = request.getfixturevalue("factchecker")
    user = request.getfixturevalue(member)
    review = review_in(state, author)
    before = snapshot(review)

    assert can(user, action, review) is (expected == OK)
    if expected == OK:
        ACT[action](review, user)
        if TARGET[action] is None:
            assert not Review.objects.filter(pk=review.pk).exists()
            return
        event = WorkflowEvent.objects.exclude(pk__in=before["events"]).get()
        source, target = EVENT_STATES.get(action, (state, TARGET[action]))
        assert (event.action, event.source, event.target) == (EVENT_ACTION[action], source, target)
        assert event.actor == user
        review.refresh_from_db()
        assert review.status == TARGET[action]
        return

    error = PermissionDenied if expected == DENIED else InvalidTransition
    with pytest.raises(error):
        ACT[action](review, user)
    assert snapshot(review) == before


@pytest.mark.parametrize("member", CAST)
@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_are_exactly_the_table(
    member: str, state: str, request: pytest.FixtureRequest
) -> None:
    review = review_in(state, request.getfixturevalue("factchecker"))
    user = request.getfixturevalue(member)
    expected = [
        action
        for action in WORKFLOW_ACTIONS
        if EXPECTED[action.value][member][STATES.index(state)] == OK
    ]
    assert allowed_actions(user, review) == expected


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("anonymous", False),
        ("nobody", False),
        ("factchecker", True),
        ("factchecker2", True),
        ("editor", True),
        ("publisher", True),
        ("superuser", True),
    ],
)
def test_who_may_create_a_review(
    member: str, expected: bool, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(member)
    claim = ClaimFactory()
    assert can(user, Action.CREATE) is expected
    if expected:
        review = review_create(by=user, claim=claim, headline="A new check")
        assert list(review.authors.all()) == [user]
        assert list(review.events.values_list("action", "source", "target")) == [
            ("create", "", "draft")
        ]
    else:
        with pytest.raises(PermissionDenied):
            review_create(by=user, claim=claim, headline="A new check")
        assert not Review.objects.filter(headline="A new check").exists()


@pytest.mark.parametrize("member", ["editor", "publisher", "superuser"])
def test_nobody_may_approve_or_request_changes_on_their_own_review(
    member: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(member)
    review = review_in("in_review", user)
    before = snapshot(review)
    with pytest.raises(PermissionDenied, match=TWO_PERSON_RULE):
        review_approve(review=review, by=user)
    with pytest.raises(PermissionDenied, match=TWO_PERSON_RULE):
        review_request_changes(review=review, by=user, comment="Looks good to me.")
    assert snapshot(review) == before
    assert Action.APPROVE not in allowed_actions(user, review)


def test_a_co_author_may_not_approve_either(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = review_in("in_review", factchecker)
    review.authors.add(editor)
    with pytest.raises(PermissionDenied, match=TWO_PERSON_RULE):
        review_approve(review=review, by=editor)
    review_approve(review=review, by=publisher)
    review.refresh_from_db()
    assert review.approved_by == publisher


def test_a_publisher_who_wrote_the_review_may_still_publish_what_someone_else_approved(
    publisher, editor
) -> None:  # type: ignore[no-untyped-def]
    review = review_in("in_review", publisher)
    review_approve(review=review, by=editor)
    review_publish(review=review, by=publisher)
    review.refresh_from_db()
    assert (review.status, review.approved_by, review.published_by) == (
        "published",
        editor,
        publisher,
    )


def test_an_inactive_account_may_do_nothing(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    editor.is_active = False
    editor.save()
    review = review_in("in_review", factchecker)
    assert allowed_actions(editor, review) == []
    assert not can(editor, Action.CREATE)


@pytest.mark.parametrize("action", WORKFLOW_ACTIONS)
def test_imported_reviews_do_not_go_through_our_workflow(action: Action, superuser) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(imported=True)
    assert not can(superuser, action, review)
    with pytest.raises(InvalidTransition):
        ACT[action.value](review, superuser)
