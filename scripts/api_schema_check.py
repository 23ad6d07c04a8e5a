"""Check the API against its own OpenAPI document with schemathesis, on a live server.

    .venv/bin/python scripts/api_schema_check.py [--max-examples N] [--seed S] [--keep DIR]

Builds a scratch SQLite database with the demo data (migrate, load_demo), serves it with
gunicorn on a free port of 127.0.0.1 with production settings (DEBUG off), then runs
`schemathesis run` with every check (`--checks all`) twice: anonymously, and with the demo
publisher's API token (every editorial operation, writes included: the database is thrown
away afterwards). Exits non-zero when schemathesis reports any failure: a server error, a
response that disagrees with the schema (status, content type, headers, body), an invalid
request accepted or a valid one refused. `.ci/run` runs it; the case count per operation is
bounded so the whole run stays within a few minutes.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def publisher_token(env: dict[str, str]) -> str:
    code = (
        "from rest_framework.authtoken.models import Token; "
        "print(Token.objects.get(user__username='publisher').key)"
    )
    lines = manage(env, "shell", "-c", code).split()
    return lines[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=12, help="cases per operation")
    parser.add_argument("--seed", type=int, default=None, help="schemathesis' random seed")
    # One worker: hypothesis describes strategies with `ast`, which Python 3.11 does not allow
    # from several threads at once ("AST constructor recursion depth mismatch").
    parser.add_argument("--workers", default="1", help="schemathesis workers (default 1)")
    parser.add_argument(
        "--who", action="append", choices=["anonymous", "publisher"], help="only this run"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep reports in this folder")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="factcheck-schema-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "schema-check-only",
        "FACTCHECK_SITE_URL": base,
        "ALLOWED_HOSTS": "127.0.0.1",
        "FACTCHECK_DEMO": "1",
        # Cookies over plain HTTP on this local server; never a production setting.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        # Enough for the whole run: the throttle's 429 is documented and tested elsewhere.
        "FACTCHECK_ANON_THROTTLE_RATE": "100000/min",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    print(f"== scratch database and demo data in {scratch}", flush=True)
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--no-input")
    token = publisher_token(env)

    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "factcheck.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    failed = False
    try:
        wait_until_up(f"{base}/api/schema/", server)
        runs = {"anonymous": [], "publisher": ["-H", f"Authorization: Token {token}"]}
        for who in args.who or list(runs):
            headers = runs[who]
            print(f"\n== schemathesis, {who}, {args.max_examples} cases per operation", flush=True)
            report = (args.keep or scratch) / who
            command = [
                str(BIN / "schemathesis"),
                "--config-file",
                str(ROOT / "scripts" / "schemathesis.toml"),
                "run",
                f"{base}/api/schema/?format=json",
                "--checks",
                "all",
                "--max-examples",
                str(args.max_examples),
                "--workers",
                args.workers,
                "--phases",
                "examples,coverage,fuzzing",
                "--generation-database",
                "none",
                "--request-timeout",
                "30",
                "--no-color",
                "--report",
                "junit",
                "--report-dir",
                str(report),
                *headers,
            ]
            if args.seed is not None:
                command += ["--seed", str(args.seed)]
            result = subprocess.run(command, cwd=ROOT, env=env)
            failed = failed or result.returncode != 0
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("\n== schema check:", "FAILED" if failed else "passed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
