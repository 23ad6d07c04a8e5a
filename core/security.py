"""Brute-force protection: the admin sign-in (django-axes) and API tokens.

- Admin sign-in: django-axes counts failed attempts per account and per client address
  (settings.AXES_LOCKOUT_PARAMETERS) in the database, so the admin shows them ("Axes": access
  attempts, failures and log, with who, from where and when) and every app server shares the
  count. After AXES_FAILURE_LIMIT failures the account, and separately the address, are locked
  for AXES_COOLOFF_TIME: even the right password is refused meanwhile. The lockout page
  (`lockout_response`) says only that signing in is paused for a while: not whether the
  account exists, which limit was hit, or for how long exactly.
- API tokens: `ThrottledTokenAuthentication` counts bad tokens per client address in the
  cache (Redis when REDIS_URL is set, shared by every app server); beyond
  TOKEN_FAILURE_LIMIT in TOKEN_FAILURE_WINDOW seconds, every token request from that address
  gets 429 with `Retry-After` until the window passes, right token or not. Each failure is
  logged (logger `factcheck.security`).

The client address is what settings.REST_FRAMEWORK["NUM_PROXIES"] (FACTCHECK_TRUSTED_PROXIES)
makes of it, the same as the anonymous API throttle: a forged X-Forwarded-For is no new client.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from core.cache import cache_failed, cache_get, cache_up

log = logging.getLogger("factcheck.security")

TOKEN_FAILURE_LIMIT = 20
TOKEN_FAILURE_WINDOW = 600  # seconds

# Messages (tests assert on them). Neither says whether the account or token exists.
LOCKED_OUT = "Too many failed attempts to sign in. Try again later."
TOKENS_PAUSED = "Too many requests with an invalid token. Try again later."


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with NUM_PROXIES trusted proxies in front, the
    address the outermost of them saw in X-Forwarded-For (as DRF's throttles count it)."""
    config: dict[str, Any] = settings.REST_FRAMEWORK
    proxies = int(config.get("NUM_PROXIES") or 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return remote


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """What a locked-out sign-in gets (settings.AXES_LOCKOUT_CALLABLE): 429, and a message
    that reveals nothing about the account."""
    response = HttpResponse(LOCKED_OUT, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _failures_key(address: str) -> str:
    return f"security:token-failures:{address}"


class ThrottledTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with bad tokens counted per client address (see above)."""

    def authenticate(self, request: Request) -> Any:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.split(" ", 1)[0].lower() != self.keyword.lower():
            return None  # no token: nothing to count
        address = client_ip(request._request)
        key = _failures_key(address)
        # With the cache unreachable the count is unknown: tokens are checked as usual (as the
        # API throttle, this fails open rather than turning every request into a 500).
        if (cache_get(key) or 0) >= TOKEN_FAILURE_LIMIT:
            raise exceptions.Throttled(wait=TOKEN_FAILURE_WINDOW, detail=TOKENS_PAUSED)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            _count_failure(key)
            log.warning("invalid API token from %s (%s)", address, request.path)
            raise


def _count_failure(key: str) -> None:
    if not cache_up():
        return
    try:
        if cache.add(key, 1, TOKEN_FAILURE_WINDOW) is False:
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, TOKEN_FAILURE_WINDOW)
    except Exception as exc:  # any backend's error: the failure is not counted
        cache_failed("write", exc)
