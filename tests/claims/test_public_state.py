"""The public generation moves when public output may have changed, and only then.

Work on drafts that never went public must not empty the public caches nor show in public
validators (an ETag that moves whenever a draft is saved would tell readers drafts exist).
"""

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone

from claims.models import ReviewStatus
from claims.public_state import public_state
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    CorrectionFactory,
    EvidenceFactory,
    ReviewFactory,
    SourceFactory,
    TopicFactory,
    default_rating,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def etag_moves(
    django_capture_on_commit_callbacks,
) -> Iterator[Callable[[Callable[[], object]], bool]]:  # type: ignore[no-untyped-def]
    """etag_moves(write) runs `write` as a committed transaction and says whether the public
    ETag changed."""

    def check(write: Callable[[], object]) -> bool:
        before = public_state().etag
        with django_capture_on_commit_callbacks(execute=True):
            write()
        return public_state().etag != before

    yield check


def test_work_on_a_draft_leaves_the_public_state_alone(etag_moves) -> None:  # type: ignore[no-untyped-def]
    claimant = ClaimantFactory()
    claim = ClaimFactory(claimant=claimant)
    draft = ReviewFactory(claim=claim)
    source = SourceFactory()
    evidence = EvidenceFactory(review=draft, source=source)
    topic = TopicFactory()

    def edit_draft() -> None:
        draft.headline = "Still a draft"
        draft.save()

    def edit_evidence() -> None:
        evidence.quote = "Another quote"
        evidence.save()

    def edit_claim() -> None:
        claim.venue = "Another venue"
        claim.save()

    def edit_claimant() -> None:
        claimant.job_title = "Governor"
        claimant.save()

    def edit_source() -> None:
        source.title = "Another title"
        source.save()

    for write in (
        edit_draft,
        edit_evidence,
        edit_claim,
        edit_claimant,
        edit_source,
        lambda: AppearanceFactory(claim=claim),
        lambda: claim.topics.add(topic),
        lambda: topic.claims.remove(claim),
        lambda: ReviewFactory(status=ReviewStatus.IN_REVIEW),
    ):
        assert not etag_moves(write)


def test_topics_are_always_public(etag_moves) -> None:  # type: ignore[no-untyped-def]
    assert etag_moves(TopicFactory)


@pytest.fixture
def public():  # type: ignore[no-untyped-def]
    review = ReviewFactory(published=True)
    EvidenceFactory(review=review)
    return review


def test_publishing_moves_the_public_state(etag_moves) -> None:  # type: ignore[no-untyped-def]
    assert etag_moves(lambda: ReviewFactory(published=True))


def test_writes_behind_a_published_fact_check_move_the_public_state(etag_moves, public) -> None:  # type: ignore[no-untyped-def]
    claim = public.claim
    evidence = public.evidence.get()
    topic = TopicFactory()

    def edit_claim() -> None:
        claim.venue = "Another venue"
        claim.save()

    def edit_claimant() -> None:
        claim.claimant.job_title = "Governor"
        claim.claimant.save()

    def edit_source() -> None:
        evidence.source.title = "Another title"
        evidence.source.save()

    def edit_evidence() -> None:
        evidence.quote = "Another quote"
        evidence.save()

    def edit_rating() -> None:
        rating = default_rating("true")
        rating.description = "New definition."
        rating.save()

    for write in (
        edit_claim,
        edit_claimant,
        edit_source,
        edit_evidence,
        edit_rating,
        lambda: AppearanceFactory(claim=claim),
        lambda: claim.topics.add(topic),
        lambda: topic.claims.remove(claim),
        lambda: CorrectionFactory(review=public),
        lambda: ReviewFactory(imported=True),
    ):
        assert etag_moves(write), write


def test_a_reopened_review_still_moves_the_public_state(etag_moves, public) -> None:  # type: ignore[no-untyped-def]
    # Its page answered (with the withdrawal notice) and now does not.
    def reopen() -> None:
        public.status = ReviewStatus.DRAFT
        public.save()

    assert etag_moves(reopen)


def test_a_scheduled_review_going_public_moves_the_public_state_without_any_write() -> None:
    ReviewFactory(published=True, publish_at=timezone.now() + datetime.timedelta(hours=1))
    before = public_state()
    later = timezone.now() + datetime.timedelta(hours=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        after = public_state()
    assert after.etag != before.etag
    assert after.last_modified > before.last_modified
