"""Freshness of everything the public sees, for caches, ETag and Last-Modified.

One "public generation" token in the shared cache (Redis in production) changes whenever a row
that can show on a public page or response is written (the receivers are connected in
ClaimsConfig.ready, and run once the transaction commits). A scheduled review becomes public
without any write, so `public_state()` also folds in the latest publication time that has been
reached. Public pages and API responses key their caches and validators on `public_state()`:
one cache read and one small indexed query per request.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

GENERATION_KEY = "public-generation"


@dataclass(frozen=True)
class PublicState:
    """A fingerprint of the public data: `etag` changes whenever any public output may have."""

    etag: str
    last_modified: datetime.datetime


def _new_generation() -> tuple[str, float]:
    return f"{time.time_ns():x}", time.time()


def public_changed(**_: Any) -> None:
    """Mark every cached public page and response stale once the current transaction commits.

    Accepts and ignores signal arguments, so it can be connected as a receiver directly.
    """
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, _new_generation(), timeout=None))


def _generation() -> tuple[str, float]:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY) or _new_generation()
    return value


def public_state() -> PublicState:
    from claims.models import Review

    token, changed_at = _generation()
    latest = Review.objects.published().aggregate(latest=Max("publish_at"))["latest"]
    last_modified = datetime.datetime.fromtimestamp(int(changed_at), tz=datetime.UTC)
    if latest is not None and latest > last_modified:
        last_modified = latest.replace(microsecond=0)
    digest = hashlib.sha256(f"{token}|{latest.isoformat() if latest else ''}".encode()).hexdigest()
    return PublicState(etag=digest[:32], last_modified=min(last_modified, timezone.now()))
