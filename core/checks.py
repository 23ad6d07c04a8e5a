"""System checks for deployment (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

W001 = Warning(
    "The cache is this process's memory (REDIS_URL is not set).",
    hint=(
        "Public page caches, their ETags and the API throttle then live in each process: with "
        "several app processes, a withdrawn or corrected fact check can still be served by the "
        "others. Set REDIS_URL, or run a single process."
    ),
    id="factcheck.W001",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(**kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if not settings.DEBUG and backend.endswith("LocMemCache"):
        return [W001]
    return []
