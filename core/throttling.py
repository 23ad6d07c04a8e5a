"""The anonymous API throttle, failing open when the cache that counts requests is down.

DRF's throttles keep their counts in the cache; with Redis unreachable they would raise, and
every public API request would be a 500. A throttle that cannot count lets the request through
(the outage is logged by core.cache): the API keeps answering from the database.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from core.cache import cache_failed, cache_up


class ResilientAnonRateThrottle(AnonRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        if not cache_up():
            return True
        try:
            return super().allow_request(request, view)
        except Exception as exc:
            cache_failed("throttle", exc)
            return True
