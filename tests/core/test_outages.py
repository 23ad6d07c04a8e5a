"""Outages degrade the service; they never show a stale verdict nor answer 500 (issue 12).

- Redis stops mid-run: a withdrawal still answers 200, and every reader URL of the review stops
  showing its verdict within FACTCHECK_PUBLIC_STATE_SECONDS on an app server that did not make
  the change, while Redis is unreachable and after it comes back with its old entries. Real
  app servers (gunicorn) and a Redis of the test's own, on other ports.
- PostgreSQL stops: `/`, a claim page and the public API answer 503 with Retry-After (or the
  cached 200), never 500; /readyz answers 503, /healthz 200. A PostgreSQL of the test's own
  (initdb into a temporary folder), never the shared server.
- In-process twins of both, which run on SQLite as well: a cache that cannot be reached, a
  database whose connections fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from claims.models import ReviewStatus
from claims.public_state import forget as forget_public_state
from core.cache import cache_reset
from tests.helpers import (
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    RatingFactory,
    RatingScaleFactory,
    UserFactory,
    publish,
    skip_or_fail,
)

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
BOUND = 1  # FACTCHECK_PUBLIC_STATE_SECONDS of the app servers below
VERDICT = "Zorblatt-false"  # a rating label no other text contains


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port} after {timeout} s")


@contextmanager
def _process(command: list[str], port: int, **kwargs: Any) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    try:
        _wait_port(port, process)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)  # in case the test left it stopped
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Static files collected once, as production serves them (manifest storage)."""
    folder = tmp_path_factory.mktemp("static")
    env = {**os.environ, **_SERVER_SETTINGS, "BENCH_STATIC_ROOT": str(folder)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return folder


_SERVER_SETTINGS = {
    # production's settings; benchmarks.settings only lets STATIC_ROOT be chosen
    "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    "SECRET_KEY": "outage-test-only-key",
    "FACTCHECK_SITE_URL": "https://factcheck.example.org",
    "DEBUG": "0",
}


def _app_server(
    database_url: str, redis_url: str | None, static: Path
) -> tuple[list[str], dict[str, str], int]:
    port = _free_port()
    env = {
        **os.environ,
        **_SERVER_SETTINGS,
        "BENCH_STATIC_ROOT": str(static),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "FACTCHECK_PUBLIC_STATE_SECONDS": str(BOUND),
        "FACTCHECK_ANON_THROTTLE_RATE": "100000/min",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "LOG_LEVEL": "CRITICAL",
        "SECURE_SSL_REDIRECT": "0",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    command = [
        str(BIN / "gunicorn"),
        "factcheck.wsgi:application",
        "--chdir",
        str(ROOT),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--no-control-socket",
    ]
    return command, env, port


def _get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _post(port: int, path: str, token: str, body: bytes) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _fact_check_with_a_rare_verdict() -> Any:
    rating = RatingFactory(scale=RatingScaleFactory(), label=VERDICT, slug="zorblatt", value=None)
    claimant = ClaimantFactory(name="Quentin Outage", slug="quentin-outage")
    claim = ClaimFactory(claimant=claimant, text="Redis never goes down, said Quentin.")
    AppearanceFactory(claim=claim, first=True)
    return publish(claim=claim, rating=rating, headline="Redis does go down sometimes")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_redis_outage_never_leaves_a_withdrawn_verdict_on_any_page(static_root: Path) -> None:
    if not shutil.which("redis-server"):
        skip_or_fail("redis-server not found: apt-get install -y redis-server")
    review = _fact_check_with_a_rare_verdict()
    slug = review.claim.slug
    publisher = UserFactory(username="outage-publisher", is_superuser=True)
    token = Token.objects.create(user=publisher).key
    urls = [
        f"/claims/{slug}/",
        f"/claims/{slug}/embed/",
        "/",
        "/claimants/quentin-outage/",
        "/search/?q=redis",
        "/feeds/latest/",
        "/api/v1/claim-reviews/",
        f"/api/v1/claim-reviews/{slug}/",
        "/api/v1/feed/",
        "/api/google/v1alpha1/claims:search?query=redis",
    ]
    redis_port = _free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    redis = [
        "redis-server",
        "--port",
        str(redis_port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    command_a, env_a, port_a = _app_server(_database_url(), redis_url, static_root)
    command_b, env_b, port_b = _app_server(_database_url(), redis_url, static_root)
    with (
        _process(redis, redis_port) as redis_server,
        _process(command_a, port_a, env=env_a),
        _process(command_b, port_b, env=env_b),
    ):
        for _ in range(2):  # the second time from the caches
            for url in urls:
                status, _, body = _get(port_b, url)
                assert status == 200 and VERDICT in body, url

        redis_server.send_signal(signal.SIGSTOP)  # unreachable: connections hang, then time out
        note = b'{"note": "The claimant retracted it; our evidence did not hold."}'
        assert _post(port_a, f"/api/v1/reviews/{review.pk}/withdraw/", token, note) == 200
        withdrawn_at = time.monotonic()
        review.refresh_from_db()
        assert review.status == ReviewStatus.WITHDRAWN

        def every_url_fresh_within_the_bound() -> None:
            for url in urls:
                while True:
                    asked_at = time.monotonic()
                    status, _, body = _get(port_b, url)
                    assert status in (200, 404), (url, status)
                    if VERDICT not in body:
                        break
                    # a stale answer is only allowed to a request sent within the bound
                    assert asked_at - withdrawn_at <= BOUND + 0.25, (url, "stale past bound")
                    time.sleep(0.05)

        every_url_fresh_within_the_bound()  # Redis still unreachable: pages from the database
        redis_server.send_signal(signal.SIGCONT)  # back, with every entry it held
        every_url_fresh_within_the_bound()
        status, _, body = _get(port_b, f"/claims/{slug}/")
        assert status == 200 and "has been withdrawn" in body

        redis_server.terminate()  # gone for good: everything still answers, from the database
        redis_server.wait(timeout=20)
        for url in urls:
            status, _, body = _get(port_b, url)
            assert status in (200, 404) and VERDICT not in body, url
        assert _get(port_b, "/readyz")[0] == 503
        assert _get(port_b, "/healthz")[0] == 200


@pytest.fixture
def pg_folder() -> Iterator[Path]:
    """A folder for a PostgreSQL of the test's own, outside pytest's (root-only) temp tree."""
    folder = Path(tempfile.mkdtemp(prefix="factcheck-outage-pg-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _own_postgresql(folder: Path) -> tuple[list[str], list[str], int]:
    """initdb into `folder` (as the postgres user when run as root); the commands to serve it
    and to stop it ("fast": every connection is cut)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        skip_or_fail("PostgreSQL's initdb not found under /usr/lib/postgresql/*/bin")
    bin_dir = found[-1].parent
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "initdb"),
            "-D",
            str(folder / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
        ],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    serve = [
        *as_postgres,
        str(bin_dir / "postgres"),
        "-D",
        str(folder / "data"),
        "-p",
        str(port),
        "-k",
        str(folder),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
    ]
    stop = [
        *as_postgres,
        str(bin_dir / "pg_ctl"),
        "stop",
        "-D",
        str(folder / "data"),
        "-m",
        "fast",
        "-w",
    ]
    return serve, stop, port


@pytest.mark.postgres
def test_with_the_database_stopped_readers_get_503_or_the_cached_page(
    pg_folder: Path, static_root: Path
) -> None:
    serve, stop, pg_port = _own_postgresql(pg_folder)
    database_url = f"postgres://postgres@127.0.0.1:{pg_port}/postgres"
    with _process(serve, pg_port) as postgres:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "1",
            "SECRET_KEY": "outage-test-only-key",
            "FACTCHECK_DEMO": "1",
        }
        env.pop("REDIS_URL", None)
        for step in (["migrate", "--no-input", "-v0"], ["load_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *step],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        # the cache in the server's own process
        command, app_env, port = _app_server(database_url, None, static_root)
        with _process(command, port, env=app_env):
            slug = "sessions-did-not-have-communications-with-the-russians"
            cached = ["/", f"/claims/{slug}/"]
            for url in cached:
                assert _get(port, url)[0] == 200
            assert _get(port, "/readyz")[0] == 200

            subprocess.run(stop, check=True, capture_output=True, timeout=60)
            postgres.wait(timeout=30)

            for url in cached:  # still in the page cache: served as they were
                status, _, body = _get(port, url)
                assert status == 200 and "Sessions" in body, url
            for url, json_body in (
                ("/claims/largest-audience-to-ever-witness-an-inauguration/", False),
                ("/claimants/jeff-sessions/", False),
                ("/api/v1/claim-reviews/", True),
                ("/api/v1/claim-reviews/?page_size=3", True),
                (f"/api/v1/claim-reviews/{slug}/", True),
            ):
                status, headers, body = _get(port, url)
                assert status == 503, (url, status)
                assert headers["Retry-After"].isdigit()
                if json_body:
                    assert headers["Content-Type"] == "application/json"
                    assert "unavailable" in body
                else:
                    assert "Briefly unavailable" in body and len(body) < 1000
                assert "OperationalError" not in body and str(pg_port) not in body
            status, _, body = _get(port, "/readyz")
            assert status == 503 and body == '{"status": "unavailable"}'
            assert _get(port, "/healthz")[0] == 200


# --- in process: on SQLite too -----------------------------------------------------------------

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.mark.django_db
def test_with_the_cache_unreachable_pages_render_and_a_withdrawal_answers_200(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    review = _fact_check_with_a_rare_verdict()
    publisher = UserFactory(username="outage-publisher", is_superuser=True)
    token = Token.objects.create(user=publisher).key
    client = Client()
    with override_settings(CACHES=UNREACHABLE_REDIS):
        cache_reset()
        for url in (f"/claims/{review.claim.slug}/", "/", "/api/v1/claim-reviews/"):
            response = client.get(url)
            assert response.status_code == 200 and VERDICT in response.content.decode(), url
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/api/v1/reviews/{review.pk}/withdraw/",
                {"note": "Retracted."},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token}",
            )
        assert response.status_code == 200
        for url in (f"/claims/{review.claim.slug}/", "/", "/api/v1/claim-reviews/"):
            assert VERDICT not in client.get(url).content.decode(), url
        assert client.get("/readyz").status_code == 503
    caches["default"].close()
    cache_reset()


@contextmanager
def _database_down() -> Iterator[None]:
    """Every query fails as it does when the server is gone (an in-memory SQLite test database
    cannot be closed, so the cursor is refused rather than the connection)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused (the test's outage)")

    connection._cursor = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        del connection._cursor


@pytest.mark.django_db
def test_with_database_connections_failing_readers_get_503_never_500() -> None:
    review = publish()
    client = Client(raise_request_exception=False)
    claim_page = f"/claims/{review.claim.slug}/"
    assert client.get(claim_page).status_code == 200  # now in the page cache
    with _database_down():
        cached = client.get(claim_page)
        assert cached.status_code == 200 and review.headline in cached.content.decode()
        for url in ("/", "/api/v1/claim-reviews/", f"/api/v1/claim-reviews/{review.claim.slug}/"):
            response = client.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
        assert client.get("/api/v1/claim-reviews/")["Content-Type"] == "application/json"
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
        forget_public_state()  # a process that never read the state: the shared cache's copy
        assert client.get(claim_page).status_code == 200
    assert client.get("/readyz").status_code == 200
