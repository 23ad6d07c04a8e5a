"""Freshness of everything the public sees, for caches, ETag and Last-Modified.

The public state is decided by the database, never by the cache, so no cache outage can make a
committed change invisible (issue 12):

- A write to a row that is, or was, visible to the public (a review that has been published
  or is withdrawn, its evidence and corrections, the claim, claimant and sources behind it, the
  rating scale, other publishers' reviews) calls `public_changed()` from the receivers in
  claims.signals. That inserts a `PublicChange` mark in the writer's own transaction: the mark
  commits, or rolls back, with the change, and takes no lock other writers wait for. Once the
  transaction has committed, the marks are folded into the one `PublicGeneration` row (a short
  transaction of its own); should that fold fail, the mark stays and still counts.
- `public_state()` is a fingerprint of the generation, the number of unfolded marks, and the
  latest publication time reached (a scheduled review becomes public without any write). Any
  commit of a mark changes it: within one generation marks are only ever added.
- Each process keeps the state it read for at most `FACTCHECK_PUBLIC_STATE_SECONDS` (and never
  past the next scheduled publication), so a cache hit costs no query: a change committed by
  any app server is seen by every other within that bound, and at once by the process that
  made it. That bound is the longest any public page or response can be served stale.
- When the database cannot be reached, the last state read (by this process, or by any
  process: it is kept in the shared cache too) stands, so pages already cached keep being
  served; with no state at all, `DatabaseUnavailable` is raised (reader and API answer 503).

Work on drafts that never went public changes nothing, so it neither empties the public caches
nor shows in public validators.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Max, Model, Q, Subquery, Value
from django.utils import timezone

from claims import models
from claims.models import PublicChange, PublicGeneration, ReviewStatus
from core.cache import cache_get, cache_set
from core.http import PublicState
from sources.models import Source

log = logging.getLogger(__name__)

# The last state any process read, for a process that starts while the database is down.
STATE_CACHE_KEY = "public-state"


class DatabaseUnavailable(Exception):
    """The public state cannot be read and no earlier reading is known."""


@dataclass(frozen=True)
class _Reading:
    state: PublicState
    read_at: float  # time.monotonic()
    next_due: datetime.datetime | None  # the next scheduled publication, which changes it


_reading: _Reading | None = None


def forget() -> None:
    """Make the next `public_state()` read the database (after a write, and in tests)."""
    global _reading
    _reading = None


def public_changed(**_: Any) -> None:
    """Mark every cached public page and response stale, atomically with the current
    transaction (see the module docstring). Accepts and ignores signal arguments, so it can be
    connected as a receiver directly."""
    mark = PublicChange.objects.create()
    forget()
    transaction.on_commit(lambda: _fold(mark.pk))


def _fold(mark: int) -> None:
    """Fold a committed mark into the generation; on failure the mark simply stays."""
    try:
        with transaction.atomic():
            bumped = PublicGeneration.objects.filter(pk=1).update(
                generation=F("generation") + 1, changed_at=timezone.now()
            )
            if not bumped:  # the row is gone (a flushed test database)
                PublicGeneration.objects.get_or_create(pk=1)
            PublicChange.objects.filter(pk=mark).delete()
    except DatabaseError as exc:
        log.warning("could not fold public change %s (%s); it still counts", mark, exc)
    forget()


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


def _read(now: datetime.datetime) -> _Reading:
    """One query: the generation, the unfolded marks, the publications reached and due."""
    ours = models.Review.objects.filter(publisher__isnull=True, status=ReviewStatus.PUBLISHED)
    # (pk > 0: a bound an index answers; the table holds no row at all but for a moment after
    # each public commit, or after a fold that failed)
    marks = PublicChange.objects.filter(pk__gt=0).annotate(one=Value(1)).values("one")
    row = (
        PublicGeneration.objects.filter(pk=1)
        .annotate(
            marks=Subquery(marks.annotate(n=Count("pk")).values("n")[:1]),
            marked_at=Subquery(marks.annotate(at=Max("created_at")).values("at")[:1]),
            latest=Subquery(
                ours.filter(publish_at__lte=now).order_by("-publish_at").values("publish_at")[:1]
            ),
            next_due=Subquery(
                ours.filter(publish_at__gt=now).order_by("publish_at").values("publish_at")[:1]
            ),
        )
        .values_list("generation", "changed_at", "marks", "marked_at", "latest", "next_due")
        .first()
    )
    if row is None:  # the row is gone (a flushed test database): start again from zero
        PublicGeneration.objects.get_or_create(pk=1)
        return _read(now)
    generation, changed_at, marks_count, marked_at, latest, next_due = row
    last_modified = max(d for d in (changed_at, marked_at, latest) if d is not None)
    key = f"{generation}|{marks_count or 0}|{latest.isoformat() if latest else ''}"
    state = PublicState(
        etag=hashlib.sha256(key.encode()).hexdigest()[:32],
        last_modified=min(last_modified.replace(microsecond=0), now),
    )
    return _Reading(state, time.monotonic(), next_due)


def public_state() -> PublicState:
    """The fingerprint of everything public now; no query while this process's last reading is
    fresh (see the module docstring). Raises DatabaseUnavailable when the database cannot be
    read and no earlier reading exists."""
    global _reading
    reading = _reading
    now = timezone.now()
    if (
        reading is not None
        and time.monotonic() - reading.read_at < settings.FACTCHECK_PUBLIC_STATE_SECONDS
        and (reading.next_due is None or now < reading.next_due)
    ):
        return reading.state
    try:
        fresh = _read(now)
    except DatabaseError as exc:
        # Nothing can be written while the database is down: the last reading still holds.
        if reading is not None:
            _reading = _Reading(reading.state, time.monotonic(), None)
            return reading.state
        known = cache_get(STATE_CACHE_KEY)
        if isinstance(known, PublicState):
            return known
        raise DatabaseUnavailable from exc
    if reading is None or reading.state != fresh.state:
        cache_set(STATE_CACHE_KEY, fresh.state, None)
    _reading = fresh
    return fresh.state
