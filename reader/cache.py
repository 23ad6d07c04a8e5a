"""The reader site's page cache: rendered pages in the shared cache, with HTTP validators.

Every reader view is wrapped by `public_page`, keyed on `claims.public_state.public_state()`, so
a publish, correction or withdrawal (or a scheduled review's time arriving) shows at once, and a
conditional GET is answered 304 without rendering (core.http). A view marks a response that is
not the whole answer (`response.uncacheable = True`: a search that ran out of time) and it is
neither cached nor given validators.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache as page_cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_safe

from claims.public_state import public_state
from core.http import conditional_response, stamp

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


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    headers: dict[str, str]


# Headers a view sets that must survive the page cache (the middleware adds the rest each time).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")


def public_page(*params: str) -> Callable[[View], View]:
    """Serve a public GET/HEAD view from the shared page cache, with ETag and Last-Modified.

    The cache key is the public generation (`public_state().etag`), the site build, the path
    and the values of the query parameters named in `params` (others are ignored, so junk
    parameters cannot fill the cache). A conditional GET whose validators match gets 304
    without rendering. Only 200 responses are cached; 400s and 404s are rendered every time.
    Costs one cache read and one small query on a hit.
    """

    def decorator(view: View) -> View:
        @require_safe
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            state = public_state()
            etag = f'"{state.etag}-{site_build()}"'
            response = conditional_response(request, etag=etag, last_modified=state.last_modified)
            if response is None:
                response = _cached_or_rendered(request, view, args, kwargs, etag, params)
            if getattr(response, "uncacheable", False):
                # Not the whole answer (a search out of time): kept by no cache, no validators.
                response["Cache-Control"] = "no-store"
            elif response.status_code in (200, 304):
                stamp(
                    response, etag=etag, last_modified=state.last_modified, max_age=BROWSER_MAX_AGE
                )
            return response

        return wrapped

    return decorator


def _cached_or_rendered(
    request: HttpRequest,
    view: View,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    etag: str,
    params: Iterable[str],
) -> HttpResponseBase:
    query = urlencode([(p, v) for p in params for v in request.GET.getlist(p)])
    key = "page:" + hashlib.sha256(f"{etag}|{request.path}|{query}".encode()).hexdigest()
    cached: CachedPage | None = page_cache.get(key)
    if cached is not None:
        hit = HttpResponse(cached.content)
        for name, value in cached.headers.items():
            hit[name] = value
        return hit
    response = view(request, *args, **kwargs)
    render_ = getattr(response, "render", None)
    if callable(render_):  # TemplateResponse (the sitemap view)
        render_()
    if (
        response.status_code == 200
        and isinstance(response, HttpResponse)
        and not getattr(response, "uncacheable", False)
    ):
        headers = {h: response[h] for h in _KEPT_HEADERS if h in response}
        page_cache.set(key, CachedPage(response.content, headers), PAGE_CACHE_SECONDS)
    return response
