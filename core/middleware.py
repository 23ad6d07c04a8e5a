"""Content-Security-Policy with one allowance for the staff screens; request size limits."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from core.input import NUL_NOT_ALLOWED, printable, too_large

# The admin's field-history pages (django-simple-history) and DRF's browsable API write `style`
# attributes into their markup. Allowing inline *styles* there keeps them laid out; scripts stay
# locked down everywhere, and reader pages allow no inline style at all.
STAFF_PREFIXES = ("/admin/", "/api/")
INLINE_STYLES = {"style-src": ["'unsafe-inline'"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not request.path_info.startswith(STAFF_PREFIXES):
            return parts
        update = dict(parts.update or {})
        update["style-src"] = [*update.get("style-src", []), *INLINE_STYLES["style-src"]]
        return replace(parts, update=update)


class RequestLimitsMiddleware:
    """A body larger than settings.DATA_UPLOAD_MAX_MEMORY_SIZE, by its Content-Length, is
    answered 413 before anything reads it: JSON under /api/, a short text elsewhere. (Bodies
    without a Content-Length are bounded by core.input.JSONParser and by Django's own check.)

    A view that takes bigger documents and bounds them itself (the imports: their body is
    streamed) says so with a `max_body_bytes` attribute, on its DRF view class or its
    ModelAdmin (a number or a function returning one); the check runs in process_view, once
    the view is known, before any middleware or view reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], *args: Any
    ) -> HttpResponseBase | None:
        owner = getattr(view_func, "cls", None) or getattr(view_func, "model_admin", None)
        own = getattr(owner, "max_body_bytes", None)  # a number, or a function giving one
        limit = (own() if callable(own) else own) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return too_large(request, limit)
        return None


class AdminInputMiddleware:
    """A NUL character in any parameter of an admin request (query string or form body) is a
    400 naming the parameter, before a form, a search or a list filter hands it to the database
    (PostgreSQL refuses NUL in text: a 500 otherwise). The API checks its own input
    (core.input); form bodies cannot carry lone surrogates (Django decodes them away)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith("/admin/"):
            for params in (
                (request.GET, request.POST) if request.method == "POST" else [request.GET]
            ):
                for name in params:
                    if "\x00" in name or any("\x00" in v for v in params.getlist(name)):
                        message = NUL_NOT_ALLOWED.format(path=printable(name))
                        return HttpResponse(
                            message, status=400, content_type="text/plain; charset=utf-8"
                        )
        return self.get_response(request)
