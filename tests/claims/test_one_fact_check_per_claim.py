"""One fact check of ours per claim (DESIGN.md section 3): a second review of a claim that has
one is refused, naming the existing review, by the service, the API (400) and the admin (a form
error); nothing is written and no public output changes. Re-checks are revisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from claims.models import Review
from claims.services.reviews import review_create, review_update
from tests.helpers import (
    ClaimFactory,
    ReviewFactory,
    api,
    default_rating,
    draft_by,
    form_data,
    published,
    signed_in,
)

pytestmark = pytest.mark.django_db


def test_the_service_refuses_a_second_review_naming_the_first(factchecker) -> None:  # type: ignore[no-untyped-def]
    first = draft_by(factchecker)
    with pytest.raises(ValidationError) as excinfo:
        review_create(by=factchecker, claim=first.claim, headline="Again")
    (message,) = excinfo.value.message_dict["claim"]
    assert f"review {first.pk}" in message and first.headline in message
    assert Review.objects.count() == 1


def test_moving_a_review_onto_a_checked_claim_is_refused(factchecker) -> None:  # type: ignore[no-untyped-def]
    first, second = draft_by(factchecker), draft_by(factchecker)
    with pytest.raises(ValidationError) as excinfo:
        review_update(review=second, by=factchecker, version=1, changes={"claim": first.claim})
    assert f"review {first.pk}" in excinfo.value.message_dict["claim"][0]
    second.refresh_from_db()
    assert second.claim_id != first.claim_id


def test_imported_reviews_of_the_claim_do_not_count(factchecker) -> None:  # type: ignore[no-untyped-def]
    imported = ReviewFactory(imported=True)
    review = review_create(by=factchecker, claim=imported.claim, headline="Ours")
    assert review.claim_id == imported.claim_id


def test_the_api_answers_400_naming_the_existing_review_and_no_public_output_changes(  # type: ignore[no-untyped-def]
    client, factchecker, editor, publisher
) -> None:
    first = published(factchecker, editor, publisher)
    page = client.get(f"/claims/{first.claim.slug}/").content
    listing = client.get("/api/v1/claim-reviews/").content
    response = api(factchecker).post(
        "/api/v1/reviews/",
        {"claim": first.claim_id, "headline": "A second check", "rating": "true"},
        format="json",
    )
    assert response.status_code == 400
    assert f"review {first.pk}" in response.json()["claim"][0]
    assert Review.objects.count() == 1
    assert client.get(f"/claims/{first.claim.slug}/").content == page
    assert client.get("/api/v1/claim-reviews/").content == listing


def test_the_admin_add_form_shows_the_error_on_the_claim(factchecker) -> None:  # type: ignore[no-untyped-def]
    first = draft_by(factchecker)
    admin: Client = signed_in(factchecker)
    blank = form_data(admin.get(reverse("admin:claims_review_add")))

    def add(claim_id: int, headline: str):  # type: ignore[no-untyped-def]
        data = {
            **blank,
            "claim": claim_id,
            "rating": default_rating().pk,
            "headline": headline,
            "language": "en",
        }
        return admin.post(reverse("admin:claims_review_add"), data)

    response = add(first.claim_id, "A second check")
    assert response.status_code == 200  # the form again, with what was typed
    errors = response.context["adminform"].form.errors["claim"]
    assert f"review {first.pk}" in errors[0]
    assert Review.objects.count() == 1
    # A claim without a review of ours is fine.
    other = ClaimFactory()
    response = add(other.pk, "A first check")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Review.objects.filter(claim=other).exists()
