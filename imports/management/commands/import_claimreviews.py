"""`manage.py import_claimreviews PATH|- ... [--as-ours] [--dry-run] [--report FILE]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.models import ImportRecordStatus, ImportRun, ImportRunStatus
from imports.services import FORMATS, import_document, iter_report_records, run_report


class Command(BaseCommand):
    help = (
        "Import ClaimReviews (JSON-LD, HTML pages, DataFeeds, Fact Check Tools responses, JSON "
        "Lines) as other publishers' prior checks, or with --as-ours as our own archive. Prints "
        "the report; a progress bar with rate and ETA on a terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="Files to import; - for stdin."
        )
        parser.add_argument(
            "--as-ours",
            action="store_true",
            help="Our own archive: published reviews of ours (needs --user, a publisher).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")
        parser.add_argument("--report", metavar="FILE", help="Write the JSON report(s) to FILE.")
        parser.add_argument("--url", default="", help="An HTML page's address (relative URLs).")
        parser.add_argument("--format", choices=FORMATS, default="auto")
        parser.add_argument("--user", help="Who imports (username); required with --as-ours.")

    def handle(self, *args: Any, **options: Any) -> None:
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"No user {options['user']!r}.")
        elif options["as_ours"]:
            raise CommandError("--as-ours needs --user: the publisher who imports our archive.")
        reports, failed = [], False
        for name in options["paths"]:
            run = self._import(name, by=by, options=options)
            reports.append(run)
            failed = failed or run.status == ImportRunStatus.FAILED
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8") as out:
                self._write_reports(out, reports)
        if failed:
            raise CommandError("Some documents could not be imported (see above).")

    def _import(self, name: str, *, by: User | None, options: dict[str, Any]) -> ImportRun:
        if name == "-":
            stream, size = sys.stdin.buffer, None
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            stream, size = path.open("rb"), path.stat().st_size
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=size, unit="B", unit_scale=True, desc=Path(name).name, leave=False)
        try:
            run = import_document(
                stream=stream,
                source=name if name != "-" else "stdin",
                by=by,
                format=options["format"],
                base_url=options["url"],
                as_ours=options["as_ours"],
                dry_run=options["dry_run"],
                on_read=bar.update if bar is not None else None,
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.close()
            if name != "-":
                stream.close()
        self._print(name, run, dry_run=options["dry_run"])
        return run

    def _print(self, name: str, run: ImportRun, *, dry_run: bool) -> None:
        report = run_report(run)
        counts = report["counts"]
        what = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{name}: {what} {counts['imported']}, updated {counts['updated']}, unchanged "
            f"{counts['unchanged']}, refused {counts['refused']}"
            + (f" (run {run.pk})" if run.pk else " (dry run: nothing written)")
        )
        for record in iter_report_records(run):
            if record["status"] == ImportRecordStatus.REFUSED:
                self.stdout.write(f"  record {record['index']} {record['url']}: {record['reason']}")
        if run.error:
            self.stderr.write(f"{name}: {run.error}")

    def _write_reports(self, out: IO[str], runs: list[ImportRun]) -> None:
        """One JSON document: the report of each run, its records written one by one."""
        out.write("[")
        for i, run in enumerate(runs):
            head = {k: v for k, v in run_report(run).items() if k != "records"}
            text = json.dumps(head, ensure_ascii=False)[:-1]
            out.write(("," if i else "") + text + ', "records": [')
            for j, record in enumerate(iter_report_records(run)):
                out.write(("," if j else "") + json.dumps(record, ensure_ascii=False))
            out.write("]}")
        out.write("]\n")
