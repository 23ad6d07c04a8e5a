"""Browser tests: Debian's Chromium driven headless by playwright (sync API) against
pytest-django's live server with the demo newsroom loaded.

Never `playwright install`: the browser is /usr/bin/chromium (the `chromium_path` fixture skips
on a machine without it, and fails under FACTCHECK_CI=1). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.helpers import Watched

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in a
    # thread with a running loop unless told it is safe, which it is here (one test at a time).
    # Set for these tests only, so the rest of the suite keeps Django's check.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live_db(transactional_db: None, django_db_serialized_rollback: None) -> None:
    """A database the live server's thread sees (data is committed), which starts each test
    with what the migrations installed (the rating scale, the roles): a transactional test
    empties the tables afterwards, so they are restored from a serialized copy."""


@pytest.fixture
def demo(live_db: None) -> None:
    """The demo newsroom: the Sessions fact check and claims in every state."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def browser(chromium_path: str) -> Iterator[Any]:
    """Chromium, headless. Request it after the fixtures that write to the database: ORM calls
    made while playwright runs go through another connection (playwright switches contexts),
    which would stay open and keep PostgreSQL from dropping the test database."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watched = Watched(page)

    def on_console(message: Any) -> None:
        if message.type == "error":
            watched.errors.append(message.text)

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.errors.append(f"uncaught: {error}"))
    page.on("dialog", on_dialog)
    page.on(
        "response",
        lambda response: (
            watched.errors.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield watched
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
