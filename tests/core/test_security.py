"""Brute-force protection (core.security): admin sign-in locked per account and per address
after AXES_FAILURE_LIMIT failures, audited in the admin, with a message that reveals nothing;
bad API tokens throttled per address."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from core.security import LOCKED_OUT, TOKEN_FAILURE_LIMIT, TOKENS_PAUSED
from tests.helpers import PASSWORD, api, signed_in

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
LIMIT = settings.AXES_FAILURE_LIMIT


def sign_in(username: str, password: str, address: str) -> int:
    response = Client().post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def fail(username: str, address: str, times: int | None = None) -> int:
    """Sign in with a wrong password `times` times (the limit by default): the form answers
    with its error (200) until the attempt that reaches the limit, which is locked out."""
    codes = [sign_in(username, "wrong password", address) for _ in range(times or LIMIT)]
    assert set(codes[: LIMIT - 1]) <= {200}, codes
    return codes[-1]


def test_the_right_password_signs_in(editor) -> None:  # type: ignore[no-untyped-def]
    assert sign_in("editor", PASSWORD, "10.0.0.1") == 302


def test_after_the_limit_the_account_is_locked_even_with_the_right_password(editor) -> None:  # type: ignore[no-untyped-def]
    assert fail("editor", "10.0.0.1") == 429
    response = Client().post(
        LOGIN, {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 429
    assert response.content.decode() == LOCKED_OUT
    assert int(response["Retry-After"]) > 0


def test_after_the_limit_the_address_is_locked_for_every_account(editor, publisher) -> None:  # type: ignore[no-untyped-def]
    names = [f"someone-{i}" for i in range(LIMIT)]
    codes = [sign_in(name, "wrong password", "10.0.0.3") for name in names]
    assert codes == [200] * (LIMIT - 1) + [429]
    assert sign_in("publisher", PASSWORD, "10.0.0.3") == 429
    assert sign_in("publisher", PASSWORD, "10.0.0.4") == 302  # another address is not


def test_a_lockout_says_the_same_for_an_account_that_does_not_exist(editor) -> None:  # type: ignore[no-untyped-def]
    fail("editor", "10.0.1.1")
    fail("nobody-by-that-name", "10.0.1.2")
    real = Client().post(LOGIN, {"username": "editor", "password": "x"}, REMOTE_ADDR="10.0.1.3")
    made_up = Client().post(
        LOGIN, {"username": "nobody-by-that-name", "password": "x"}, REMOTE_ADDR="10.0.1.4"
    )
    assert (real.status_code, real.content) == (made_up.status_code, made_up.content)
    assert real.content.decode() == LOCKED_OUT


def test_failed_attempts_are_listed_in_the_admin(editor, superuser) -> None:  # type: ignore[no-untyped-def]
    fail("editor", "10.0.2.1", times=2)
    attempt = AccessAttempt.objects.get(username="editor")
    assert (attempt.ip_address, attempt.failures_since_start) == ("10.0.2.1", 2)
    page = signed_in(superuser).get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "10.0.2.1" in page.content.decode()


def test_a_success_resets_the_count(editor) -> None:  # type: ignore[no-untyped-def]
    fail("editor", "10.0.3.1", times=LIMIT - 1)
    assert sign_in("editor", PASSWORD, "10.0.3.1") == 302
    fail("editor", "10.0.3.1", times=LIMIT - 1)
    assert sign_in("editor", PASSWORD, "10.0.3.1") == 302


def test_bad_api_tokens_are_throttled_per_address(editor) -> None:  # type: ignore[no-untyped-def]
    good = api(editor)
    for _ in range(TOKEN_FAILURE_LIMIT):
        response = api().get(
            "/api/v1/claims/", HTTP_AUTHORIZATION="Token not-a-token", REMOTE_ADDR="10.0.4.1"
        )
        assert response.status_code == 401
    paused = api().get(
        "/api/v1/claims/", HTTP_AUTHORIZATION="Token not-a-token", REMOTE_ADDR="10.0.4.1"
    )
    assert paused.status_code == 429
    assert paused.json()["detail"].startswith(TOKENS_PAUSED.rstrip("."))
    assert int(paused["Retry-After"]) > 0
    # even the right token, from that address, until the window passes
    assert good.get("/api/v1/claims/", REMOTE_ADDR="10.0.4.1").status_code == 429
    assert good.get("/api/v1/claims/", REMOTE_ADDR="10.0.4.2").status_code == 200
    # requests without a token are not counted or paused by it
    assert api().get("/api/v1/ratings/", REMOTE_ADDR="10.0.4.1").status_code == 200
