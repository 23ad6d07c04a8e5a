"""Degraded modes and health checks for load balancers (issue 12).

- The database cannot be reached (or answers with a transient error): readers get a small
  static 503 page and API clients a JSON 503, both with `Retry-After`, never a 500. Pages the
  page cache holds keep being served meanwhile (reader.cache). `ServiceUnavailableMiddleware`
  turns the error of a view into that answer; `server_error` (handler500) does it for an
  error raised anywhere else.
- The cache cannot be reached: nothing here; core.cache makes every cache call a miss, so
  pages and responses are built from the database (slower, correct).
- `GET /healthz`: liveness, 200 while the process serves requests; it touches nothing.
- `GET /readyz`: readiness, 200 when both the database and the cache answer, else 503. Neither
  says more than "ok" or "unavailable": no versions, hosts or error texts.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import cache_ping

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "The service is briefly unavailable. Please try again in a minute."
UNAVAILABLE_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Briefly unavailable</title></head><body><main>"
    "<h1>Briefly unavailable</h1><p>" + UNAVAILABLE + "</p></main></body></html>"
)
# Errors that mean "the database is not there right now", not "this request is wrong".
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, the static page elsewhere."""
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(
            UNAVAILABLE_PAGE, status=503, content_type="text/html; charset=utf-8"
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """A view that fails because the database is unreachable answers 503, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OUTAGE_ERRORS):
            log.error(
                "database unavailable: %s %s (%s)",
                request.method,
                request.path,
                type(exception).__name__,
            )
            return unavailable(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an outage raised outside a view (a middleware) is a 503 too."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OUTAGE_ERRORS):
        return unavailable(request)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No database, no cache."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database and the cache both answer now."""
    ready = _database_up() and cache_ping()
    return JsonResponse({"status": "ok" if ready else "unavailable"}, status=200 if ready else 503)


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False  # (the connection is closed at the request's end if it is unusable)
    return True
