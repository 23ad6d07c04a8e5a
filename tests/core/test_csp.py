"""The staff screens allow inline styles (never scripts); reader pages allow neither."""

import pytest
from django.test import Client

from tests.helpers import ReviewFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_admin_history_pages_may_use_inline_styles_but_not_scripts(admin_client: Client) -> None:
    review = ReviewFactory()
    response = admin_client.get(f"/admin/claims/review/{review.pk}/history/")
    assert response.status_code == 200
    csp = directives(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/v1/claim-reviews/"])
def test_api_screens_may_use_inline_styles_but_not_scripts(url: str, client: Client) -> None:
    csp = directives(client.get(url, HTTP_ACCEPT="text/html"))
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]


def test_reader_pages_allow_no_inline_style(client: Client) -> None:
    assert directives(client.get("/"))["style-src"] == ["'self'"]
