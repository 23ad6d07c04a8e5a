"""System checks for deployment (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

W001 = Warning(
    "The cache is this process's memory (REDIS_URL is not set).",
    hint=(
        "Public page caches and the API throttle then live in each process: with several app "
        "processes each renders and keeps its own copy of every page, and each counts a "
        "client's requests apart. Set REDIS_URL, or run a single process."
    ),
    id="factcheck.W001",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(**kwargs: Any) -> list[CheckMessage]:
    backend = str(settings.CACHES["default"]["BACKEND"])
    if not settings.DEBUG and backend.endswith("LocMemCache"):
        return [W001]
    return []
