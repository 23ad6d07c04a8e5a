"""Freshness of everything the public sees, for caches, ETag and Last-Modified.

One "public generation" token in the shared cache (Redis in production) changes whenever a row
that is, or was, visible to the public is written: a review that has been published (or is
withdrawn), its evidence and corrections, the claim, claimant and sources behind it, the rating
scale, other publishers' reviews. Work on drafts that never went public changes nothing, so it
neither empties the public caches nor shows in public validators. The receivers in
claims.signals call `public_changed()`, which bumps the token once the transaction commits.

A scheduled review becomes public without any write, so `public_state()` also folds in the
latest publication time that has been reached. Public pages and API responses key their caches
and validators on `public_state()`: one cache read and one small indexed query per request.

The token lives in the cache: with the in-process cache (no REDIS_URL) each process has its
own, so run one process, or set REDIS_URL, whenever DEBUG is off.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Model, Q
from django.utils import timezone

from claims import models
from claims.models import ReviewStatus
from core.http import PublicState
from sources.models import Source

GENERATION_KEY = "public-generation"


def _new_generation() -> tuple[str, float]:
    return f"{time.time_ns():x}", time.time()


def public_changed(**_: Any) -> None:
    """Mark every cached public page and response stale once the current transaction commits.

    Accepts and ignores signal arguments, so it can be connected as a receiver directly.
    """
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, _new_generation(), timeout=None))


def public_facing() -> Q:
    """Reviews whose writes can change public output: published (now or scheduled), withdrawn,
    or published once (a reopened review's page went from the notice to 404). Imported reviews
    are always published."""
    return Q(date_published__isnull=False) | Q(
        status__in=[ReviewStatus.PUBLISHED, ReviewStatus.WITHDRAWN]
    )


def touches_public(instance: Model) -> bool:
    """Whether writing `instance` can change a public page or response."""
    reviews = models.Review.objects.filter(public_facing())
    match instance:
        case models.Review():
            return instance.date_published is not None or instance.status in {
                models.ReviewStatus.PUBLISHED,
                models.ReviewStatus.WITHDRAWN,
            }
        case models.Evidence():
            return reviews.filter(pk=instance.review_id).exists()
        case models.Claim():
            return reviews.filter(claim_id=instance.pk).exists()
        case models.Appearance():
            return reviews.filter(claim_id=instance.claim_id).exists()
        case models.Claimant():
            return reviews.filter(claim__claimant_id=instance.pk).exists()
        case Source():
            return reviews.filter(evidence__source_id=instance.pk).exists()
    # Topics, the rating scale, corrections, other publishers: rare writes, always public.
    return True


def _generation() -> tuple[str, float]:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY) or _new_generation()
    return value


def public_state() -> PublicState:
    """The fingerprint of everything public now: one cache read and one small indexed query."""
    token, changed_at = _generation()
    latest = models.Review.objects.published().aggregate(latest=Max("publish_at"))["latest"]
    last_modified = datetime.datetime.fromtimestamp(int(changed_at), tz=datetime.UTC)
    if latest is not None and latest > last_modified:
        last_modified = latest.replace(microsecond=0)
    digest = hashlib.sha256(f"{token}|{latest.isoformat() if latest else ''}".encode()).hexdigest()
    return PublicState(etag=digest[:32], last_modified=min(last_modified, timezone.now()))
