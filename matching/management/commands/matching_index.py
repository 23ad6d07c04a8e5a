"""`manage.py matching_index`: bring matching's index up to date with the claims.

By default it indexes and embeds, here and now, every claim whose entry is missing or stale
(after an import that bypassed signals, a restore, or a change of FACTCHECK_EMBEDDER).
`--queue` leaves the work to the worker instead; `--status` only reports.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from claims.models import Claim
from matching.index import embed_claims, index_claims, unindexed_claims
from matching.tasks import enqueue_backlog

BATCH = 200


class Command(BaseCommand):
    help = "Index and embed the claims matching does not know yet (or report, or queue it)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--status", action="store_true", help="Only report the backlog.")
        group.add_argument(
            "--queue", action="store_true", help="Queue the backlog for the worker instead."
        )

    def handle(self, *args: Any, status: bool, queue: bool, **options: Any) -> None:
        backlog = Claim.objects.filter(unindexed_claims())
        if status:
            tasks = DBTaskResult.objects.filter(task_path__startswith="matching.")
            self.stdout.write(
                f"claims: {Claim.objects.count()}, not yet embedded: {backlog.count()}; "
                f"matching tasks waiting: {tasks.filter(status='READY').count()}, "
                f"failed: {tasks.filter(status='FAILED').count()}"
            )
            return
        if queue:
            with transaction.atomic():
                enqueue_backlog()
            self.stdout.write("Queued the backlog for the worker.")
            return
        ids = list(backlog.order_by("pk").values_list("pk", flat=True))
        index_claims(Claim.objects.values_list("pk", flat=True))
        done = 0
        for start in range(0, len(ids), BATCH):
            done += embed_claims(ids[start : start + BATCH])
            self.stdout.write(f"  embedded {done} of {len(ids)}")
        self.stdout.write(self.style.SUCCESS(f"Indexed; embedded {done} claims."))
