"""Settings fail loudly on a bad or missing value (each case in a fresh interpreter)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "factcheck.settings",
}


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**BASE, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_is_refused() -> None:
    result = load_settings(FACTCHECK_SITE_URL="https://factcheck.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is required when DEBUG is off." in result.stderr


def test_debug_on_runs_without_secret_key_or_site_url() -> None:
    assert load_settings(DEBUG="1").returncode == 0


def test_production_settings_load_with_the_required_values() -> None:
    result = load_settings(SECRET_KEY="x" * 50, FACTCHECK_SITE_URL="https://factcheck.example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"SECRET_KEY": "x"}, "FACTCHECK_SITE_URL is required when DEBUG is off."),
        ({"DEBUG": "1", "FACTCHECK_SITE_URL": "factcheck.example.org"}, "must be an absolute"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must point at"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "1", "REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL must be a redis://"),
        ({"DEBUG": "1", "SECURE_HSTS_SECONDS": "soon"}, "SECURE_HSTS_SECONDS must be an integer"),
        ({"DEBUG": "1", "TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA time zone"),
        ({"DEBUG": "1", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be DEBUG, INFO"),
    ],
)
def test_bad_values_are_refused_with_a_message(env: dict[str, str], message: str) -> None:
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_database_url_selects_postgresql() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])",
        ],
        env={**BASE, "DEBUG": "1", "DATABASE_URL": "postgres://u@db.example:5432/factcheck"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "factcheck"]


def test_sqlite_is_the_default_database() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'])",
        ],
        env={**BASE, "DEBUG": "1"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def readme_production_settings() -> dict[str, str]:
    """The variables of README.md's "Production settings" block."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    block = readme.split("### Production settings", 1)[1].split("```sh", 1)[1].split("```")[0]
    values = dict(line.split("=", 1) for line in block.strip().splitlines())
    values["SECRET_KEY"] = "k" * 30 + "-a-long-random-looking-test-only-value-9f3"
    return values


def test_check_deploy_with_the_documented_production_settings_gives_no_warning() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**BASE, **readme_production_settings()},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_hsts_subdomains_and_preload_come_from_the_environment() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    env = {**BASE, "SECRET_KEY": "x", "FACTCHECK_SITE_URL": "https://e.org"}
    on = {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}
    for extra, expected in (({}, "False False"), (on, "True True")):
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, **extra},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.strip() == expected, result.stderr
