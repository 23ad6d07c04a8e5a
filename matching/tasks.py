"""Matching's background work, run by the task queue's worker (`make worker`, or beside the
development server in `make run`): Django's Tasks API (the django-tasks backport) with the
database backend (django-tasks-db).

Why this queue: its queue is a table in the database we already run, so it needs no broker
(Celery and RQ would need Redis to be durable, which we run only as a cache), it survives
restarts with the database, and a task is claimed by one worker with `SELECT ... FOR UPDATE
SKIP LOCKED`, so two workers never run the same one. Failed tasks stay in the table with their
traceback (admin: "Task results"; `manage.py matching_index --status`).

Each task takes claim ids and re-reads the claims; its body is idempotent (matching.index skips
entries whose document and embedder did not change), so a task re-run after a crash does
nothing more. A failing task is retried MAX_ATTEMPTS times, a minute apart, then left failed
for the next backlog run.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from claims.models import Claim
from matching.index import embed_claims, index_claims, unindexed_claims

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
BACKLOG_BATCH = 200


@task()
def embed_claims_task(claim_ids: list[int], attempt: int = 1) -> int:
    """Index and embed these claims (those already up to date are skipped)."""
    try:
        return embed_claims(claim_ids)
    except Exception:
        if attempt < MAX_ATTEMPTS:
            log.exception("matching: embedding %s failed, retrying", claim_ids)
            embed_claims_task.using(
                run_after=timezone.now() + datetime.timedelta(minutes=attempt)
            ).enqueue(claim_ids, attempt + 1)
        raise


@task()
def index_backlog_task() -> int:
    """Embed the next batch of claims that have no up-to-date vector, and enqueue itself again
    while some remain (after an import, or a change of embedder)."""
    ids = list(
        Claim.objects.filter(unindexed_claims())
        .order_by("pk")
        .values_list("pk", flat=True)[:BACKLOG_BATCH]
    )
    if not ids:
        return 0
    done = embed_claims(ids)
    if done:
        transaction.on_commit(index_backlog_task.enqueue)
    return done


def enqueue_claims(claim_ids: list[int]) -> None:
    """After the current transaction commits: index these claims now (exact, URL and words are
    at once available to matching) and queue their embedding for the worker."""

    def run() -> None:
        try:
            index_claims(claim_ids)
        except Exception:
            log.exception("matching: indexing claims %s failed; the worker will retry", claim_ids)
        try:
            embed_claims_task.enqueue(claim_ids)
        except Exception:
            log.exception("matching: could not queue the embedding of claims %s", claim_ids)

    transaction.on_commit(run)


def enqueue_backlog() -> None:
    """Queue the backlog run (e.g. after an import), once the current transaction commits."""
    transaction.on_commit(index_backlog_task.enqueue)
