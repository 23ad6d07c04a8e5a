"""Claims in the admin: the claim page and its appearances."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Appearance, Claim
from tests.claims.test_admin_workflow import form_data
from tests.factories import AppearanceFactory, ClaimantFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


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
    assert services.TWO_FIRST_APPEARANCES in response.content.decode()
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
    assert services.TWO_FIRST_APPEARANCES in response.content.decode()
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
    assert services.TWO_FIRST_APPEARANCES in response.content.decode()
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
