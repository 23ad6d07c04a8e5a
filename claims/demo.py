"""Load the demo newsroom (claims.demo_content) into the database, once.

Idempotent: every row is looked up by its natural key (username, slug, URL) and created only when
missing; an existing claim is left exactly as it is, reviews and all. Used by
`manage.py load_demo`, which `make run` calls.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from claims import demo_content as content
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Evidence,
    Rating,
    RatingScale,
    Review,
    ReviewStatus,
    Topic,
    WorkflowEvent,
)
from sources.models import Source
from sources.normalize import normalize_url

DEMO_PASSWORD = "factcheck-demo"
# (username, role group or None for a superuser, full name)
DEMO_ACCOUNTS = [
    ("factchecker", "Fact-checkers", "Farah Checker"),
    ("editor", "Editors", "Eddie Tor"),
    ("publisher", "Publishers", "Pat Lisher"),
    ("admin", None, "Ada Min"),
]


@dataclass
class Report:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created)


@transaction.atomic
def load_demo(*, progress: Callable[[str], None] = lambda _: None) -> Report:
    report = Report()
    users = _accounts(report)
    topics = {
        slug: _get_or_create(Topic, report, slug=slug, defaults={"name": name})
        for name, slug in content.TOPICS
    }
    claimants = {
        c["slug"]: _get_or_create(Claimant, report, slug=c["slug"], defaults=c)
        for c in content.CLAIMANTS
    }
    sources = {
        s["url"]: _get_or_create(Source, report, url=normalize_url(s["url"]), defaults=s)
        for s in content.SOURCES
    }
    ratings = {r.slug: r for r in RatingScale.objects.default().ratings.all()}

    for spec in content.CLAIMS:
        if Claim.objects.filter(slug=spec["slug"]).exists():
            continue
        progress(f"  {spec['slug']}")
        _create_claim(spec, claimants, topics, sources, ratings, users)
        report.count("claim")
    return report


def _get_or_create(model: Any, report: Report, *, defaults: dict[str, Any], **lookup: Any) -> Any:
    obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if created:
        report.count(model._meta.model_name)
    return obj


def _accounts(report: Report) -> dict[str, User]:
    users = {}
    for username, role, full_name in DEMO_ACCOUNTS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": True,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if role is not None:
                user.groups.add(Group.objects.get(name=role))
            report.count("user")
        # An API token per account, so the editorial API can be tried at once.
        _, token_created = Token.objects.get_or_create(user=user)
        if token_created:
            report.count("API token")
        users[username] = user
    return users


def demo_tokens() -> dict[str, str]:
    """The demo accounts' API tokens, by username (for `load_demo` to print)."""
    usernames = [username for username, _, _ in DEMO_ACCOUNTS]
    return dict(
        Token.objects.filter(user__username__in=usernames).values_list("user__username", "key")
    )


def _create_claim(
    spec: dict[str, Any],
    claimants: dict[str, Claimant],
    topics: dict[str, Topic],
    sources: dict[str, Source],
    ratings: dict[str, Rating],
    users: dict[str, User],
) -> None:
    claim = Claim.objects.create(
        slug=spec["slug"],
        claimant=claimants[spec["claimant"]],
        text=spec["text"],
        short_text=spec["short_text"],
        date_claimed=spec["date_claimed"],
        venue=spec["venue"],
    )
    claim.topics.set([topics[slug] for slug in spec["topics"]])
    for order, appearance in enumerate(spec["appearances"]):
        Appearance.objects.create(claim=claim, order=order, **appearance)

    r = spec["review"]
    review = Review.objects.create(
        claim=claim,
        rating=ratings[r["rating"]],
        headline=r["headline"],
        summary=r["summary"],
        body=r["body"],
        created_by=users["factchecker"],
    )
    review.authors.add(users["factchecker"])
    for order, (url, stance, quote, note) in enumerate(r["evidence"]):
        Evidence.objects.create(
            review=review, source=sources[url], stance=stance, quote=quote, note=note, order=order
        )
    _walk(review, r, users)


# The workflow path that leaves a review in each demo state: (action, from, to, actor).
PATHS: dict[str, list[tuple[str, str, str, str]]] = {
    "draft": [],
    "in_review": [("submit", "draft", "in_review", "factchecker")],
    "approved": [
        ("submit", "draft", "in_review", "factchecker"),
        ("approve", "in_review", "approved", "editor"),
    ],
    "published": [
        ("submit", "draft", "in_review", "factchecker"),
        ("approve", "in_review", "approved", "editor"),
        ("publish", "approved", "published", "publisher"),
    ],
    "withdrawn": [
        ("submit", "draft", "in_review", "factchecker"),
        ("approve", "in_review", "approved", "editor"),
        ("publish", "approved", "published", "publisher"),
        ("withdraw", "published", "withdrawn", "publisher"),
    ],
}
PATHS["scheduled"] = PATHS["published"]


def _walk(review: Review, spec: dict[str, Any], users: dict[str, User]) -> None:
    """Leave `review` in the state the demo asks for, with the audit trail that leads there.

    Demo reviews carry their historical dates (a 2017 fact check was published in 2017), so the
    state and dates are written here rather than by the workflow actions, which stamp "now".
    """
    state = spec["state"]
    now = timezone.now()
    published_at: datetime.datetime | None
    if state == "scheduled":
        published_at = now + datetime.timedelta(days=spec["published_in_days"])
        started = now - datetime.timedelta(days=2)
    else:
        published_at = spec.get("published")
        started = (published_at or now) - datetime.timedelta(days=2)

    events = [("create", "", ReviewStatus.DRAFT.value, "factchecker")] + PATHS[state]
    step = datetime.timedelta(hours=6)
    for i, (action, source, target, actor) in enumerate(events):
        at = published_at if action == "publish" and published_at else started + i * step
        if action == "withdraw":
            at = spec["withdrawn"]
        WorkflowEvent.objects.create(
            review=review,
            actor=users[actor],
            action=action,
            source=source,
            target=target,
            comment=spec.get("withdrawal_note", "") if action == "withdraw" else "",
            created_at=at,
        )

    fields: dict[str, Any] = {"status": PATHS[state][-1][2] if PATHS[state] else "draft"}
    if state in {"approved", "published", "scheduled", "withdrawn"}:
        fields["approved_by"] = users["editor"]
    if state in {"published", "scheduled", "withdrawn"}:
        fields.update(
            published_by=users["publisher"], publish_at=published_at, date_published=published_at
        )
    if state == "withdrawn":
        fields.update(withdrawn_at=spec["withdrawn"], withdrawal_note=spec["withdrawal_note"])
    for correction in spec.get("corrections", []):
        Correction.objects.create(
            review=review,
            kind=correction["kind"],
            note=correction["note"],
            created_at=correction["at"],
            created_by=users["publisher"],
        )
        WorkflowEvent.objects.create(
            review=review,
            actor=users["publisher"],
            action="correct",
            source=ReviewStatus.PUBLISHED,
            target=ReviewStatus.PUBLISHED,
            comment=correction["note"],
            created_at=correction["at"],
        )
        fields["date_modified"] = correction["at"]
    Review.objects.filter(pk=review.pk).update(**fields)
    if fields != {"status": "draft"}:
        # The field history's record of the state reached, so a later change (a revision, a
        # correction) is compared with it rather than with the draft the demo started from.
        review.refresh_from_db()
        Review.history.bulk_history_create(
            [review],
            update=True,
            default_user=users[events[-1][3]],
            default_change_reason="demo data: its workflow",
        )
