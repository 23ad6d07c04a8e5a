"""The reader site: HTML pages for the public (DESIGN.md section 6).

Every view here is thin: it reads through a QuerySet method that starts at
`Review.objects.published()` (or `with_public_page()` for a claim's own page, which keeps
answering with a notice after a withdrawal) and renders. `public_page` (reader.cache) wraps them
all with the shared page cache and HTTP validators keyed on the public state, so a publish,
correction or withdrawal (or a scheduled review's time arriving) is visible at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from csp.decorators import csp_replace
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from claims.claimreview import claim_page_url
from claims.models import (
    Claimant,
    Correction,
    CorrectionKind,
    Rating,
    RatingScale,
    Review,
    ReviewStatus,
)
from core.site import public_url
from matching.search import MAX_QUERY_LENGTH, QUERY_TOO_LONG
from matching.search import search as search_reviews
from reader.cache import public_page
from reader.claim_page import claim_page, page_rows, shown_row

PAGE_SIZE = 20
# The deepest page a list of the reader site goes: however many fact checks there are, no page
# costs more than skipping this many rows (and the count stops there). Older ones are reached
# by search, their claimant's page, the sitemap, the feeds and the API's cursor.
MAX_PAGES = 250
# The embed code's iframe height, in CSS pixels: the verdict card (reader/embed.html, its long
# texts cut to a few lines by site.css) fits in it whole at any width from 320 px up
# (tests/e2e/test_embed.py measures it at 320, 390 and 1,280).
EMBED_HEIGHT = 330
UNKNOWN_RATING = "There is no rating “{slug}” on our scale; showing nothing."


class CappedPaginator(Paginator):
    """A Paginator over at most MAX_PAGES pages, whose deepest page costs about what the first
    does (issue 13: under 100 ms with a million fact checks).

    Its count reads no more rows than those pages hold. A page is one query, whose rows are
    picked by key first: the OFFSET skips entries of the list's index only (an index-only scan
    of review_public_list, which covers the public filter and the list's order), and only the
    page's own rows are then read whole and joined to their claim, claimant and rating.
    Skipping whole joined rows instead cost 0.6 s at the cap.
    """

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        return int(rows.values("pk")[: MAX_PAGES * self.per_page].count())

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows: Any = self.object_list
        return Page(rows.filter(pk__in=rows.values("pk")[bottom:top]), number, self)


def _page(request: HttpRequest, items: Any) -> Page:
    return CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _page_number(request: HttpRequest) -> int:
    """The `page` asked for, 1 when it is not a positive number."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _default_ratings() -> list[Rating]:
    return list(Rating.objects.filter(scale__is_default=True).order_by("order", "id"))


# --- pages ------------------------------------------------------------------------------------


@public_page("rating", "page")
def home(request: HttpRequest) -> HttpResponse:
    """Latest published fact checks, newest first, optionally of one rating."""
    ratings = _default_ratings()
    slug = request.GET.get("rating", "")
    selected = next((r for r in ratings if r.slug == slug), None)
    context: dict[str, Any] = {
        "nav": "home",
        "ratings": ratings,
        "selected": selected,
        "canonical_url": public_url("reader:home"),
    }
    if slug and selected is None:
        context["error"] = UNKNOWN_RATING.format(slug=slug)
        return render(request, "reader/home.html", context, status=400)
    reviews = Review.objects.published().for_list().newest_first()
    if selected is not None:
        reviews = reviews.filter(rating=selected)
    context["page"] = _page(request, reviews)
    return render(request, "reader/home.html", context)


def _review_for_page(slug: str, *, queryset: Any) -> Review:
    """The review a claim's page shows: its public one, else the one that was public before
    (withdrawn, or reopened since). 404 when neither exists (drafts never public, scheduled,
    imported, unknown slugs)."""
    reviews = list(queryset.filter(claim__slug=slug))
    if not reviews:
        raise Http404("No fact check here.")
    return min(
        reviews,
        key=lambda r: (not r.is_public(), -(r.date_published or r.publish_at).timestamp()),
    )


@dataclass(frozen=True)
class Notice:
    """Why a page that was public shows no verdict now: its latest withdrawal."""

    at: Any
    note: str
    headline: str


