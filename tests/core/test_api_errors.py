"""The one exception handler maps every error to the status codes of DESIGN.md section 6."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from claims.exceptions import InvalidTransition, StaleVersion


def respond_with(error: Exception):  # type: ignore[no-untyped-def]
    class Raising(APIView):
        permission_classes: list = []
        authentication_classes: list = []

        def get(self, request):  # type: ignore[no-untyped-def]
            raise error

    return Raising.as_view()(APIRequestFactory().get("/"))


def test_django_validation_error_becomes_400_with_field_errors() -> None:
    response = respond_with(DjangoValidationError({"headline": ["This field is required."]}))
    assert response.status_code == 400
    assert response.data == {"headline": ["This field is required."]}


def test_django_validation_error_without_field_becomes_non_field_errors() -> None:
    response = respond_with(DjangoValidationError("Nope."))
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Nope."]}


@pytest.mark.parametrize("error", [StaleVersion("stale"), InvalidTransition("not now")])
def test_conflicts_become_409_with_a_code(error: Exception) -> None:
    response = respond_with(error)
    assert response.status_code == 409
    assert response.data == {"detail": str(error), "code": error.code}  # type: ignore[attr-defined]


def test_permission_denied_becomes_403() -> None:
    assert respond_with(PermissionDenied()).status_code == 403


def test_http404_becomes_404() -> None:
    assert respond_with(Http404()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/claim-reviews/%00/", "/api/v1/nothing-here/", "/api/x"])
def test_an_unknown_api_path_answers_json(path: str, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_an_unknown_reader_path_answers_the_html_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
