"""The reader site's page cache: rendered pages in the shared cache, with HTTP validators.

Every reader view is wrapped by `public_page`, keyed on `claims.public_state.public_state()`, so
a publish, correction or withdrawal (or a scheduled review's time arriving) shows within the
public state's bound (at once on the app server that made the change), and a conditional GET
is answered 304 without rendering (core.http). `PublicPageCacheMiddleware`, first in
settings.MIDDLEWARE, keeps the pages and answers hits before anything else runs. A view marks a
response that is not the whole answer (`response.uncacheable = True`: a search that ran out of
time) and it is neither cached nor given validators.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache, lru_cache, wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.views.decorators.http import require_safe

from claims.public_state import DatabaseUnavailable, public_state
from core.cache import cache_get, cache_set
from core.http import PublicState, conditional_response, stamp

# Rendered pages live in the shared cache until the public data changes (the key then changes).
PAGE_CACHE_SECONDS = 60 * 60
# Browsers and CDNs may reuse a page this long before revalidating it with ETag/Last-Modified.
BROWSER_MAX_AGE = 60

View = Callable[..., HttpResponseBase]


def site_build() -> str:
    """A fingerprint of what shapes pages besides the data: templates, static files and the
    publisher settings. Part of every page's ETag and cache key, so a deploy that changes how
    pages look never serves a page rendered by the previous code (the cache is shared).
    Worked out once per process, except with DEBUG (templates change under a running server).
    """
    if settings.DEBUG:
        return _site_build()
    return _cached_site_build()


def _site_build() -> str:
    digest = hashlib.sha256()
    for root in (Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "static"):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    for name in (
        "FACTCHECK_SITE_URL",
        "FACTCHECK_PUBLISHER_NAME",
        "FACTCHECK_PUBLISHER_URL",
        "FACTCHECK_PUBLISHER_LOGO",
    ):
        digest.update(f"{name}={getattr(settings, name)}".encode())
    digest.update(staticfiles_storage.url("css/site.css").encode())
    return digest.hexdigest()[:16]


_cached_site_build = cache(_site_build)


# A page as kept: its body and every header the whole middleware stack gave it, validators
# included, so a hit is answered (200 or 304) without running any of it again.
CachedPage = tuple[bytes, tuple[tuple[str, str], ...]]

# Headers a 304 leaves out (RFC 9110 section 15.4.5: it has no content).
_NOT_ON_304 = frozenset({"content-type", "content-length", "content-language"})


def public_page(*params: str) -> Callable[[View], View]:
    """A public GET/HEAD page with ETag and Last-Modified from the public state, kept in the
    shared page cache by `PublicPageCacheMiddleware`.

    The cache key is the public state, the site build, the path and the values of the query
    parameters named in `params` (others are ignored, so junk parameters cannot fill the
    cache). A conditional GET whose validators match gets 304 without rendering. Only 200
    responses are cached; 400s and 404s are rendered every time.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            state = getattr(request, "public_state", None) or public_state()
            etag = page_etag(state)
            response = conditional_response(request, etag=etag, last_modified=state.last_modified)
            if response is None:
                response = view(request, *args, **kwargs)
                render_ = getattr(response, "render", None)
                if callable(render_):  # TemplateResponse (the sitemap view)
                    render_()
                if response.status_code == 200 and not getattr(response, "uncacheable", False):
                    response.public_page_cacheable = True  # type: ignore[attr-defined]
            if getattr(response, "uncacheable", False):
                # Not the whole answer (a search out of time): kept by no cache, no validators.
                response["Cache-Control"] = "no-store"
            elif response.status_code in (200, 304):
                stamp(
                    response, etag=etag, last_modified=state.last_modified, max_age=BROWSER_MAX_AGE
                )
            return response

        safe = require_safe(wrapped)
        safe.public_page_params = params  # type: ignore[attr-defined]
        return safe

    return decorator


def page_etag(state: PublicState) -> str:
    return f'"{state.etag}-{site_build()}"'


def page_key(request: HttpRequest, params: Iterable[str], state: PublicState) -> str:
    query = urlencode([(p, v) for p in params for v in request.GET.getlist(p)])
    name = f"{state.etag}|{site_build()}|{request.path}|{query}"
    return "page:" + hashlib.sha256(name.encode()).hexdigest()


@lru_cache(maxsize=4096)
def _page_params(path: str) -> tuple[str, ...] | None:
    """The query parameters the public page at `path` depends on, or None if it is no public
    page (resolving a path once per process, not once per request)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_params", None)


class PublicPageCacheMiddleware:
    """Answers public pages from the shared page cache, first of all middleware.

    A hit costs one cache read and nothing else: no query (the public state is this process's
    reading, claims.public_state), no session, CSRF or header work (the entry carries the
    headers the other middleware added), no hashing of the body (its validators are stored
    with it); a conditional GET is answered 304 from the entry. A miss runs the stack and the
    view as usual, and keeps the page when the view marked it cacheable and nothing personal
    touched it (no cookie set, not varying on the cookie). Cache errors are misses
    (core.cache), so an unreachable cache only makes every request a render.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or not self._may_answer(request):
            return self.get_response(request)
        params = _page_params(request.path_info)
        if params is None:
            return self.get_response(request)
        try:
            state = public_state()
        except DatabaseUnavailable:  # no state known: the view answers (503, core.health)
            return self.get_response(request)
        request.public_state = state  # type: ignore[attr-defined]  # the view's validators
        key = page_key(request, params, state)
        entry: CachedPage | None = cache_get(key)
        if entry is not None:
            return _answer(request, entry)
        response = self.get_response(request)
        if (
            getattr(response, "public_page_cacheable", False)
            and isinstance(response, HttpResponse)
            and not response.cookies
            and "cookie" not in response.get("Vary", "").lower()
        ):
            cache_set(key, (response.content, tuple(response.items())), PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _may_answer(request: HttpRequest) -> bool:
        """What the middleware after this one would refuse or redirect goes on to it: a Host
        not in ALLOWED_HOSTS (400), plain HTTP under SECURE_SSL_REDIRECT (a redirect)."""
        try:
            request.get_host()
        except DisallowedHost:
            return False
        return request.is_secure() or not settings.SECURE_SSL_REDIRECT


def _answer(request: HttpRequest, entry: CachedPage) -> HttpResponseBase:
    content, headers = entry
    validators = dict(h for h in headers if h[0] in ("ETag", "Last-Modified"))
    if "ETag" in validators and (
        request.META.get("HTTP_IF_NONE_MATCH") or request.META.get("HTTP_IF_MODIFIED_SINCE")
    ):
        modified = parse_http_date_safe(validators.get("Last-Modified", ""))
        not_modified = get_conditional_response(
            request, etag=validators["ETag"], last_modified=modified
        )
        if not_modified is not None:
            for name, value in headers:
                if name.lower() not in _NOT_ON_304:
                    not_modified[name] = value
            return not_modified
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
