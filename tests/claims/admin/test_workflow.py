"""The workflow in the admin: the buttons each member of the cast sees, what they do, edits that
carry their version, the ClaimReview preview and the field history on the review's page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.admin.forms import STALE_FORM
from claims.claimreview.validator import MISSING_RATING
from claims.demo import DEMO_PASSWORD
from claims.models import Correction, Evidence, Review, ReviewStatus, WorkflowEvent
from claims.services.reviews import review_correct, review_submit, review_update
from claims.workflow import BUTTONS as WORKFLOW_ACTIONS
from claims.workflow import COMMENT_REQUIRED, NOTE_REQUIRED
from tests.helpers import (
    EXPECTED,
    OK,
    STATES,
    ClaimFactory,
    EvidenceFactory,
    ReviewFactory,
    SourceFactory,
    UserFactory,
    default_rating,
    form_data,
    review_in,
    review_row,
    signed_in,
)

pytestmark = pytest.mark.django_db

STAFF = ["factchecker", "factchecker2", "editor", "publisher", "superuser"]


def change_url(review: Review) -> str:
    return reverse("admin:claims_review_change", args=[review.pk])


def action_url(review: Review, action: str) -> str:
    return reverse("admin:claims_review_workflow", args=[review.pk, action])


def buttons(html: str) -> list[str]:
    return [a.value for a in WORKFLOW_ACTIONS if f'id="workflow-{a.value}"' in html]


# --- the buttons ----------------------------------------------------------------------------


@pytest.mark.parametrize("member", STAFF)
@pytest.mark.parametrize("state", STATES)
def test_the_review_page_shows_exactly_the_buttons_of_the_table(  # type: ignore[no-untyped-def]
    member, state, request
) -> None:
    review = review_in(state, request.getfixturevalue("factchecker"))
    response = signed_in(request.getfixturevalue(member)).get(change_url(review))
    assert response.status_code == 200
    expected = [
        a.value for a in WORKFLOW_ACTIONS if EXPECTED[a.value][member][STATES.index(state)] == OK
    ]
    assert buttons(response.content.decode()) == expected


def test_outsiders_do_not_reach_the_review_page(nobody, factchecker, client) -> None:  # type: ignore[no-untyped-def]
    review = review_in("in_review", factchecker)
    assert client.get(change_url(review)).status_code == 302  # to the login page
    assert client.post(action_url(review, "approve")).status_code == 302
    outsider = signed_in(nobody)
    assert outsider.get(change_url(review)).status_code in (302, 403)
    assert outsider.post(action_url(review, "approve")).status_code in (403, 404)
    assert review_row(review)["status"] == "in_review"


# --- pressing them --------------------------------------------------------------------------


def test_submit_approve_publish_with_the_buttons(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    response = signed_in(factchecker).post(
        action_url(review, "submit"), {"submit-comment": "Ready for a look."}
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(review)
    assert signed_in(editor).post(action_url(review, "approve"), {}).status_code == 302
    assert signed_in(publisher).post(action_url(review, "publish"), {}).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert list(review.events.values_list("action", "actor__username", "comment")) == [
        ("submit", "factchecker", "Ready for a look."),
        ("approve", "editor", ""),
        ("publish", "publisher", ""),
    ]


def test_a_button_the_user_may_not_press_is_refused_with_403(factchecker, factchecker2) -> None:  # type: ignore[no-untyped-def]
    review = review_in("in_review", factchecker)
    before = review_row(review)
    assert signed_in(factchecker).post(action_url(review, "approve")).status_code == 403
    assert signed_in(factchecker2).post(action_url(review, "publish")).status_code == 403
    assert review_row(review) == before
    assert not WorkflowEvent.objects.filter(review=review).exists()


def test_a_button_pressed_in_the_wrong_state_writes_nothing_and_says_why(  # type: ignore[no-untyped-def]
    factchecker, editor
) -> None:
    review = review_in("draft", factchecker)
    before = review_row(review)
    response = signed_in(editor).post(action_url(review, "approve"), follow=True)
    assert "Only a review in review can be approved" in response.content.decode()
    assert review_row(review) == before


def test_requesting_changes_without_a_comment_shows_the_form_again(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = review_in("in_review", factchecker)
    response = signed_in(editor).post(
        action_url(review, "request_changes"), {"request_changes-comment": ""}
    )
    assert response.status_code == 200
    assert COMMENT_REQUIRED in response.content.decode()
    assert review_row(review)["status"] == "in_review"


def test_publishing_an_invalid_review_shows_which_field_is_missing(factchecker, publisher) -> None:  # type: ignore[no-untyped-def]
    review = review_in("approved", factchecker)
    Review.objects.filter(pk=review.pk).update(rating=None)
    response = signed_in(publisher).post(action_url(review, "publish"), {})
    assert response.status_code == 200
    assert MISSING_RATING in response.content.decode()
    assert review_row(review)["status"] == "approved"


def test_scheduling_a_publication_from_the_admin(factchecker, publisher) -> None:  # type: ignore[no-untyped-def]
    review = review_in("approved", factchecker)
    response = signed_in(publisher).post(
        action_url(review, "publish"), {"publish-publish_at": "2099-01-01T09:00"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert review.publish_at.year == 2099
    assert not Review.objects.published().exists()
    page = signed_in(publisher).get(change_url(review)).content.decode()
    assert "scheduled for" in page


def test_correcting_from_its_own_page(factchecker, publisher) -> None:  # type: ignore[no-untyped-def]
    review = review_in("published", factchecker)
    client = signed_in(publisher)
    page = client.get(action_url(review, "correct"))
    assert page.status_code == 200
    assert review.headline in page.content.decode()
    response = client.post(
        action_url(review, "correct"),
        {
            "correct-kind": "correction",
            "correct-note": "The meeting was in September, not October.",
            "correct-rating": review.rating_id,
            "correct-headline": review.headline,
            "correct-summary": review.summary,
            "correct-body": "It was in September.",
            "correct-version": review.version,
        },
    )
    assert response.status_code == 302, response.content.decode()
    review.refresh_from_db()
    assert review.body == "It was in September."
    assert Correction.objects.get(review=review).note.startswith("The meeting")


def test_a_correction_based_on_a_stale_version_is_refused(factchecker, publisher) -> None:  # type: ignore[no-untyped-def]
    review = review_in("published", factchecker)
    review_correct(review=review, by=publisher, kind="update", note="First.", version=1)
    response = signed_in(publisher).post(
        action_url(review, "correct"),
        {
            "correct-kind": "update",
            "correct-note": "Second.",
            "correct-rating": review.rating_id,
            "correct-headline": "Lost update?",
            "correct-summary": "",
            "correct-body": "",
            "correct-version": 1,
        },
        follow=True,
    )
    assert "Someone changed this review" in response.content.decode()
    review.refresh_from_db()
    assert review.headline != "Lost update?"
    assert Correction.objects.count() == 1


def test_withdrawing_needs_its_public_note(factchecker, publisher) -> None:  # type: ignore[no-untyped-def]
    review = review_in("published", factchecker)
    client = signed_in(publisher)
    response = client.post(action_url(review, "withdraw"), {"withdraw-note": ""})
    assert NOTE_REQUIRED in response.content.decode()
    client.post(action_url(review, "withdraw"), {"withdraw-note": "Doctored video."})
    assert review_row(review)["status"] == "withdrawn"
    client.post(action_url(review, "reopen"), {})
    assert review_row(review)["status"] == "draft"


def test_an_unknown_action_is_404(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    assert signed_in(factchecker).post(action_url(review, "teleport")).status_code == 404
    assert signed_in(factchecker).post(action_url(review, "update")).status_code == 404


# --- editing ----------------------------------------------------------------------------------


def test_adding_a_review_in_the_admin_makes_the_user_its_author(factchecker) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    source = SourceFactory()
    client = signed_in(factchecker)
    data = form_data(client.get(reverse("admin:claims_review_add")))
    data.update(
        {
            "claim": claim.pk,
            "rating": default_rating().pk,
            "headline": "From the admin",
            "language": "en",
            "evidence-TOTAL_FORMS": 1,
            "evidence-0-source": source.pk,
            "evidence-0-stance": "refutes",
            "evidence-0-order": 0,
            "evidence-0-quote": "A quote.",
        }
    )
    response = client.post(reverse("admin:claims_review_add"), data)
    assert response.status_code == 302, response.context["errors"]
    review = Review.objects.get(headline="From the admin")
    assert list(review.authors.all()) == [factchecker]
    assert review.created_by == factchecker
    assert list(review.evidence.values_list("source_id", "quote")) == [(source.pk, "A quote.")]
    assert list(review.events.values_list("action", flat=True)) == ["create"]


def test_editing_in_the_admin_goes_through_the_service(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = review_in("in_review", factchecker)
    client = signed_in(editor)
    data = form_data(client.get(change_url(review)))
    data["headline"] = "Edited by the editor"
    data["evidence-0-quote"] = "A better quote."
    response = client.post(change_url(review), data)
    assert response.status_code == 302, response.context["errors"]
    review.refresh_from_db()
    assert (review.headline, review.status, review.version) == ("Edited by the editor", "draft", 2)
    assert review.evidence.get().quote == "A better quote."
    assert set(review.authors.all()) == {factchecker, editor}
    assert list(review.events.values_list("action", "source", "target")) == [
        ("edit", "in_review", "draft")
    ]


def test_saving_without_changes_writes_nothing(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = review_in("in_review", factchecker)
    client = signed_in(factchecker)
    before = review_row(review)
    response = client.post(change_url(review), form_data(client.get(change_url(review))))
    assert response.status_code == 302
    after = review_row(review)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    assert after["status"] == "in_review"
    assert not WorkflowEvent.objects.filter(review=review).exists()


def test_a_stale_edit_is_a_form_error_and_writes_nothing(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    client = signed_in(factchecker)
    data = form_data(client.get(change_url(review)))  # rendered at version 1
    review_update(review=review, by=editor, version=1, changes={"headline": "Theirs"})
    data["headline"] = "Mine"
    response = client.post(change_url(review), data)
    assert response.status_code == 200
    assert STALE_FORM.format(based_on=1, current=2) in response.content.decode()
    review.refresh_from_db()
    assert (review.headline, review.version) == ("Theirs", 2)


@pytest.mark.parametrize("state", ["published", "withdrawn"])
def test_a_published_or_withdrawn_review_cannot_be_edited_in_the_admin(
    state, factchecker, publisher
) -> None:  # type: ignore[no-untyped-def]
    review = review_in(state, factchecker)
    client = signed_in(publisher)
    page = client.get(change_url(review))
    assert 'name="_save"' not in page.content.decode()
    data = {"headline": "Quietly changed", "based_on_version": review.version}
    assert client.post(change_url(review), data).status_code == 403
    assert review_row(review)["headline"] != "Quietly changed"


def test_old_versions_are_shown_but_never_restored(factchecker, superuser) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    review_update(review=review, by=factchecker, version=1, changes={"headline": "New"})
    old = review.history.order_by("history_id").first()
    url = reverse("admin:claims_review_simple_history", args=[review.pk, old.history_id])
    client = signed_in(superuser)
    assert client.get(url).status_code == 200
    assert client.post(url, {"headline": old.headline}).status_code == 403
    assert review_row(review)["headline"] == "New"


def test_evidence_is_read_only_outside_its_review(superuser) -> None:  # type: ignore[no-untyped-def]
    evidence = EvidenceFactory()
    client = signed_in(superuser)
    url = reverse("admin:claims_evidence_change", args=[evidence.pk])
    assert client.post(url, {"quote": "Rewritten"}).status_code == 403
    assert client.get(reverse("admin:claims_evidence_add")).status_code == 403
    evidence.refresh_from_db()
    assert evidence.quote != "Rewritten"


def test_the_bulk_delete_action_is_not_offered_for_reviews(superuser) -> None:  # type: ignore[no-untyped-def]
    ReviewFactory()
    response = signed_in(superuser).get(reverse("admin:claims_review_changelist"))
    assert "delete_selected" not in response.content.decode()


def test_deleting_a_draft_in_the_admin(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    client = signed_in(factchecker)
    url = reverse("admin:claims_review_delete", args=[review.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Review.objects.filter(pk=review.pk).exists()
    published = review_in("published", factchecker)
    url = reverse("admin:claims_review_delete", args=[published.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Review.objects.filter(pk=published.pk).exists()


# --- what the page shows ------------------------------------------------------------------------


def test_the_page_shows_the_claimreview_it_would_publish_escaped(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    review.claim.text = 'He said "</pre></script><script>alert(1)</script>'
    review.claim.save()
    Review.objects.filter(pk=review.pk).update(rating=None)
    html = signed_in(factchecker).get(change_url(review)).content.decode()
    assert "&quot;@type&quot;: &quot;ClaimReview&quot;" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html
    assert MISSING_RATING in html  # the validator's error


def test_the_page_shows_the_audit_trail_and_the_field_history(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    old = review.headline
    review_update(review=review, by=editor, version=1, changes={"headline": "Sharper"})
    review_submit(review=review, by=editor, comment="Over to you.")
    html = signed_in(factchecker).get(change_url(review)).content.decode()
    assert "Over to you." in html  # the audit trail
    assert 'id="field-history"' in html
    assert old in html and "Sharper" in html


def test_the_review_page_costs_the_same_with_more_evidence_and_history(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    client = signed_in(factchecker)
    client.get(change_url(review))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(change_url(review)).status_code == 200
        return len(queries)

    few = count()
    for i in range(3):
        EvidenceFactory(review=review)
        review.refresh_from_db()
        review_update(
            review=review, by=factchecker, version=review.version, changes={"body": f"v{i}"}
        )
    assert count() == few
    html = client.get(change_url(review)).content.decode()
    for evidence in review.evidence.select_related("source"):
        assert f'<option value="{evidence.source_id}" selected>{evidence.source}' in html


@pytest.mark.parametrize("rows", [3, 6])
def test_the_review_page_query_count(  # type: ignore[no-untyped-def]
    rows, factchecker, publisher, django_assert_num_queries
) -> None:
    review = review_in("published", factchecker)
    for i in range(rows):
        EvidenceFactory(review=review)
        review.authors.add(UserFactory())
        review.refresh_from_db()
        review_correct(
            review=review,
            by=publisher,
            kind="update",
            note=f"Update {i}.",
            version=review.version,
            changes={"body": f"Body {i}."},
            claim_changes={"venue": f"Venue {i}"},
        )
    client = signed_in(publisher)
    url = change_url(review)
    client.get(url)
    # session; user; the review; its authors (every permission check and the authors field
    # read them); the user's and their groups' permissions; the inlines: evidence with
    # sources, corrections with their author and review (each row's title names the review),
    # the audit trail with actors; the ClaimReview preview: the review with claim, claimant,
    # rating and scale, then appearances, corrections and the scale's ratings; the field
    # history: the review's, its evidence's and its claim's records, then the names of the
    # claims, ratings and sources they mention; the read-only claim and rating fields; whether
    # it has an open revision; its public page's address ("View on site"); the claim's
    # confirmed links (matching's "Prior checks and past verdicts").
    with django_assert_num_queries(24):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Update ") >= rows


# --- the changelist -----------------------------------------------------------------------------


def test_changelist_filters_awaiting_my_review_and_mine(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    waiting = review_in("in_review", factchecker)
    own = review_in("in_review", editor)
    draft = review_in("draft", factchecker)
    client = signed_in(editor)
    url = reverse("admin:claims_review_changelist")
    page = client.get(url, {"for_me": "review"})
    assert list(page.context["cl"].result_list) == [waiting]
    page = client.get(url, {"for_me": "mine"})
    assert list(page.context["cl"].result_list) == [own]
    page = signed_in(factchecker).get(url, {"for_me": "mine"})
    assert set(page.context["cl"].result_list) == {waiting, draft}
    assert "Awaiting my review" not in page.content.decode()  # fact-checkers do not review


def test_status_and_dates_are_read_only_in_the_admin(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = review_in("draft", factchecker)
    client = signed_in(factchecker)
    data = form_data(client.get(change_url(review)))
    data.update({"status": "published", "version": 50, "publish_at": "2017-01-01 00:00"})
    client.post(change_url(review), data)
    review.refresh_from_db()
    assert (review.status, review.version, review.publish_at) == ("draft", 1, None)
    assert Evidence.objects.filter(review=review).count() == 1


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_sessions_review_walks_from_draft_to_corrected_in_the_admin() -> None:
    call_command("load_demo")
    review = Review.objects.get(claim__slug="sessions-answer-was-honest-and-correct")

    def demo(username: str) -> Client:
        client = Client()
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)
        return client

    accounts = {name: demo(name) for name in ("factchecker", "editor", "publisher")}
    # The buttons each demo account sees at each step (DESIGN.md section 4).
    seen = {
        "draft": {"factchecker": ["submit"], "editor": ["submit"], "publisher": ["submit"]},
        "in_review": {
            "factchecker": [],
            "editor": ["request_changes", "approve"],
            "publisher": ["request_changes", "approve"],
        },
        "approved": {"factchecker": [], "editor": [], "publisher": ["publish"]},
        "published": {
            "factchecker": ["revise"],
            "editor": ["revise"],
            "publisher": ["correct", "withdraw", "revise"],
        },
    }
    steps = [
        ("factchecker", "submit", {"submit-comment": "Ready."}, "in_review"),
        ("editor", "approve", {"approve-comment": ""}, "approved"),
        ("publisher", "publish", {"publish-publish_at": "", "publish-comment": ""}, "published"),
    ]
    for actor, action, data, status in steps:
        state = review_row(review)["status"]
        for name, client in accounts.items():
            page = client.get(change_url(review)).content.decode()
            assert buttons(page) == seen[state][name], (state, name)
        assert accounts[actor].post(action_url(review, action), data).status_code == 302
        assert review_row(review)["status"] == status
    for name, client in accounts.items():
        page = client.get(change_url(review)).content.decode()
        assert buttons(page) == seen["published"][name], name
    publisher = accounts["publisher"]
    review.refresh_from_db()
    response = publisher.post(
        action_url(review, "correct"),
        {
            "correct-kind": "clarification",
            "correct-note": "Clarified which question Sessions was answering.",
            "correct-rating": review.rating_id,
            "correct-headline": review.headline,
            "correct-summary": review.summary,
            "correct-body": review.body + "\n\nHe was answering Senator Franken.",
            "correct-version": review.version,
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.body.endswith("He was answering Senator Franken.")
    assert review.corrections.get().kind == "clarification"
    assert Review.objects.published().filter(pk=review.pk).exists()
    assert list(review.events.values_list("action", "actor__username"))[-4:] == [
        ("submit", "factchecker"),
        ("approve", "editor"),
        ("publish", "publisher"),
        ("correct", "publisher"),
    ]


def test_corrections_are_never_rewritten_or_deleted_in_the_admin(superuser, factchecker) -> None:  # type: ignore[no-untyped-def]
    review = review_in("published", factchecker)
    correction = Correction.objects.create(review=review, kind="update", note="Added a source.")
    client = signed_in(superuser)
    change = reverse("admin:claims_correction_change", args=[correction.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"note": "Nothing happened."}).status_code == 403
    delete = reverse("admin:claims_correction_delete", args=[correction.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    correction.refresh_from_db()
    assert correction.note == "Added a source."
