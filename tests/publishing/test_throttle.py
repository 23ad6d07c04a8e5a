"""Anonymous API requests are throttled per real client address; staff are not."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from tests.helpers import ReviewFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claim-reviews/"
SEARCH = "/api/google/v1alpha1/claims:search?query=x"
LIMIT = 3


@pytest.fixture(autouse=True)
def _low_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF reads the rates once, at import; the real default (120/min) is tested separately.
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", f"{LIMIT}/min")


def statuses(api: APIClient, url: str, count: int, **headers: str) -> list[int]:
    return [api.get(url, **headers).status_code for _ in range(count)]


def test_anonymous_requests_are_throttled_by_default() -> None:
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "core.throttling.ResilientAnonRateThrottle"
    ]


def test_the_default_is_120_a_minute_keyed_on_remote_addr() -> None:
    result = _load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["120/min", "0"]


def test_an_anonymous_client_is_throttled_after_the_rate(api: APIClient) -> None:
    ReviewFactory(published=True)
    assert statuses(api, LIST, LIMIT + 1) == [200] * LIMIT + [429]
    response = api.get(LIST)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_every_public_endpoint_counts_against_the_same_budget(api: APIClient) -> None:
    review = ReviewFactory(published=True)
    urls = [LIST, f"/api/v1/claim-reviews/{review.claim.slug}/", "/api/v1/ratings/"]
    assert [api.get(url).status_code for url in urls] == [200, 200, 200]
    assert api.get("/api/v1/feed/").status_code == 429


def test_the_google_search_is_throttled_in_googles_error_shape(api: APIClient) -> None:
    assert statuses(api, SEARCH, LIMIT) == [200] * LIMIT
    response = api.get(SEARCH)
    assert response.status_code == 429
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert error["message"]


def test_a_rotating_x_forwarded_for_does_not_escape(api: APIClient) -> None:
    codes = [
        api.get(LIST, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(LIMIT + 2)
    ]
    assert codes == [200] * LIMIT + [429, 429]


def test_different_addresses_are_different_clients(api: APIClient) -> None:
    assert statuses(api, LIST, LIMIT + 1, REMOTE_ADDR="198.51.100.1")[-1] == 429
    assert statuses(api, LIST, 1, REMOTE_ADDR="198.51.100.2") == [200]


def test_behind_one_trusted_proxy_the_client_is_the_address_it_saw(
    api: APIClient,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    # The proxy appends the address it saw; whatever the client put before it is ignored.
    codes = [
        api.get(LIST, HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.7", **proxy).status_code
        for i in range(LIMIT + 1)
    ]
    assert codes == [200] * LIMIT + [429]
    # another real client behind the same proxy has its own budget
    other = api.get(LIST, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert other.status_code == 200


def test_signed_in_staff_are_not_throttled_by_the_anonymous_rate(
    api: APIClient,
    editor,  # type: ignore[no-untyped-def]
) -> None:
    api.force_login(editor)
    assert statuses(api, LIST, LIMIT * 3, HTTP_ACCEPT="application/json") == [200] * LIMIT * 3
    assert statuses(api, SEARCH, LIMIT * 2) == [200] * LIMIT * 2


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon'], s.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DEBUG": "1", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_rate_and_proxies_come_from_the_environment() -> None:
    result = _load_settings(FACTCHECK_ANON_THROTTLE_RATE="5000/day", FACTCHECK_TRUSTED_PROXIES="2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5000/day", "2"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FACTCHECK_ANON_THROTTLE_RATE": "lots"}, "FACTCHECK_ANON_THROTTLE_RATE must be"),
        ({"FACTCHECK_ANON_THROTTLE_RATE": "0/min"}, "FACTCHECK_ANON_THROTTLE_RATE must be"),
        ({"FACTCHECK_ANON_THROTTLE_RATE": "10/fortnight"}, "FACTCHECK_ANON_THROTTLE_RATE must be"),
        ({"FACTCHECK_TRUSTED_PROXIES": "-1"}, "FACTCHECK_TRUSTED_PROXIES must be at least 0"),
        ({"FACTCHECK_TRUSTED_PROXIES": "one"}, "FACTCHECK_TRUSTED_PROXIES must be an integer"),
    ],
)
def test_a_bad_rate_or_proxy_count_stops_start_up(env: dict[str, str], message: str) -> None:
    result = _load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