def _withdrawal_notice(
    *,
    status: str,
    withdrawn_at: Any,
    withdrawal_note: str,
    headline: str,
    withdrawals: list[tuple[Any, int, str, str]],
) -> Notice:
    """The notice of a review that is not public now: the withdrawal itself while withdrawn;
    after a reopen (the review is being reworked, unseen) its latest withdrawal record
    (`withdrawals`: created_at, pk, note, headline), and the headline readers saw then."""
    if status == ReviewStatus.WITHDRAWN:
        return Notice(withdrawn_at, withdrawal_note, headline)
    latest = max(withdrawals, key=lambda w: (w[0], w[1]), default=None)
    if latest is None:
        return Notice(None, "", headline)
    return Notice(latest[0], latest[2], latest[3] or headline)


@public_page()
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The fact check: claim, verdict, short answer, explanation, evidence, corrections.

    A URL once public never 404s. A withdrawn review answers 200 with the withdrawal notice and
    without its verdict or any ClaimReview markup; so does one reopened after its withdrawal,
    until a new version is public (then without the claim card either: its claim may be
    reworked, and readers see nothing unpublished). 1 query on PostgreSQL (reader.claim_page).
    """
    now = timezone.now()
    rows = page_rows(slug, now)
    if not rows:
        raise Http404("No fact check here.")
    page = claim_page(shown_row(rows, now), now)
    review = page.review
    withdrawn = not page.public
    notice = None
    if withdrawn:
        notice = _withdrawal_notice(
            status=review["status"],
            withdrawn_at=review["withdrawn_at"],
            withdrawal_note=review["withdrawal_note"],
            headline=review["headline"],
            withdrawals=[
                (c["created_at"], c["pk"], c["note"], c["headline"])
                for c in page.corrections
                if c["kind"] == CorrectionKind.WITHDRAWAL
            ],
        )
    context = {
        "review": review,
        "claim": page.claim,
        "topics": page.topics,
        "appearances": page.appearances,
        "evidence": page.evidence,
        "withdrawn": withdrawn,
        "notice": notice,
        "reworked": withdrawn and review["status"] != ReviewStatus.WITHDRAWN,
        "headline": notice.headline if notice else review["headline"],
        "claimreview": None if withdrawn else page.claimreview(),
        "canonical_url": claim_page_url(page.claim["slug"]),
        "embed_url": public_url("reader:embed", slug=page.claim["slug"]),
        "embed_height": EMBED_HEIGHT,
        "corrections": page.corrections,
        # Other publishers' checks of the same claim, as an editor confirmed them (never an
        # automatic match).
        "also_checked_by": [] if withdrawn else page.also_checked_by,
    }
    return render(request, "reader/claim_detail.html", context)


# Outside the page cache, so a cached card is as frameable as a freshly rendered one.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_page()
def claim_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """A small verdict card for other sites' iframes: the one view that may be framed."""
    reviews = Review.objects.with_public_page().for_list()
    review = _review_for_page(slug, queryset=reviews)
    withdrawn = not review.is_public()
    notice = None
    if withdrawn:
        notice = _withdrawal_notice(
            status=review.status,
            withdrawn_at=review.withdrawn_at,
            withdrawal_note=review.withdrawal_note,
            headline=review.headline,
            withdrawals=[
                (c.created_at, c.pk, c.note, c.headline)
                for c in review.corrections.all()
                if c.kind == CorrectionKind.WITHDRAWAL
            ],
        )
    context = {
        "review": review,
        "claim": review.claim,
        "withdrawn": withdrawn,
        "notice": notice,
        "canonical_url": claim_page_url(review.claim.slug),
    }
    return render(request, "reader/embed.html", context)


# Geometry of the rating-distribution chart, in SVG user units; the SVG scales to its box.
CHART_WIDTH = 400
CHART_LABEL_WIDTH = 112
CHART_COUNT_SPACE = 34
CHART_ROW_HEIGHT = 32
CHART_BAR_HEIGHT = 20


@dataclass(frozen=True)
class ChartRow:
    """One bar of the claimant's chart, with its coordinates worked out for the template."""

    rating: Rating
    count: int
    y: int
    width: float

    label_x = CHART_LABEL_WIDTH - 10
    bar_x = CHART_LABEL_WIDTH
    bar_y = (CHART_ROW_HEIGHT - CHART_BAR_HEIGHT) // 2
    bar_height = CHART_BAR_HEIGHT
    text_y = bar_y + CHART_BAR_HEIGHT - 5
    track_width = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_COUNT_SPACE

    count_x = CHART_LABEL_WIDTH + track_width + 8


