"""The shared cache (Redis in production) used so that its outage slows the service and never
breaks it (issue 12: "a cache failure never turns a committed write into a 500").

Every read and write of the public caches goes through these functions. A failing cache call
is logged once and answered as a miss (reads) or skipped (writes); for `CACHE_RETRY_SECONDS`
after a failure the cache is not asked at all, so an unreachable Redis costs one failed
connection per process every few seconds rather than one per request. Nothing a reader sees
depends on the cache being up: every public page and response can be rebuilt from the
database, and the freshness of what is cached is decided by the database
(claims.public_state), never by the cache.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache

log = logging.getLogger(__name__)

CACHE_RETRY_SECONDS = 5.0

_down_until = 0.0


def cache_up() -> bool:
    """False during the pause that follows a failed cache call."""
    return time.monotonic() >= _down_until


def cache_failed(action: str, exc: Exception) -> None:
    global _down_until
    if cache_up():
        log.warning(
            "cache %s failed (%s: %s); skipping the cache for %.0f s",
            action,
            type(exc).__name__,
            exc,
            CACHE_RETRY_SECONDS,
        )
    _down_until = time.monotonic() + CACHE_RETRY_SECONDS


def cache_get(key: str, default: Any = None) -> Any:
    if not cache_up():
        return default
    try:
        return cache.get(key, default)
    # Any backend's error (redis-py's ConnectionError, TimeoutError, OSError...): a miss.
    except Exception as exc:
        cache_failed("read", exc)
        return default


def cache_set(key: str, value: Any, timeout: float | None) -> bool:
    """Store `value`; False when the cache is unavailable (the value is simply not kept)."""
    if not cache_up():
        return False
    try:
        cache.set(key, value, timeout)
    except Exception as exc:
        cache_failed("write", exc)
        return False
    return True


def cache_reset() -> None:
    """Forget a past failure (tests, and /readyz once the cache answers again)."""
    global _down_until
    _down_until = 0.0


def cache_ping() -> bool:
    """Whether the cache answers a write and a read now (for /readyz), whatever the pause."""
    try:
        cache.set("readyz", "1", 10)
        ok = cache.get("readyz") == "1"
    except Exception as exc:
        cache_failed("ping", exc)
        return False
    if ok:
        cache_reset()
    return ok
