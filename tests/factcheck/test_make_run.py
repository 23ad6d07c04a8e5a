"""`make run` serves canonical URLs (JSON-LD, feeds, sitemap, embed code) on the host and port
it serves on: FACTCHECK_SITE_URL defaults to them (issue 11: `make run PORT=8802` linked :8000).
Each test takes the command `make -n run` would run and asks Django what it would use."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
PRINT_SITE_URL = "shell -c 'from django.conf import settings; print(settings.FACTCHECK_SITE_URL)'"


def site_url_of_make_run(*args: str, env: dict[str, str] | None = None) -> str:
    if shutil.which("make") is None:
        pytest.skip("needs make")
    planned = subprocess.run(
        ["make", "-n", "run", *args], cwd=BASE, capture_output=True, text=True, check=True
    ).stdout
    (line,) = [line for line in planned.splitlines() if "manage.py runserver" in line]
    command = line.split("manage.py runserver")[0] + "manage.py " + PRINT_SITE_URL
    clean = {k: v for k, v in os.environ.items() if k not in {"FACTCHECK_SITE_URL", "DEBUG"}}
    result = subprocess.run(
        command, shell=True, cwd=BASE, capture_output=True, text=True, env={**clean, **(env or {})}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_site_url_follows_the_port() -> None:
    assert site_url_of_make_run("PORT=8802") == "http://127.0.0.1:8802"


def test_listening_everywhere_links_to_localhost() -> None:
    assert site_url_of_make_run("HOST=0.0.0.0", "PORT=8803") == "http://127.0.0.1:8803"


def test_an_explicit_site_url_wins() -> None:
    url = site_url_of_make_run("PORT=8802", env={"FACTCHECK_SITE_URL": "https://checks.example"})
    assert url == "https://checks.example"
