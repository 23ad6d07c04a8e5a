"""Shared fixtures: the cast of users, an anonymous API client, database-vendor and prerequisite
markers. Builders and factories are in tests/helpers.py.

Tests that need what a fresh machine may lack skip with a reason: PostgreSQL (`@pytest.mark.
postgres`), Chromium (`@pytest.mark.browser`) and the vendor data in ../shared (`vendor_data`).
With FACTCHECK_CI=1 (set by .ci/run) nothing may skip: PostgreSQL-only tests are deselected on
the SQLite pass (they run on the PostgreSQL pass) and a missing prerequisite fails the test.
Tests of what only the SQLite fallback does (`@pytest.mark.sqlite`: the search's LIKE) are
deselected on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from claims.public_state import forget as forget_public_state
from core.cache import cache_reset
from tests import helpers
from tests.helpers import CAST, CI, UserFactory, skip_or_fail

VENDOR_DATA = Path(
    os.environ.get("FACTCHECK_VENDOR_DATA", settings.BASE_DIR.parent / "shared" / "vendor-data")
)
CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor == "postgresql":
        # What only the SQLite fallback does (the SQLite pass runs these).
        sqlite_only = [item for item in items if item.get_closest_marker("sqlite")]
        config.hook.pytest_deselected(items=sqlite_only)
        items[:] = [item for item in items if not item.get_closest_marker("sqlite")]
        return
    postgres_only = [item for item in items if item.get_closest_marker("postgres")]
    if CI:
        # The PostgreSQL pass of .ci/run runs these.
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... to run it")
    for item in postgres_only:
        item.add_marker(skip)


# The searches' time budget (matching.search.BUDGET_MS) is a bound for production: a search
# out of time answers with fewer results, by design. A test machine under load can take longer
# than it for a query that is quick when idle, and tests check behaviour, not speed (the
# benchmarks do), so tests get a generous budget; those of running out of time set their own.
TEST_SEARCH_BUDGET_MS = 1500  # below the 2 s pg_sleep of the tests of running out of time


@pytest.fixture(autouse=True)
def _generous_search_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from matching import search
    from publishing import api, google

    for module in (search, api, google):
        monkeypatch.setattr(module, "BUDGET_MS", TEST_SEARCH_BUDGET_MS)


@pytest.fixture(autouse=True)
def _isolated_cache(settings) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    cache_reset()
    # Each test reads the public state afresh; within a test this process's writes are seen
    # at once (claims.public_state), so the bound for other app servers does not apply.
    forget_public_state()
    settings.FACTCHECK_PUBLIC_STATE_SECONDS = 3600


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    # Production's PBKDF2 costs a quarter of a second per user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:  # type: ignore[no-untyped-def]
    # The manifest storage used in production needs collectstatic; tests serve from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _demo_allowed(settings) -> None:  # type: ignore[no-untyped-def]
    # Tests run with DEBUG off, like production, where load_demo is refused by default.
    settings.FACTCHECK_DEMO = True


@pytest.fixture
def vendor_data() -> Path:
    """../shared/vendor-data: real ClaimReview markup, schema.org and Google's discovery doc."""
    if not VENDOR_DATA.is_dir():
        skip_or_fail(f"vendor data not found at {VENDOR_DATA} (set FACTCHECK_VENDOR_DATA)")
    return VENDOR_DATA


@pytest.fixture
def chromium_path() -> str:
    if not shutil.which(CHROMIUM):
        skip_or_fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    return CHROMIUM


@pytest.fixture
def api() -> APIClient:
    """An anonymous REST client (`tests.helpers.api(user)` signs one in with a token)."""
    return helpers.api()


# --- the cast ---------------------------------------------------------------------------------


def _member(username: str, group: str | None) -> User:
    user = UserFactory(username=username)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def nobody(db: None) -> User:
    """Signed in, staff, but in no role group."""
    return _member("nobody", None)


@pytest.fixture
def factchecker(db: None) -> User:
    return _member("factchecker", "Fact-checkers")


@pytest.fixture
def factchecker2(db: None) -> User:
    return _member("factchecker2", "Fact-checkers")


@pytest.fixture
def editor(db: None) -> User:
    return _member("editor", "Editors")


@pytest.fixture
def publisher(db: None) -> User:
    return _member("publisher", "Publishers")


@pytest.fixture
def superuser(db: None) -> User:
    return UserFactory(username="superuser", is_superuser=True)


@pytest.fixture
def cast(request: pytest.FixtureRequest) -> dict[str, User | AnonymousUser]:
    """Every member of the cast by name, for tests that walk all of them."""
    return {name: request.getfixturevalue(name) for name in CAST}
