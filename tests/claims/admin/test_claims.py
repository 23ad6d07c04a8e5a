"""Claims in the admin: the claim page and its appearances, saved through claims.services; a
published fact check locks its claim here too, and the review's correction page changes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.admin.forms import CLAIM_LOCK_CHANGED
from claims.models import Appearance, Claim, Correction
from claims.permissions import CLAIM_PUBLISHED_IS_LOCKED
from claims.services.claims import TWO_FIRST_APPEARANCES, claim_update
from claims.services.reviews import review_publish, review_withdraw
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    ReviewFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    form_data,
    published_claim,
    review_in,
    signed_in,
)

pytestmark = pytest.mark.django_db


def claim_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def with_new_appearances(data: dict[str, Any], *rows: dict[str, Any]) -> dict[str, Any]:
    """`data` (a rendered claim form) with `rows` added as new appearance rows."""
    start = int(data["appearances-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in {"order": start + offset, **row}.items():
            data[f"appearances-{start + offset}-{name}"] = value
    data["appearances-TOTAL_FORMS"] = start + len(rows)
    return data


def test_two_new_first_appearances_are_a_form_error(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    client = signed_in(editor)
    data = with_new_appearances(
        form_data(client.get(claim_url(claim))),
        {"url": "https://a.example.org/1", "first": "on"},
        {"url": "https://a.example.org/2", "first": "on"},
    )
    response = client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert TWO_FIRST_APPEARANCES in response.content.decode()
    assert not Appearance.objects.exists()


def test_a_new_first_appearance_next_to_an_existing_first_is_a_form_error(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, first=True)
    client = signed_in(editor)
    data = with_new_appearances(
        form_data(client.get(claim_url(claim))), {"url": "https://a.example.org/2", "first": "on"}
    )
    response = client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert TWO_FIRST_APPEARANCES in response.content.decode()
    assert list(claim.appearances.values_list("first", flat=True)) == [True]


def test_adding_a_claim_with_two_first_appearances_is_a_form_error(editor) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(editor)
    add = reverse("admin:claims_claim_add")
    data = with_new_appearances(
        form_data(client.get(add)),
        {"url": "https://a.example.org/1", "first": "on"},
        {"url": "https://a.example.org/2", "first": "on"},
    )
    data.update({"text": "A claim", "language": "en", "claimant": ClaimantFactory().pk})
    response = client.post(add, data)
    assert response.status_code == 200
    assert TWO_FIRST_APPEARANCES in response.content.decode()
    assert not Claim.objects.exists()


def test_one_first_appearance_among_new_rows_is_saved(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    client = signed_in(editor)
    data = with_new_appearances(
        form_data(client.get(claim_url(claim))),
        {"url": "https://a.example.org/1", "first": "on"},
        {"url": "https://a.example.org/2"},
    )
    response = client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["errors"]
    assert list(claim.appearances.values_list("url", "first")) == [
        ("https://a.example.org/1", True),
        ("https://a.example.org/2", False),
    ]


def test_a_deleted_first_appearance_does_not_count(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, first=True, url="https://a.example.org/old")
    client = signed_in(editor)
    data = with_new_appearances(
        form_data(client.get(claim_url(claim))), {"url": "https://a.example.org/new", "first": "on"}
    )
    data["appearances-0-DELETE"] = "on"
    response = client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["errors"]
    assert list(claim.appearances.values_list("url", "first")) == [
        ("https://a.example.org/new", True)
    ]


# --- saving through the services -------------------------------------------------------------


def test_editing_a_claim_in_the_admin_goes_through_the_service(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    client = signed_in(editor)
    data = form_data(client.get(claim_url(claim)))
    data["venue"] = "A radio interview"
    response = client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["errors"]
    claim.refresh_from_db()
    assert claim.venue == "A radio interview"
    record = claim.history.first()
    assert (record.history_user, record.history_change_reason) == (editor, "edit")


def test_adding_a_claim_in_the_admin_goes_through_the_service(editor) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(editor)
    add = reverse("admin:claims_claim_add")
    topic = TopicFactory()
    data = with_new_appearances(
        form_data(client.get(add)), {"url": "https://a.example.org/1", "first": "on"}
    )
    data.update({"text": "A new claim, said out loud.", "language": "en", "topics": [topic.pk]})
    response = client.post(add, data)
    assert response.status_code == 302, response.context["errors"]
    claim = Claim.objects.get()
    assert claim.slug == "a-new-claim-said-out-loud"
    assert list(claim.topics.all()) == [topic]
    assert list(claim.appearances.values_list("url", "first")) == [
        ("https://a.example.org/1", True)
    ]
    record = claim.history.get()
    assert (record.history_user, record.history_change_reason) == (editor, "create")


def test_moving_the_first_mark_between_appearances_saves(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, url="https://a.example.org/1", order=0)
    AppearanceFactory(claim=claim, url="https://a.example.org/2", order=1, first=True)
    client = signed_in(editor)
    data = form_data(client.get(claim_url(claim)))
    data["appearances-0-first"] = "on"
    del data["appearances-1-first"]
    response = client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["errors"]
    assert list(claim.appearances.values_list("url", "first")) == [
        ("https://a.example.org/1", True),
        ("https://a.example.org/2", False),
    ]


def test_old_versions_of_a_claim_are_shown_but_never_restored(superuser) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory(venue="Old venue")
    claim_update(claim=claim, by=superuser, changes={"venue": "New venue"})
    old = claim.history.order_by("history_id").first()
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, old.history_id])
    client = signed_in(superuser)
    assert client.get(url).status_code == 200
    assert client.post(url, {"venue": "Old venue"}).status_code == 403
    claim.refresh_from_db()
    assert claim.venue == "New venue"


# --- a published fact check locks its claim -------------------------------------------------


def claim_state(claim: Claim) -> dict[str, Any]:
    return {
        # `version` counts edits: a topics change moves it without changing the fact check.
        "row": {
            k: v
            for k, v in Claim.objects.filter(pk=claim.pk).values().get().items()
            if k != "version"
        },
        "appearances": list(claim.appearances.values()),
    }


PUBLIC_INPUTS = ["text", "short_text", "slug", "claimant", "date_claimed", "venue", "language"]


def test_a_published_claims_fields_are_read_only_and_say_where_to_change_them(  # type: ignore[no-untyped-def]
    editor,
) -> None:
    claim = published_claim(appearances=1, topic=False)
    review = claim.reviews.get()
    html = signed_in(editor).get(claim_url(claim)).content.decode()
    for name in PUBLIC_INPUTS:
        assert f'name="{name}"' not in html, name
    assert 'name="appearances-0-url"' not in html
    assert 'name="topics"' in html
    assert CLAIM_PUBLISHED_IS_LOCKED.replace("'", "&#x27;") in html
    assert reverse("admin:claims_review_change", args=[review.pk]) in html


def test_a_published_claim_keeps_its_fact_check_but_its_topics_can_change(editor) -> None:  # type: ignore[no-untyped-def]
    claim = published_claim(appearances=1, topic=False)
    client = signed_in(editor)
    data = form_data(client.get(claim_url(claim)))
    topic = TopicFactory()
    before = claim_state(claim)
    data.update(
        {
            "text": "Quietly reworded.",
            "slug": "a-new-address",
            "venue": "Elsewhere",
            "topics": [topic.pk],
            "appearances-0-url": "https://elsewhere.example.org/",
        }
    )
    response = client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["errors"]
    assert claim_state(claim) == before
    assert list(claim.topics.all()) == [topic]


def test_a_claim_published_while_its_page_was_open_is_not_saved(editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = review_in("approved", editor)
    claim = review.claim
    client = signed_in(editor)
    data = form_data(client.get(claim_url(claim)))  # rendered while editable
    review_publish(review=review, by=publisher)
    before = claim_state(claim)
    data["text"] = "Edited while it went out."
    response = client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert CLAIM_LOCK_CHANGED.replace("'", "&#x27;") in response.content.decode()
    assert claim_state(claim) == before


def test_the_slug_is_editable_until_a_review_of_the_claim_is_published(  # type: ignore[no-untyped-def]
    editor, publisher
) -> None:
    review = review_in("published", editor)
    review_withdraw(review=review, by=publisher, note="Pulled.")
    claim = review.claim
    client = signed_in(editor)
    page = client.get(claim_url(claim))
    html = page.content.decode()
    assert 'name="text"' in html  # no longer locked...
    assert 'name="slug"' not in html  # ...but its address was public
    data = form_data(page)
    data["slug"] = "moved"
    assert client.post(claim_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert claim.slug != "moved"

    draft = ClaimFactory()
    data = form_data(client.get(claim_url(draft)))
    data["slug"] = "a-better-address"
    assert client.post(claim_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "a-better-address"


def test_the_appearance_pages_save_through_the_claim_and_respect_its_lock(editor) -> None:  # type: ignore[no-untyped-def]
    open_claim = ClaimFactory()
    locked_claim = published_claim(appearances=1, topic=False)
    client = signed_in(editor)
    add = reverse("admin:claims_appearance_add")
    fields = {"url": "https://a.example.org/new", "title": "", "order": 0}

    response = client.post(add, {**fields, "claim": locked_claim.pk})
    assert response.status_code == 200
    assert CLAIM_PUBLISHED_IS_LOCKED.replace("'", "&#x27;") in response.content.decode()
    assert locked_claim.appearances.count() == 1

    response = client.post(add, {**fields, "claim": open_claim.pk, "first": "on"})
    assert response.status_code == 302, response.context["errors"]
    added = open_claim.appearances.get()
    assert (added.url, added.first) == ("https://a.example.org/new", True)
    assert open_claim.history.count() == 1  # the claim's row itself did not change

    change = reverse("admin:claims_appearance_change", args=[added.pk])
    response = client.post(change, {**fields, "title": "Retitled", "first": "on"})
    assert response.status_code == 302, response.context["errors"]
    assert open_claim.appearances.get().title == "Retitled"

    locked = locked_claim.appearances.get()
    change = reverse("admin:claims_appearance_change", args=[locked.pk])
    assert client.post(change, {**fields, "title": "Quietly"}).status_code == 403
    delete = reverse("admin:claims_appearance_delete", args=[locked.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert locked_claim.appearances.get().title == locked.title

    delete = reverse("admin:claims_appearance_delete", args=[added.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not open_claim.appearances.exists()


# --- the review's correction page changes the claim -----------------------------------------


def correction_data(response: Any) -> dict[str, Any]:
    """The POST data of the correction page as rendered."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for bound_form in (form, form.appearances.management_form, *form.appearances.forms):
        for name, field in bound_form.fields.items():
            value = bound_form[name].value()
            if field.__class__.__name__ == "BooleanField":
                if value:
                    data[bound_form.add_prefix(name)] = "on"
            elif value is not None:
                data[bound_form.add_prefix(name)] = value
    return data


