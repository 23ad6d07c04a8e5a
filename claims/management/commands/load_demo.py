from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_tokens, load_demo
from core.site import public_url

DEMO_REFUSED = (
    "load_demo creates accounts with a known password, so it runs only with DEBUG on or "
    "FACTCHECK_DEMO=1. Nothing was written."
)


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: accounts for each role, claimants, sources, and claims with "
        "reviews in every state. Safe to run again: it only adds what is missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.FACTCHECK_DEMO:
            raise CommandError(DEMO_REFUSED)
        self.stdout.write("Loading demo data...")
        report = load_demo(progress=self.stdout.write)
        if report.changed:
            summary = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Created {summary}."))
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        self.stdout.write(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
        tokens = demo_tokens()
        for username, role, _ in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {username:<12} {role or 'superuser':<14} API token: {tokens.get(username, '-')}"
            )
        self.stdout.write(
            f'  (API: curl -H "Authorization: Token <token>" {public_url("editorial-review-list")})'
        )
