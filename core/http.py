"""Conditional GET for public responses: the one place validators are compared and stamped.

Public pages (reader.cache) and public API responses (publishing.api) derive an ETag and a
Last-Modified from a `PublicState` (claims.public_state: a fingerprint that changes whenever any
public output may have), answer a conditional GET whose validators match with 304 without
building the response, and stamp the validators and cache headers on what they send.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date


@dataclass(frozen=True)
class PublicState:
    """A fingerprint of the public data: `etag` changes whenever any public output may have."""

    etag: str
    last_modified: datetime.datetime


def conditional_response(
    request: HttpRequest, *, etag: str, last_modified: datetime.datetime
) -> HttpResponseBase | None:
    """304 (or 412 for a failed precondition) when the request's validators decide, else None."""
    response: HttpResponseBase | None = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    return response


def stamp(
    response: HttpResponseBase,
    *,
    etag: str,
    last_modified: datetime.datetime,
    max_age: int,
    private: bool = False,
    vary: Sequence[str] = (),
) -> None:
    """Set ETag, Last-Modified and Cache-Control (public for `max_age` seconds, or private and
    not reusable) and add `vary` to Vary."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(int(last_modified.timestamp()))
    if private:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    if vary:
        patch_vary_headers(response, vary)
