"""No lost writes: concurrent edits and actions on one review, each thread on its own PostgreSQL
connection (SQLite has no row locks, so these run on the PostgreSQL pass of .ci/run).

The services lock the review row (SELECT ... FOR UPDATE) before checking its version or state.
`slow_checks` widens the window between reading the row and writing it, so without the lock
both writers would read the same version and both would "win".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import close_old_connections, connection

from claims.exceptions import Conflict, InvalidTransition, StaleVersion
from claims.models import Claim, Review, ReviewStatus, WorkflowEvent
from claims.permissions import CLAIM_PUBLISHED_IS_LOCKED
from claims.services import claims as claim_services
from claims.services import reviews
from tests.helpers import draft_by

pytestmark = [
    pytest.mark.postgres,
    # Real commits, seen by the other connections; the migrations' data (roles, rating scale)
    # is restored around each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def slow_checks() -> Iterator[None]:
    """Pause 0.2 s after a service has read the review and before it decides."""
    check_version = reviews.check_version
    move = reviews.move

    def slow_check_version(review: Review, version: int) -> None:
        time.sleep(0.2)
        check_version(review, version)

    def slow_move(*args: Any, **kwargs: Any) -> Review:
        time.sleep(0.2)
        return move(*args, **kwargs)

    with (
        mock.patch.object(reviews, "check_version", slow_check_version),
        mock.patch.object(reviews, "move", slow_move),
    ):
        yield


def run_together(*calls: Callable[[], object]) -> list[object]:
    """Run `calls` at the same moment, each in its own thread and database connection; return
    what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the result under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return results


def test_two_edits_based_on_the_same_version_one_wins_and_one_is_refused(  # type: ignore[no-untyped-def]
    factchecker, editor, slow_checks
) -> None:
    review = draft_by(factchecker)

    def edit(user: User, headline: str) -> Callable[[], object]:
        return lambda: reviews.review_update(
            review=Review(pk=review.pk), by=user, version=1, changes={"headline": headline}
        )

    results = run_together(edit(factchecker, "Factchecker's"), edit(editor, "Editor's"))

    winners = [r for r in results if isinstance(r, Review)]
    losers = [r for r in results if isinstance(r, StaleVersion)]
    assert (len(winners), len(losers)) == (1, 1), results
    review.refresh_from_db()
    assert review.version == 2
    assert review.headline == winners[0].headline  # type: ignore[attr-defined]
    assert WorkflowEvent.objects.filter(review=review, action="edit").count() == 1


def test_many_writers_retrying_on_stale_versions_lose_no_write(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, body="")
    writers = 6

    def append(marker: str) -> Callable[[], object]:
        def run() -> object:
            for _ in range(50):
                current = Review.objects.get(pk=review.pk)
                try:
                    return reviews.review_update(
                        review=current,
                        by=editor,
                        version=current.version,
                        changes={"body": f"{current.body}[{marker}]"},
                    )
                except StaleVersion:
                    continue
            raise AssertionError(f"{marker} never got its write in")

        return run

    results = run_together(*(append(f"w{i}") for i in range(writers)))

    assert all(isinstance(r, Review) for r in results), results
    review.refresh_from_db()
    assert sorted(review.body.strip("[]").split("][")) == [f"w{i}" for i in range(writers)]
    assert review.version == 1 + writers
    assert WorkflowEvent.objects.filter(review=review, action="edit").count() == writers


def test_two_editors_approving_at_once_record_one_approval(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, slow_checks
) -> None:
    review = draft_by(factchecker, status=ReviewStatus.IN_REVIEW)
    results = run_together(
        lambda: reviews.review_approve(review=Review(pk=review.pk), by=editor),
        lambda: reviews.review_approve(review=Review(pk=review.pk), by=publisher),
    )
    assert sum(isinstance(r, Review) for r in results) == 1, results
    assert sum(isinstance(r, InvalidTransition) for r in results) == 1, results
    assert WorkflowEvent.objects.filter(review=review, action="approve").count() == 1


def test_an_edit_racing_an_approval_never_leaves_an_approved_review_unreviewed(  # type: ignore[no-untyped-def]
    factchecker, editor, slow_checks
) -> None:
    review = draft_by(factchecker, status=ReviewStatus.IN_REVIEW)
    results = run_together(
        lambda: reviews.review_update(
            review=Review(pk=review.pk), by=factchecker, version=1, changes={"body": "Changed"}
        ),
        lambda: reviews.review_approve(review=Review(pk=review.pk), by=editor),
    )
    review.refresh_from_db()
    actions = list(review.events.values_list("action", flat=True))
    # Either the edit came first (the approval is refused: a draft cannot be approved) or the
    # approval came first and the edit sent the approved review back to draft. Never is the
    # edited text left approved, and the edit is always kept.
    assert (review.status, review.body) == (ReviewStatus.DRAFT, "Changed"), (actions, results)
    assert actions in (["edit"], ["approve", "edit"])


def test_two_reviews_of_one_claim_published_at_once_never_both_go_out(  # type: ignore[no-untyped-def]
    factchecker, publisher, superuser, slow_checks
) -> None:
    first = draft_by(factchecker, status=ReviewStatus.APPROVED)
    second = draft_by(factchecker, status=ReviewStatus.APPROVED, claim=first.claim)
    results = run_together(
        lambda: reviews.review_publish(review=Review(pk=first.pk), by=publisher),
        lambda: reviews.review_publish(review=Review(pk=second.pk), by=superuser),
    )
    assert sum(isinstance(r, Review) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert Review.objects.filter(claim=first.claim, status=ReviewStatus.PUBLISHED).count() == 1


def test_a_claim_edit_racing_its_publication_never_changes_the_published_fact_check(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, slow_checks
) -> None:
    review = draft_by(factchecker, status=ReviewStatus.APPROVED)
    claim_is_locked = claim_services.claim_is_locked

    def slow_claim_is_locked(claim_id: int | None) -> bool:
        time.sleep(0.2)  # between reading the claim and deciding whether it is locked
        return claim_is_locked(claim_id)

    with mock.patch.object(claim_services, "claim_is_locked", slow_claim_is_locked):
        results = run_together(
            lambda: claim_services.claim_update(
                claim=Claim(pk=review.claim_id), by=editor, changes={"text": "Edited."}
            ),
            lambda: reviews.review_publish(review=Review(pk=review.pk), by=publisher),
        )
    edit, publication = results
    assert isinstance(publication, Review), results
    published_at = review.events.get(action="publish").created_at
    claim = Claim.objects.get(pk=review.claim_id)
    if isinstance(edit, Claim):
        # The edit went first: it is part of what was published.
        assert claim.history.get(history_change_reason="edit").history_date < published_at
        assert claim.text == "Edited."
    else:
        # The publication went first: the edit is refused and writes nothing.
        assert isinstance(edit, InvalidTransition), results
        assert edit.message == CLAIM_PUBLISHED_IS_LOCKED
        assert claim.text != "Edited."
