"""`manage.py search_words [--rebuild]`: the words table of "Did you mean ...?".

Prints how many words it holds; `--rebuild` first refills it from today's published reviews
(the trigger only ever adds words: this drops those no published review has any more). Only
on PostgreSQL, where the reader search corrects words.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.models import SearchWord
from matching.search import postgres, rebuild_words


class Command(BaseCommand):
    help = "Show the size of the search's words table; --rebuild refills it first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="refill it from the published reviews"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not postgres():
            raise CommandError("The words table is used on PostgreSQL only.")
        if options["rebuild"]:
            count = rebuild_words()
            self.stdout.write(f"Rebuilt the words table: {count:,} words.")
        else:
            self.stdout.write(f"The words table holds {SearchWord.objects.count():,} words.")
