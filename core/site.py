"""Absolute URLs on our canonical site: the one way every app builds a public URL.

Public URLs (JSON-LD, feeds, sitemaps, canonical links, embed code) are on
FACTCHECK_SITE_URL whatever host a request came in on. `public_url()` reverses a URL name, so a
path is written once, in its app's urls.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, reverse


def site_url(path: str) -> str:
    """Absolute URL on our canonical site for a path starting with /."""
    return f"{settings.FACTCHECK_SITE_URL}{path}"


def public_url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """The absolute URL of the view named `viewname` ("reader:claim", slug=...).

    FACTCHECK_SITE_URL already holds any path the site is served under, so the script prefix
    `reverse()` adds inside a request is taken off again.
    """
    path = reverse(viewname, args=args or None, kwargs=kwargs or None)
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    return site_url(path)
