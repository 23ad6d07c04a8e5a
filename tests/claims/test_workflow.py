"""The workflow's behaviour beyond who may act: what each action writes, and what it refuses."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from claims.audit import review_field_history
from claims.claimreview.validator import MISSING_RATING, review_claimreview
from claims.exceptions import Conflict, InvalidTransition, StaleVersion
from claims.models import (
    Claim,
    Correction,
    Evidence,
    PublicChange,
    PublicGeneration,
    Review,
    ReviewStatus,
    WorkflowEvent,
)
from claims.permissions import (
    CLAIM_PUBLISHED_IS_LOCKED,
    PUBLISHED_ONCE_CANNOT_BE_DELETED,
    SLUG_IS_PERMANENT,
    allowed_actions,
    can,
)
from claims.services.claims import TWO_FIRST_APPEARANCES, AppearanceItem, claim_update
from claims.services.evidence import UNKNOWN_EVIDENCE, EvidenceItem
from claims.services.reviews import (
    BACK_TO_DRAFT,
    CLAIM_FIELD_ERROR,
    EVIDENCE_NEEDS_REVISION,
    KIND_INVALID,
    NOT_CORRECTABLE,
    PUBLISH_AT_IN_PAST,
    RATING_NEEDS_REVISION,
    STALE_VERSION,
    VERDICT_CHANGE_NEEDS_REVISION,
    VERSION_REQUIRED,
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
from claims.workflow import COMMENT_REQUIRED, NOTE_REQUIRED, Action
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    EvidenceFactory,
    ReviewFactory,
    SourceFactory,
    TopicFactory,
    approved,
    default_rating,
    draft_by,
    published,
    review_row,
)

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2030, 5, 1, 12, 0, tzinfo=datetime.UTC)


def events(review: Review) -> list[tuple[str, str, str]]:
    return list(review.events.values_list("action", "source", "target"))


class Clock:
    """A controllable `timezone.now()`, seen by the services and by Review.objects.published()."""

    def __init__(self, at: datetime.datetime) -> None:
        self.at = at

    def __call__(self) -> datetime.datetime:
        return self.at


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    clock = Clock(T0)
    with mock.patch("django.utils.timezone.now", clock):
        yield clock


# --- the happy path -------------------------------------------------------------------------


def test_a_review_walks_from_draft_to_published(factchecker, editor, publisher, clock) -> None:  # type: ignore[no-untyped-def]
    review = review_create(
        by=factchecker,
        claim=ClaimFactory(),
        headline="Sessions did meet the ambassador",
        rating=default_rating(),
        evidence=[EvidenceItem(source=SourceFactory(), quote="Met twice.", stance="refutes")],
    )
    AppearanceFactory(claim=review.claim, first=True)
    review_submit(review=review, by=factchecker, comment="Ready.")
    review_approve(review=review, by=editor)
    clock.at = T0 + datetime.timedelta(hours=1)
    review_publish(review=review, by=publisher)

    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert (review.created_by, review.approved_by, review.published_by) == (
        factchecker,
        editor,
        publisher,
    )
    assert review.publish_at == review.date_published == T0 + datetime.timedelta(hours=1)
    assert list(review.authors.all()) == [factchecker]
    assert events(review) == [
        ("create", "", "draft"),
        ("submit", "draft", "in_review"),
        ("approve", "in_review", "approved"),
        ("publish", "approved", "published"),
    ]
    assert review.events.get(action="submit").comment == "Ready."
    assert Review.objects.published().get() == review


def test_field_history_records_who_changed_what_and_why(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    review_submit(review=review, by=factchecker)
    review_approve(review=review, by=editor)
    latest = review.history.first()
    assert (latest.history_user, latest.history_change_reason, latest.status) == (
        editor,
        "approve",
        "approved",
    )


# --- requests for changes and edits -------------------------------------------------------------


def test_requesting_changes_needs_a_comment_and_sends_the_review_back(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    review_submit(review=review, by=factchecker)
    with pytest.raises(ValidationError) as excinfo:
        review_request_changes(review=review, by=editor, comment="   ")
    assert excinfo.value.message_dict == {"comment": [COMMENT_REQUIRED]}
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW

    review_request_changes(review=review, by=editor, comment="Cite the transcript.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert review.events.last().comment == "Cite the transcript."


@pytest.mark.parametrize("state", ["in_review", "approved"])
def test_editing_a_review_in_review_or_approved_sends_it_back_to_draft(  # type: ignore[no-untyped-def]
    state, factchecker, editor
) -> None:
    review = draft_by(factchecker)
    review_submit(review=review, by=factchecker)
    if state == "approved":
        review_approve(review=review, by=editor)
    review.refresh_from_db()

    review_update(
        review=review, by=factchecker, version=review.version, changes={"body": "Rewritten."}
    )
    review.refresh_from_db()
    assert (review.status, review.body, review.version, review.approved_by) == (
        "draft",
        "Rewritten.",
        2,
        None,
    )
    edit = review.events.last()
    assert (edit.action, edit.source, edit.target, edit.actor) == (
        "edit",
        state,
        "draft",
        factchecker,
    )
    assert edit.comment == BACK_TO_DRAFT.format(status=state.replace("_", " "))


def test_an_editor_who_edits_a_review_becomes_an_author_and_may_not_approve_it(  # type: ignore[no-untyped-def]
    factchecker, editor
) -> None:
    review = draft_by(factchecker)
    review_submit(review=review, by=factchecker)
    review.refresh_from_db()
    review_update(review=review, by=editor, version=review.version, changes={"headline": "Sharper"})
    assert set(review.authors.all()) == {factchecker, editor}
    review_submit(review=review, by=editor)
    assert Action.APPROVE not in allowed_actions(editor, review)


def test_an_edit_that_changes_nothing_writes_nothing(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, headline="Same")
    history = review.history.count()
    review_update(
        review=review, by=factchecker, version=1, changes={"headline": "Same"}, evidence=None
    )
    review.refresh_from_db()
    assert review.version == 1
    assert review.history.count() == history
    assert not review.events.exists()


def test_a_stale_edit_is_refused_and_writes_nothing(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    review_update(review=review, by=editor, version=1, changes={"headline": "First"})
    with pytest.raises(StaleVersion) as excinfo:
        review_update(review=review, by=factchecker, version=1, changes={"headline": "Second"})
    assert excinfo.value.message == STALE_VERSION.format(based_on=1, current=2)
    review.refresh_from_db()
    assert (review.headline, review.version) == ("First", 2)
    assert review.events.count() == 1


def test_an_invalid_edit_is_refused_with_field_messages(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    with pytest.raises(ValidationError) as excinfo:
        review_update(
            review=review,
            by=factchecker,
            version=1,
            changes={"headline": "", "language": "not a language"},
        )
    assert set(excinfo.value.message_dict) == {"headline", "language"}
    review.refresh_from_db()
    assert review.version == 1


def test_evidence_is_added_updated_reordered_and_removed_in_one_edit(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    first, second = EvidenceFactory(review=review, order=0), EvidenceFactory(review=review, order=1)
    new_source = SourceFactory()
    review_update(
        review=review,
        by=factchecker,
        version=1,
        evidence=[
            EvidenceItem(id=second.pk, source=second.source, quote="Updated", stance="supports"),
            EvidenceItem(source=new_source, quote="New", stance="context"),
        ],
    )
    rows = list(review.evidence.values_list("pk", "source_id", "quote", "stance", "order"))
    assert rows[0] == (second.pk, second.source_id, "Updated", "supports", 0)
    assert rows[1][1:] == (new_source.pk, "New", "context", 1)
    assert not Evidence.objects.filter(pk=first.pk).exists()
    review.refresh_from_db()
    assert review.version == 2
    assert review.events.get().action == "edit"
    deleted = Evidence.history.get(id=first.pk, history_type="-")
    assert deleted.history_user == factchecker


def test_evidence_of_another_review_cannot_be_hijacked(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    foreign = EvidenceFactory()
    with pytest.raises(ValidationError) as excinfo:
        review_update(
            review=review,
            by=factchecker,
            version=1,
            evidence=[EvidenceItem(id=foreign.pk, source=foreign.source)],
        )
    assert excinfo.value.message_dict == {"evidence": [UNKNOWN_EVIDENCE.format(id=foreign.pk)]}
    foreign.refresh_from_db()
    assert foreign.review_id != review.pk


# --- publishing -----------------------------------------------------------------------------


def test_publishing_is_refused_while_the_claimreview_has_errors(
    factchecker, editor, publisher
) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, rating=None)
    review_submit(review=review, by=factchecker)
    review_approve(review=review, by=editor)
    with pytest.raises(ValidationError) as excinfo:
        review_publish(review=review, by=publisher)
    assert excinfo.value.message_dict == {"claimreview": [MISSING_RATING]}
    review.refresh_from_db()
    assert (review.status, review.publish_at, review.date_published) == ("approved", None, None)
    assert events(review)[-1][0] == "approve"


def test_a_scheduled_review_becomes_public_at_its_time_with_no_job(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, clock
) -> None:
    at = T0 + datetime.timedelta(days=1)
    review = review_publish(review=approved(factchecker, editor), by=publisher, at=at)
    review.refresh_from_db()
    assert (review.status, review.publish_at, review.date_published) == ("published", at, at)
    assert not Review.objects.published().exists()
    assert not review.is_public()

    clock.at = at - datetime.timedelta(seconds=1)
    assert not Review.objects.published().exists()
    clock.at = at
    assert Review.objects.published().get() == review
    assert review.is_public()


def test_publishing_in_the_past_is_refused(factchecker, editor, publisher, clock) -> None:  # type: ignore[no-untyped-def]
    review = approved(factchecker, editor)
    with pytest.raises(ValidationError) as excinfo:
        review_publish(review=review, by=publisher, at=T0 - datetime.timedelta(days=1))
    assert excinfo.value.message_dict == {"publish_at": [PUBLISH_AT_IN_PAST]}


def test_a_claim_has_at_most_one_published_review_of_ours(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    first = published(factchecker, editor, publisher)
    second = draft_by(factchecker, claim=first.claim)
    review_submit(review=second, by=factchecker)
    review_approve(review=second, by=editor)
    with pytest.raises(Conflict, match="already has a published review"):
        review_publish(review=second, by=publisher)
    second.refresh_from_db()
    assert second.status == ReviewStatus.APPROVED


# --- corrections, withdrawal, reopening -------------------------------------------------------


def test_a_correction_is_public_dated_and_keeps_the_old_text_in_history(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, clock
) -> None:
    review = published(factchecker, editor, publisher)
    old_body = review.body
    clock.at = T0 + datetime.timedelta(days=3)
    review_correct(
        review=review,
        by=publisher,
        kind="correction",
        note="We misstated the date of the second meeting.",
        version=review.version,
        changes={"body": "The second meeting was in September."},
    )
    review.refresh_from_db()
    correction = Correction.objects.get(review=review)
    assert (correction.kind, correction.note, correction.created_at, correction.created_by) == (
        "correction",
        "We misstated the date of the second meeting.",
        clock.at,
        publisher,
    )
    assert (review.status, review.date_modified, review.version) == ("published", clock.at, 2)
    assert review.body == "The second meeting was in September."
    assert review.history.all()[1].body == old_body
    event = review.events.last()
    assert (event.action, event.source, event.target, event.comment) == (
        "correct",
        "published",
        "published",
        correction.note,
    )


def test_a_publisher_alone_cannot_change_the_verdict_or_the_evidence(
    factchecker, editor, publisher
) -> None:  # type: ignore[no-untyped-def]
    """A rating or evidence change needs a revision, approved by someone who did not write it:
    the direct correction refuses it, naming the field, and writes nothing."""
    review = published(factchecker, editor, publisher)
    before = review_row(review)
    mostly_false = default_rating("mostly-false")
    refusals = [
        ({"kind": "correction", "changes": {"rating": mostly_false}}, "rating"),
        ({"kind": "verdict_change", "changes": {"rating": mostly_false}}, "kind"),
        ({"kind": "verdict_change"}, "kind"),
        ({"kind": "correction", "evidence": [{"quote": "new"}]}, "evidence"),
    ]
    for arguments, field in refusals:
        with pytest.raises(ValidationError) as excinfo:
            review_correct(review=review, by=publisher, note="New rating.", version=1, **arguments)
        assert field in excinfo.value.message_dict, arguments
    with pytest.raises(ValidationError) as excinfo:
        review_correct(
            review=review,
            by=publisher,
            kind="correction",
            note="x",
            version=1,
            changes={"rating": mostly_false},
            evidence=[],
        )
    assert excinfo.value.message_dict["rating"] == [RATING_NEEDS_REVISION]
    assert excinfo.value.message_dict["evidence"] == [EVIDENCE_NEEDS_REVISION]
    with pytest.raises(ValidationError) as excinfo:
        review_correct(review=review, by=publisher, kind="verdict_change", note="x")
    assert excinfo.value.message_dict == {"kind": [VERDICT_CHANGE_NEEDS_REVISION]}
    assert review_row(review) == before
    assert not Correction.objects.exists()

    # The same rating as now is no change, and allowed with a text fix.
    review_correct(
        review=review,
        by=publisher,
        kind="correction",
        note="Fixed a typo.",
        version=1,
        changes={"rating": review.rating, "headline": "A fixed headline"},
    )
    review.refresh_from_db()
    assert (review.rating, review.headline) == (default_rating(), "A fixed headline")


@pytest.mark.parametrize(
    ("arguments", "errors"),
    [
        ({"kind": "update", "note": ""}, {"note": [NOTE_REQUIRED]}),
        ({"kind": "erratum", "note": "Fixed."}, {"kind": [KIND_INVALID]}),
        (
            {"kind": "update", "note": "Fixed.", "changes": {"headline": "New"}},
            {"version": [VERSION_REQUIRED]},
        ),
        (
            {"kind": "update", "note": "Fixed.", "version": 1, "changes": {"language": "fr"}},
            {"language": [NOT_CORRECTABLE]},
        ),
    ],
)
def test_a_correction_without_what_readers_need_is_refused(  # type: ignore[no-untyped-def]
    arguments, errors, factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    before = Review.objects.filter(pk=review.pk).values().get()
    with pytest.raises(ValidationError) as excinfo:
        review_correct(review=review, by=publisher, **arguments)
    assert excinfo.value.message_dict == errors
    assert Review.objects.filter(pk=review.pk).values().get() == before
    assert not Correction.objects.exists()


def test_a_stale_correction_is_refused(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    review_correct(review=review, by=publisher, kind="update", note="One.", version=1)
    with pytest.raises(StaleVersion):
        review_correct(
            review=review,
            by=publisher,
            kind="update",
            note="Two.",
            version=1,
            changes={"headline": "Lost?"},
        )
    assert Correction.objects.count() == 1


def test_withdrawing_needs_a_public_note_and_takes_the_review_off_every_list(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    with pytest.raises(ValidationError) as excinfo:
        review_withdraw(review=review, by=publisher, note=" ")
    assert excinfo.value.message_dict == {"note": [NOTE_REQUIRED]}
    assert Review.objects.published().exists()

    review_withdraw(review=review, by=publisher, note="The video was doctored.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.WITHDRAWN
    assert review.withdrawal_note == "The video was doctored."
    assert review.withdrawn_at is not None
    assert not Review.objects.published().exists()


def test_reopening_returns_a_withdrawn_review_to_draft_and_republishing_keeps_the_first_date(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, clock
) -> None:
    review = published(factchecker, editor, publisher)
    first_published = review.date_published
    review_withdraw(review=review, by=publisher, note="Under review again.")
    review_reopen(review=review, by=publisher, comment="New evidence arrived.")
    review.refresh_from_db()
    assert (review.status, review.withdrawal_note, review.withdrawn_at) == ("draft", "", None)
    assert review.approved_by is None

    with pytest.raises(InvalidTransition, match=PUBLISHED_ONCE_CANNOT_BE_DELETED):
        review_delete(review=review, by=factchecker)

    clock.at = T0 + datetime.timedelta(days=10)
    review_submit(review=review, by=factchecker)
    review_approve(review=review, by=editor)
    review_publish(review=review, by=publisher)
    review.refresh_from_db()
    assert review.date_published == first_published
    assert review.publish_at == clock.at
    assert [e[0] for e in events(review)][-5:] == [
        "withdraw",
        "reopen",
        "submit",
        "approve",
        "publish",
    ]


def republish(review: Review, author, editor, publisher, at=None) -> Review:  # type: ignore[no-untyped-def]
    review_reopen(review=review, by=publisher)
    review_submit(review=review, by=author)
    review_approve(review=review, by=editor)
    return review_publish(review=review, by=publisher, at=at)


def test_a_schedule_withdrawn_before_its_time_never_counts_as_published(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, clock
) -> None:
    scheduled_for = T0 + datetime.timedelta(days=365)
    review = review_publish(review=approved(factchecker, editor), by=publisher, at=scheduled_for)
    assert review.date_published == scheduled_for  # what it will be, once it goes out

    clock.at = T0 + datetime.timedelta(days=1)
    review_withdraw(review=review, by=publisher, note="Pulled before it went out.")
    review.refresh_from_db()
    assert (review.status, review.date_published) == ("withdrawn", None)
    assert review.publish_at == scheduled_for  # the record of what was scheduled stays
    assert review.history.first().history_change_reason == "withdraw"
    assert review.history.all()[1].date_published == scheduled_for

    clock.at = T0 + datetime.timedelta(days=2)
    republish(review, factchecker, editor, publisher)
    review.refresh_from_db()
    assert review.publish_at == review.date_published == clock.at
    document, _ = review_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
    assert document["datePublished"] == clock.at.isoformat()
    assert Review.objects.published().get() == review


def test_a_withdrawn_schedule_that_never_went_out_can_be_deleted_with_its_corrections(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, clock
) -> None:
    review = review_publish(
        review=approved(factchecker, editor), by=publisher, at=T0 + datetime.timedelta(days=30)
    )
    review_correct(review=review, by=publisher, kind="update", note="Added a source.")
    review_withdraw(review=review, by=publisher, note="Pulled before it went out.")
    review_reopen(review=review, by=publisher)
    review.refresh_from_db()
    assert can(factchecker, Action.DELETE, review)

    review_delete(review=review, by=factchecker)
    assert not Review.objects.filter(pk=review.pk).exists()
    assert not Correction.objects.exists()


def test_a_review_that_went_out_keeps_its_first_date_through_a_schedule_withdrawn_early(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, clock
) -> None:
    review = published(factchecker, editor, publisher)
    assert review.date_published == T0
    clock.at = T0 + datetime.timedelta(days=1)
    review_withdraw(review=review, by=publisher, note="Rechecking.")
    republish(review, factchecker, editor, publisher, at=T0 + datetime.timedelta(days=30))
    review.refresh_from_db()
    assert review.date_published == T0

    clock.at = T0 + datetime.timedelta(days=2)  # withdrawn again before the new schedule
    review_withdraw(review=review, by=publisher, note="Not yet.")
    review.refresh_from_db()
    assert review.date_published == T0
    review_reopen(review=review, by=publisher)
    with pytest.raises(InvalidTransition, match=PUBLISHED_ONCE_CANNOT_BE_DELETED):
        review_delete(review=review, by=factchecker)


def test_a_stale_future_publication_date_from_before_the_fix_is_replaced(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, clock
) -> None:
    # A schedule withdrawn before this fix kept its future date_published.
    review = draft_by(factchecker)
    Review.objects.filter(pk=review.pk).update(date_published=T0 + datetime.timedelta(days=365))
    review.refresh_from_db()
    assert can(factchecker, Action.DELETE, review)  # it never went out

    review_submit(review=review, by=factchecker)
    review_approve(review=review, by=editor)
    review_publish(review=review, by=publisher)
    review.refresh_from_db()
    assert review.date_published == review.publish_at == T0


# --- a published fact check locks its claim -----------------------------------------------------


def claim_state(claim: Claim) -> dict[str, object]:
    """Everything of a claim a fact check publishes, and its field history."""
    return {
        # `version` counts edits: a topics change moves it without changing the fact check.
        "row": {
            k: v
            for k, v in Claim.objects.filter(pk=claim.pk).values().get().items()
            if k != "version"
        },
        "appearances": list(claim.appearances.values()),
        "history": claim.history.count(),
    }


# One new value for each public field of a claim (a callable builds a row).
NEW_VALUES = {
    "text": "Something else entirely was said.",
    "short_text": "Something else",
    "claimant": ClaimantFactory,
    "date_claimed": datetime.date(2018, 2, 3),
    "venue": "A television interview",
    "language": "pt-BR",
}


def new_value(field: str) -> object:
    value = NEW_VALUES[field]
    return value() if callable(value) else value


@pytest.mark.parametrize("field", [*NEW_VALUES, "slug"])
@pytest.mark.parametrize("when", ["public", "scheduled"])
def test_a_published_fact_check_locks_its_claims_public_fields(  # type: ignore[no-untyped-def]
    field, when, factchecker, editor, publisher, clock
) -> None:
    at = T0 + datetime.timedelta(days=7) if when == "scheduled" else None
    review = review_publish(review=approved(factchecker, editor), by=publisher, at=at)
    before = claim_state(review.claim)
    value = "a-new-address" if field == "slug" else new_value(field)
    for member in (factchecker, editor, publisher):
        with pytest.raises(InvalidTransition) as excinfo:
            claim_update(claim=review.claim, by=member, changes={field: value})
        assert excinfo.value.message == CLAIM_PUBLISHED_IS_LOCKED
    assert claim_state(review.claim) == before


def test_a_published_fact_check_locks_its_claims_appearances(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    claim = review.claim
    current = [
        AppearanceItem(url=a.url, title=a.title, date=a.date, first=a.first)
        for a in claim.appearances.all()
    ]
    before = claim_state(claim)
    for appearances in (
        [*current, AppearanceItem(url="https://example.org/another")],
        [],
        [AppearanceItem(url=current[0].url, title="Retitled", date=current[0].date, first=True)],
    ):
        with pytest.raises(InvalidTransition, match=CLAIM_PUBLISHED_IS_LOCKED):
            claim_update(claim=claim, by=editor, changes={}, appearances=appearances)
    assert claim_state(claim) == before


def test_a_published_claims_topics_stay_editable_and_its_own_values_are_no_change(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    claim = Claim.objects.get(pk=review.claim_id)
    current = [
        AppearanceItem(
            url=a.url, archived_url=a.archived_url, title=a.title, date=a.date, first=a.first
        )
        for a in claim.appearances.all()
    ]
    before = claim_state(claim)
    topic = TopicFactory()
    claim_update(
        claim=claim,
        by=factchecker,
        changes={"text": claim.text, "venue": claim.venue, "claimant": claim.claimant},
        topics=[topic],
        appearances=current,
    )
    assert claim_state(claim) == before
    assert list(claim.topics.all()) == [topic]


@pytest.mark.parametrize("state", ["draft", "in_review", "approved", "withdrawn"])
def test_the_claim_of_a_review_that_is_not_published_stays_editable(  # type: ignore[no-untyped-def]
    state, factchecker, editor, publisher
) -> None:
    if state == "withdrawn":
        review = published(factchecker, editor, publisher)
        review_withdraw(review=review, by=publisher, note="Pulled.")
    else:
        review = draft_by(factchecker, status=state)
    ReviewFactory(imported=True, claim=review.claim)  # other publishers' checks lock nothing
    claim_update(
        claim=review.claim,
        by=factchecker,
        changes={"text": "Edited.", "venue": "Elsewhere"},
        appearances=[AppearanceItem(url="https://example.org/only", first=True)],
    )
    claim = Claim.objects.get(pk=review.claim_id)
    assert (claim.text, claim.venue) == ("Edited.", "Elsewhere")
    assert list(claim.appearances.values_list("url", flat=True)) == ["https://example.org/only"]
    assert claim.history.first().history_change_reason == "edit"


def test_the_slug_may_change_until_a_review_of_the_claim_has_been_published(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher
) -> None:
    review = draft_by(factchecker)
    claim_update(claim=review.claim, by=factchecker, changes={"slug": "a-better-address"})
    assert Claim.objects.get(pk=review.claim_id).slug == "a-better-address"

    review_submit(review=review, by=factchecker)
    review_approve(review=review, by=editor)
    review_publish(review=review, by=publisher)
    review_withdraw(review=review, by=publisher, note="Pulled.")
    review_reopen(review=review, by=publisher)
    # Not locked any more (the text may change), but the address was public once.
    claim_update(claim=review.claim, by=factchecker, changes={"text": "Reworded."})
    with pytest.raises(InvalidTransition) as excinfo:
        claim_update(claim=review.claim, by=factchecker, changes={"slug": "moved"})
    assert excinfo.value.message == SLUG_IS_PERMANENT
    assert Claim.objects.get(pk=review.claim_id).slug == "a-better-address"


def test_a_correction_changes_the_claim_in_public(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, clock
) -> None:
    review = published(factchecker, editor, publisher)
    claim = Claim.objects.get(pk=review.claim_id)
    old_text, slug = claim.text, claim.slug
    first = claim.appearances.get()
    claimant = ClaimantFactory()
    clock.at = T0 + datetime.timedelta(days=2)
    review_correct(
        review=review,
        by=publisher,
        kind="correction",
        note="We quoted the claim from a wrong transcript.",
        version=review.version,
        claim_changes={"text": "The words as said.", "claimant": claimant, "venue": "Hearing"},
        appearances=[
            AppearanceItem(url=first.url, title=first.title, date=first.date, first=True),
            AppearanceItem(url="https://example.org/transcript", title="Transcript"),
        ],
    )
    claim.refresh_from_db()
    review.refresh_from_db()
    assert (claim.text, claim.claimant, claim.venue, claim.slug) == (
        "The words as said.",
        claimant,
        "Hearing",
        slug,
    )
    assert list(claim.appearances.values_list("url", "first")) == [
        (first.url, True),
        ("https://example.org/transcript", False),
    ]
    correction = Correction.objects.get(review=review)
    assert (correction.note, review.date_modified, review.version) == (
        "We quoted the claim from a wrong transcript.",
        clock.at,
        2,
    )
    record = claim.history.first()
    assert (record.history_user, record.history_change_reason, record.history_date) == (
        publisher,
        "correct",
        clock.at,
    )
    assert claim.history.all()[1].text == old_text
    change = next(c for c in review_field_history(review) if c.model == "claim")
    assert (change.by, change.reason, change.at) == ("publisher", "correct", clock.at)
    fields = {fc.field: (fc.old_display, fc.new_display) for fc in change.fields}
    assert fields["text"] == (old_text, "The words as said.")
    assert fields["claimant"][1] == claimant.name
    assert review.events.last().action == "correct"


def test_the_reviews_history_shows_only_the_claim_changes_of_its_own_corrections(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher
) -> None:
    review = draft_by(factchecker)
    claim_update(claim=review.claim, by=factchecker, changes={"venue": "Before"})
    assert not [c for c in review_field_history(review) if c.model == "claim"]


@pytest.mark.parametrize(
    ("claim_changes", "appearances", "message"),
    [
        (
            {"slug": "moved"},
            None,
            CLAIM_FIELD_ERROR.format(field="slug", message=SLUG_IS_PERMANENT),
        ),
        (
            {"topics": []},
            None,
            CLAIM_FIELD_ERROR.format(field="topics", message=NOT_CORRECTABLE),
        ),
        (
            {"text": ""},
            None,
            CLAIM_FIELD_ERROR.format(field="text", message="This field cannot be blank."),
        ),
        (
            {"language": "english please"},
            None,
            CLAIM_FIELD_ERROR.format(
                field="language", message="Enter a BCP 47 language tag such as en, pt-BR or es-419."
            ),
        ),
        (
            {},
            [
                AppearanceItem(url="https://a.example.org/", first=True),
                AppearanceItem(url="https://b.example.org/", first=True),
            ],
            CLAIM_FIELD_ERROR.format(field="appearances", message=TWO_FIRST_APPEARANCES),
        ),
    ],
)
def test_a_correction_of_the_claim_with_bad_fields_is_refused_under_claim(  # type: ignore[no-untyped-def]
    claim_changes, appearances, message, factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    before, review_before = (
        claim_state(review.claim),
        Review.objects.filter(pk=review.pk).values().get(),
    )
    with pytest.raises(ValidationError) as excinfo:
        review_correct(
            review=review,
            by=publisher,
            kind="correction",
            note="Fixing the claim.",
            version=review.version,
            claim_changes=claim_changes,
            appearances=appearances,
        )
    assert excinfo.value.message_dict == {"claim": [message]}
    assert claim_state(review.claim) == before
    assert Review.objects.filter(pk=review.pk).values().get() == review_before
    assert not Correction.objects.exists()


def test_a_correction_of_the_claim_needs_the_version_and_its_own_values_need_none(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    with pytest.raises(ValidationError) as excinfo:
        review_correct(
            review=review, by=publisher, kind="update", note="x", claim_changes={"venue": "New"}
        )
    assert excinfo.value.message_dict == {"version": [VERSION_REQUIRED]}
    review_correct(
        review=review,
        by=publisher,
        kind="update",
        note="Added context below.",
        claim_changes={"venue": review.claim.venue},
    )
    assert Correction.objects.count() == 1


def test_deleting_a_draft_removes_it_with_its_evidence(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    EvidenceFactory(review=review)
    review_delete(review=review, by=factchecker)
    assert not Review.objects.filter(pk=review.pk).exists()
    assert not Evidence.objects.exists()
    assert not WorkflowEvent.objects.filter(review_id=review.pk).exists()


def test_the_public_caches_go_stale_only_once_the_publication_commits(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher, django_capture_on_commit_callbacks
) -> None:
    review = approved(factchecker, editor)
    generation = PublicGeneration.objects.get().generation
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_publish(review=review, by=publisher)
    # The mark is written in the publication's own transaction (other connections see it when,
    # and only if, that commits); folding it into the generation is deferred to the commit.
    assert PublicChange.objects.count() == 1
    assert PublicGeneration.objects.get().generation == generation
    assert callbacks
    for callback in callbacks:
        callback()
    assert PublicGeneration.objects.get().generation > generation
    assert not PublicChange.objects.exists()