def chart_rows(ratings: list[Rating], counts: dict[int, int]) -> list[ChartRow]:
    """A bar per rating in `ratings` order, the longest for the most used rating."""
    most = max(counts.values(), default=0) or 1
    return [
        ChartRow(
            rating=rating,
            count=counts.get(rating.pk, 0),
            y=i * CHART_ROW_HEIGHT,
            width=round(ChartRow.track_width * counts.get(rating.pk, 0) / most, 1),
        )
        for i, rating in enumerate(ratings)
    ]


@public_page("page")
def claimant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Who said it: their checked claims and how they were rated, as an SVG chart and a table."""
    public = Review.objects.published()
    claimant = get_object_or_404(
        Claimant.objects.filter(Exists(public.filter(claim__claimant=OuterRef("pk")))),
        slug=slug,
    )
    theirs = public.filter(claim__claimant=claimant)
    counts = dict(
        theirs.order_by()
        .values_list("rating_id")
        .annotate(n=Count("id"))
        .values_list("rating_id", "n")
    )
    # The whole default scale (zeros included, so the shape of the scale stays readable),
    # then any rating of another scale they were given.
    ratings = list(
        Rating.objects.filter(Q(scale__is_default=True) | Q(pk__in=list(counts))).order_by(
            "-scale__is_default", "scale_id", "order", "id"
        )
    )
    rows = chart_rows(ratings, counts)
    context = {
        "claimant": claimant,
        "canonical_url": public_url("reader:claimant", slug=claimant.slug),
        "page": _page(request, theirs.for_list().newest_first()),
        "chart": rows,
        "chart_height": len(rows) * CHART_ROW_HEIGHT,
        "chart_width": CHART_WIDTH,
        "total": sum(counts.values()),
    }
    return render(request, "reader/claimant_detail.html", context)


@public_page("q", "page")
def search(request: HttpRequest) -> HttpResponse:
    """Our published fact checks for the reader's query, best first (matching.search: ranked,
    stemmed, websearch syntax, corrected when it finds nothing, highlighted, bounded)."""
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {
        "nav": "search",
        "query": query,
        "query_encoded": quote_plus(query),
        "max_length": MAX_QUERY_LENGTH,
    }
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = QUERY_TOO_LONG
        return render(request, "reader/search.html", context, status=400)
    if query:
        results = search_reviews(query, page=_page_number(request), page_size=PAGE_SIZE)
        context["results"] = results
        response = render(request, "reader/search.html", context)
        response.uncacheable = results.degraded  # type: ignore[attr-defined]
        return response
    return render(request, "reader/search.html", context)


@public_page()
def ratings(request: HttpRequest) -> HttpResponse:
    """Methodology: the rating scale with the definition of every rating."""
    scale = get_object_or_404(RatingScale.objects.prefetch_related("ratings"), is_default=True)
    context = {"nav": "ratings", "scale": scale, "canonical_url": public_url("reader:ratings")}
    return render(request, "reader/ratings.html", context)


@public_page("page")
def corrections(request: HttpRequest) -> HttpResponse:
    """The public record, newest first: every correction, update, clarification, verdict change
    and withdrawal of our fact checks that readers saw. Append-only: an entry stays whatever
    happens to its review later (withdrawn, reopened, republished), with the headline readers
    saw when it was recorded."""
    items = Correction.objects.public_record().select_related("review__claim")
    context = {
        "nav": "corrections",
        "page": _page(request, items),
        "canonical_url": public_url("reader:corrections"),
    }
    return render(request, "reader/corrections.html", context)


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@public_page()
def rating_styles(request: HttpRequest) -> HttpResponse:
    """The rating colours as a stylesheet (`.rating-<id>`), so badges need no inline styles
    and the Content-Security-Policy can refuse them. Colours are editable in the admin."""
    rules = [
        f".rating-{r.pk}{{background-color:{r.colour};color:{r.text_colour}}}"
        for r in Rating.objects.order_by("pk")
        if _COLOUR.match(r.colour)  # the database enforces it too; never emit anything else
    ]
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """`/robots.txt`: everything public may be crawled but the staff screens, and the sitemap
    index is advertised (on FACTCHECK_SITE_URL, like every URL the sitemaps list)."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        "",
        f"Sitemap: {public_url('reader:sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the API)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
