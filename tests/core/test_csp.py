"""core.middleware's Content-Security-Policy: the staff screens allow inline styles (never
scripts); reader pages allow neither (tests/reader/test_security_headers.py has the rest)."""

import pytest
from django.test import Client

from tests.helpers import ReviewFactory, Scripts, csp_directives

pytestmark = pytest.mark.django_db


def test_admin_history_pages_may_use_inline_styles_but_not_scripts(admin_client: Client) -> None:
    review = ReviewFactory()
    response = admin_client.get(f"/admin/claims/review/{review.pk}/history/")
    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/v1/claim-reviews/"])
def test_api_screens_may_use_inline_styles_but_not_scripts(url: str, client: Client) -> None:
    csp = csp_directives(client.get(url, HTTP_ACCEPT="text/html"))
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]


def test_reader_pages_allow_no_inline_style(client: Client) -> None:
    assert csp_directives(client.get("/"))["style-src"] == ["'self'"]


def test_api_docs_work_under_the_policy_without_inline_scripts(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    csp = csp_directives(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    scripts = Scripts()
    scripts.feed(response.content.decode())
    assert scripts.inline == []
    assert scripts.src, "Swagger UI loads its scripts from files"
    init = next(src for src in scripts.src if "script" in src.split("?")[-1])
    init_response = client.get(init)
    assert init_response.status_code == 200
    assert b"SwaggerUIBundle" in init_response.content
