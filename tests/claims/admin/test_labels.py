"""The admin in plain words (issue 11): the audit trail and filters in human labels, "View on
site" and "Add a review" links, "Same as" as URL inputs, the latest request for changes at the
top of a draft for its authors, time zones beside times."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claimant
from claims.services.reviews import review_request_changes, review_submit
from tests.helpers import SITE, ClaimantFactory, ClaimFactory, draft_by, published, signed_in

pytestmark = pytest.mark.django_db


def test_the_audit_trail_speaks_plainly(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    page = signed_in(editor).get(reverse("admin:claims_review_change", args=[review.pk]))
    html = page.content.decode()
    trail = html.split('id="events-group"')[1].split("</fieldset>")[0]
    for words in ("Submitted for review", "Approved", "Published", "In review", "Draft"):
        assert words in trail, words
    for internal in ("in_review", "request_changes", ">submit<"):
        assert internal not in trail, internal
    assert "UTC" in trail  # the time zone beside times


def test_filters_read_as_written(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    published(factchecker, editor, publisher)
    html = signed_in(editor).get(reverse("admin:claims_review_changelist")).content.decode()
    assert "What is waiting for me" in html and "Awaiting my review" in html
    assert "Published by" in html
    assert "By for me" not in html and "By What" not in html


def test_view_on_site_once_public_and_add_a_review_from_a_claim(
    factchecker, editor, publisher
) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    client = signed_in(publisher)
    html = client.get(reverse("admin:claims_review_change", args=[review.pk])).content.decode()
    assert "View on site" in html
    assert f'href="{SITE}/claims/{review.claim.slug}/" class="viewsitelink"' in html
    draft = draft_by(factchecker)
    html = client.get(reverse("admin:claims_review_change", args=[draft.pk])).content.decode()
    assert "View on site" not in html  # nothing public yet

    claim = ClaimFactory()
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert f'href="{reverse("admin:claims_review_add")}?claim={claim.pk}"' in html
    html = client.get(reverse("admin:claims_claim_change", args=[review.claim_id])).content.decode()
    assert "Open its fact check" in html and "Add a review" not in html


def test_same_as_is_a_list_of_url_inputs(editor) -> None:  # type: ignore[no-untyped-def]
    claimant = ClaimantFactory(same_as=["https://en.wikipedia.org/wiki/Jeff_Sessions"])
    client = signed_in(editor)
    url = reverse("admin:claims_claimant_change", args=[claimant.pk])
    html = client.get(url).content.decode()
    assert html.count('type="url" name="same_as"') == 2  # the URL, and an empty one to add
    data = {
        "name": claimant.name,
        "slug": claimant.slug,
        "kind": "person",
        "job_title": "",
        "description": "",
        "image_url": "",
        "same_as": [
            "https://en.wikipedia.org/wiki/Jeff_Sessions",
            "https://www.wikidata.org/wiki/Q7180",
        ],
        "based_on_version": claimant.version,
    }
    assert client.post(url, data).status_code == 302
    claimant.refresh_from_db()
    assert claimant.same_as[-1] == "https://www.wikidata.org/wiki/Q7180"
    data["based_on_version"] = claimant.version
    response = client.post(url, {**data, "same_as": ["not a url"]})
    assert response.status_code == 200
    assert "is not a web address" in response.content.decode()
    assert Claimant.objects.get(pk=claimant.pk).same_as == data["same_as"]


def test_the_latest_request_for_changes_is_at_the_top_for_the_authors(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    review_submit(review=review, by=factchecker)
    review_request_changes(review=review, by=editor, comment="Cite the hearing transcript.")
    html = (
        signed_in(factchecker)
        .get(reverse("admin:claims_review_change", args=[review.pk]))
        .content.decode()
    )
    top = html.split('id="latest-request"')[1]
    assert "Cite the hearing transcript." in top.split("</div>")[0]
    assert html.index('id="latest-request"') < html.index('id="review_form"')


def test_validator_messages_are_plain_words_linking_to_the_field(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, rating=None)
    html = (
        signed_in(factchecker)
        .get(reverse("admin:claims_review_change", args=[review.pk]))
        .content.decode()
    )
    assert '<a href="#id_rating">Choose a rating: Google requires a verdict label.</a>' in html
    assert 'id="id_rating"' in html