def test_correcting_the_claim_from_the_correction_page(publisher, factchecker) -> None:  # type: ignore[no-untyped-def]
    review = review_in("published", factchecker)
    claim = review.claim
    first = claim.appearances.get()
    client = signed_in(publisher)
    url = reverse("admin:claims_review_workflow", args=[review.pk, "correct"])
    page = client.get(url)
    html = page.content.decode()
    assert claim.text in html and first.url in html
    assert "admin/js/autocomplete.js" in html  # the claimant field's widget has its script
    data = correction_data(page)
    data.update(
        {
            "correct-kind": "correction",
            "correct-note": "We quoted the wrong sentence.",
            "correct-claim_text": "The right sentence.",
            "correct-appearances-1-url": "https://example.org/transcript",
            "correct-appearances-1-title": "Transcript",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    claim.refresh_from_db()
    assert claim.text == "The right sentence."
    assert list(claim.appearances.values_list("url", "first")) == [
        (first.url, True),
        ("https://example.org/transcript", False),
    ]
    assert Correction.objects.get(review=review).note == "We quoted the wrong sentence."
    assert claim.history.first().history_change_reason == "correct"


def test_a_correction_page_with_two_first_appearances_shows_the_error(  # type: ignore[no-untyped-def]
    publisher, factchecker
) -> None:
    review = review_in("published", factchecker)
    client = signed_in(publisher)
    url = reverse("admin:claims_review_workflow", args=[review.pk, "correct"])
    data = correction_data(client.get(url))
    data.update(
        {
            "correct-kind": "update",
            "correct-note": "Another appearance.",
            "correct-appearances-1-url": "https://example.org/another",
            "correct-appearances-1-first": "on",
        }
    )
    before = claim_state(review.claim)
    response = client.post(url, data)
    assert response.status_code == 200
    assert TWO_FIRST_APPEARANCES in response.content.decode()
    assert claim_state(review.claim) == before
    assert not Correction.objects.exists()


# --- what the page costs --------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 6])
@pytest.mark.parametrize("published", [True, False])
def test_the_claim_page_query_count(  # type: ignore[no-untyped-def]
    rows, published, editor, django_assert_num_queries
) -> None:
    review = ReviewFactory(published=published)
    claim = review.claim
    for i in range(rows):
        AppearanceFactory(claim=claim, first=i == 0)
        claim.topics.add(TopicFactory())
        ReviewFactory(imported=True, claim=claim)
    client = signed_in(editor)
    url = claim_url(claim)
    client.get(url)
    # session; user; the claim; the user's and their groups' permissions; whether a published
    # review locks it (if not: whether its slug was public once, for the slug field); its
    # topics (the form's initial value); the inlines: appearances, reviews with publisher and
    # rating; the autocomplete widgets' selected claimant and topics; its fact check of ours
    # (the "Open its fact check" / "Add a review" link); the claim's confirmed links
    # (matching's "Already checked?" panel).
    with django_assert_num_queries(13 if published else 14):
        response = client.get(url)
    assert response.status_code == 200
    assert review.headline in response.content.decode()


def test_a_claim_page_only_to_view_renders_without_the_forms_marker(factchecker) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_claim"))
    response = signed_in(viewer).get(claim_url(claim))
    assert response.status_code == 200
    html = response.content.decode()
    assert claim.text in html
    assert "rendered" not in html.lower()


def test_editing_one_appearance_keeps_its_place_in_the_claims_list(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    rows = [AppearanceFactory(claim=claim, url=f"https://a.example.org/{i}") for i in range(3)]
    client = signed_in(editor)
    change = reverse("admin:claims_appearance_change", args=[rows[1].pk])
    response = client.post(
        change, {"url": rows[1].url, "title": "Retitled", "order": rows[1].order, "date": ""}
    )
    assert response.status_code == 302, response.context["errors"]
    assert list(claim.appearances.values_list("url", "title")) == [
        (rows[0].url, rows[0].title),
        (rows[1].url, "Retitled"),
        (rows[2].url, rows[2].title),
    ]


@pytest.mark.parametrize(
    ("url_name", "factory", "field"),
    [
        ("admin:claims_claimant_change", ClaimantFactory, "job_title"),
        ("admin:sources_source_change", SourceFactory, "publisher"),
    ],
)
def test_a_stale_admin_save_of_a_claimant_or_source_is_refused(  # type: ignore[no-untyped-def]
    url_name, factory, field, editor
) -> None:
    row = factory()
    client = signed_in(editor)
    url = reverse(url_name, args=[row.pk])
    data = form_data(client.get(url))
    assert data["based_on_version"] == 1
    first = client.post(url, {**data, field: "First"})
    assert first.status_code == 302, first.context["errors"]
    row.refresh_from_db()
    assert (getattr(row, field), row.version) == ("First", 2)
    stale = client.post(url, {**data, field: "Second"})
    assert stale.status_code == 200
    assert "Someone saved this" in stale.content.decode()
    row.refresh_from_db()
    assert (getattr(row, field), row.version) == ("First", 2)
