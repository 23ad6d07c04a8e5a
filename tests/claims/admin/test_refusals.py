"""A save that passes the admin form's checks but is refused by the service (another edit or a
publication came first, inside the service's transaction) reloads the page with the reason:
never a 500, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims.admin import claims as claim_admin
from claims.admin import reviews as review_admin
from claims.exceptions import InvalidTransition, StaleVersion
from claims.models import Claim, Review
from tests.helpers import ClaimFactory, ReviewFactory, form_data, signed_in

pytestmark = pytest.mark.django_db

LATE = "A publication came first."


def refuse(error: Exception):  # type: ignore[no-untyped-def]
    def service(**_: Any) -> None:
        raise error

    return service


def test_a_claim_save_refused_by_the_service_reloads_with_the_reason(editor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory(venue="Before")
    client = signed_in(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data["venue"] = "After"
    monkeypatch.setattr(claim_admin, "claim_update", refuse(InvalidTransition(LATE)))

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [LATE]
    assert Claim.objects.get(pk=claim.pk).venue == "Before"


def test_a_review_save_refused_by_the_service_reloads_with_the_reason(
    factchecker, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(headline="Before")
    review.authors.add(factchecker)
    client = signed_in(factchecker)
    url = reverse("admin:claims_review_change", args=[review.pk])
    data = form_data(client.get(url))
    data["headline"] = "After"
    monkeypatch.setattr(review_admin, "review_update", refuse(StaleVersion(LATE)))

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [LATE]
    assert Review.objects.get(pk=review.pk).headline == "Before"
