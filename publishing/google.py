"""`GET /api/google/v1alpha1/claims:search`: Google Fact Check Tools API's `claims.search`, here.

Same parameters, response schema and error shape as Google's (discovery document
`factchecktools:v1alpha1`), so an existing client works by changing only its root URL to
`<site>/api/google/`. It covers our published reviews (publisher: FACTCHECK_PUBLISHER_NAME and
the host of FACTCHECK_SITE_URL) and the other publishers' reviews we imported, never an
unpublished one. Matching is the site's one search (`matching.search`, stemmed in
`languageCode` when given): every word of `query` must appear, whatever its case and accents,
in the claim, its short text, the claimant's name, or a review's title or summary, with the
websearch syntax of the reader's search ("a phrase", -word, or). Claims come by relevance, as
Google's do: the best score of their matching reviews (the reader search's), ties newest
first, among the first COUNT_CAP + 1 matching reviews (see `search_claims`); with a site
filter alone, newest review first. The search runs under the reader search's time budget: one
that runs out of time answers fewer claims or none rather than an error.

Parameters: `query`, `languageCode` (the primary language: "en-US" matches "en" and "en-GB"),
`reviewPublisherSiteFilter` (a site or a parent domain), `maxAgeDays` (the newer of the claim
date and the review date must be within), `pageSize` (default 10, at most 100), `pageToken`
(the `nextPageToken` of the previous response; the other parameters must not change),
`offset` (used only without `pageToken`). Google's standard parameters (`key`, `alt=json`,
`prettyPrint`, `fields`, ...) are accepted and ignored. Anything else is a 400
INVALID_ARGUMENT, as Google answers.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.claimreview import claim_page_url
from claims.models import Claim, Review, ReviewQuerySet
from core.api import exception_handler
from matching.search import BUDGET_MS, RESERVE_MS, Budget, SearchTimeout, ranked_ids

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
QUERY_MAX_LENGTH = 1000
INT32_MAX = 2**31 - 1
PARAMETERS = (
    "query",
    "languageCode",
    "reviewPublisherSiteFilter",
    "maxAgeDays",
    "pageSize",
    "pageToken",
    "offset",
)
# Parameters every Google API accepts (the discovery document's top-level "parameters").
STANDARD_PARAMETERS = (
    "$.xgafv",
    "access_token",
    "alt",
    "callback",
    "fields",
    "key",
    "oauth_token",
    "prettyPrint",
    "quotaUser",
    "upload_protocol",
    "uploadType",
)

# Messages, in Google's wording where Google has one.
UNKNOWN_PARAMETER = (
    'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. Field '
    "'{name}' could not be found in request message."
)
INVALID_INTEGER = "Invalid value at '{name}' (TYPE_INT32), \"{value}\""
NEGATIVE = "{name} must not be negative."
QUERY_REQUIRED = "Either query or reviewPublisherSiteFilter is required."
QUERY_TOO_LONG = f"query is too long: use at most {QUERY_MAX_LENGTH} characters."
NUL_CHARACTER = "{name} must not contain NUL characters."
INVALID_LANGUAGE = 'Invalid languageCode "{value}": use a BCP-47 code such as "en" or "sr-Latn".'
INVALID_SITE = 'Invalid reviewPublisherSiteFilter "{value}": use a site such as "example.org".'
INVALID_PAGE_TOKEN = (
    "Invalid pageToken: pass the nextPageToken of the previous response, with the other "
    "parameters unchanged."
)
INVALID_ALT = "Invalid value at 'alt': only json is supported."

# HTTP status -> Google's RPC status name.
RPC_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "INVALID_ARGUMENT",
    406: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
}

# The module this lived in first: page tokens already handed out keep working.
TOKEN_SALT = "claims.google.page-token"


class InvalidArgument(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST


@dataclass(frozen=True)
class SearchParams:
    query: str
    language: str
    site: str
    max_age_days: int | None
    page_size: int
    offset: int

    def fingerprint(self) -> str:
        """What a page token is bound to: every parameter but the position."""
        parts = [self.query, self.language, self.site, str(self.max_age_days), str(self.page_size)]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


# --- parameters -------------------------------------------------------------------------------


def _int(params: QueryDict, name: str) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        raise InvalidArgument(INVALID_INTEGER.format(name=name, value=raw[:100])) from None
    if not -(2**31) <= value <= INT32_MAX:
        raise InvalidArgument(INVALID_INTEGER.format(name=name, value=raw[:100]))
    if value < 0:
        raise InvalidArgument(NEGATIVE.format(name=name))
    return value


def _text(params: QueryDict, name: str) -> str:
    value = params.get(name) or ""
    if "\x00" in value:
        raise InvalidArgument(NUL_CHARACTER.format(name=name))
    return value.strip()


def parse_params(params: QueryDict) -> SearchParams:
    """The search asked for, or InvalidArgument (400) with a message saying what is wrong."""
    for name in params:
        if name not in PARAMETERS and name not in STANDARD_PARAMETERS:
            raise InvalidArgument(UNKNOWN_PARAMETER.format(name=name[:100]))
    if params.get("alt", "json") != "json":
        raise InvalidArgument(INVALID_ALT)

    query = _text(params, "query")
    if len(query) > QUERY_MAX_LENGTH:
        raise InvalidArgument(QUERY_TOO_LONG)
    language = _text(params, "languageCode")
    # BCP 47: letters, digits and hyphens; only the primary language is matched.
    if language and not all(part.isalnum() and part.isascii() for part in language.split("-")):
        raise InvalidArgument(INVALID_LANGUAGE.format(value=language[:35]))
    language = language.split("-")[0].lower()
    site = _text(params, "reviewPublisherSiteFilter").lower().removeprefix("www.")
    if site and not all(
        part and all(c.isalnum() or c == "-" for c in part) and part.isascii()
        for part in site.split(".")
    ):
        raise InvalidArgument(INVALID_SITE.format(value=site[:253]))
    if not query and not site:
        raise InvalidArgument(QUERY_REQUIRED)

    max_age_days = _int(params, "maxAgeDays") or None
    page_size = min(_int(params, "pageSize") or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    offset = _int(params, "offset") or 0
    search = SearchParams(query, language, site, max_age_days, page_size, offset)

    token = params.get("pageToken")
    if token:
        try:
            position, fingerprint = signing.loads(token, salt=TOKEN_SALT)
            position = int(position)
        except (signing.BadSignature, ValueError, TypeError):
            raise InvalidArgument(INVALID_PAGE_TOKEN) from None
        if fingerprint != search.fingerprint() or not 0 <= position <= INT32_MAX:
            raise InvalidArgument(INVALID_PAGE_TOKEN)
        search = SearchParams(query, language, site, max_age_days, page_size, position)
    return search


def page_token(search: SearchParams, offset: int) -> str:
    return signing.dumps([offset, search.fingerprint()], salt=TOKEN_SALT)


# --- the search -------------------------------------------------------------------------------


def our_site() -> str:
    """Our site as Google names publishers: the host of FACTCHECK_SITE_URL, without "www."."""
    return (urlsplit(settings.FACTCHECK_SITE_URL).hostname or "").removeprefix("www.")


def _site_matches(site: str, wanted: str) -> bool:
    return site == wanted or site.endswith(f".{wanted}")


def searchable_reviews(search: SearchParams, *, now: datetime.datetime) -> ReviewQuerySet:
    """The reviews the search may show: our public ones and imported ones, filtered by
    language, publisher site and age (not by the query)."""
    reviews = Review.objects.published(now=now) | Review.objects.imported_published()
    if search.language:
        reviews = reviews.in_language(search.language)
    if search.site:
        theirs = Q(publisher__site__iexact=search.site) | Q(
            publisher__site__iendswith=f".{search.site}"
        )
        if _site_matches(our_site(), search.site):
            theirs |= Q(publisher__isnull=True)
        reviews = reviews.filter(theirs)
    if search.max_age_days:
        try:
            cutoff = now - datetime.timedelta(days=search.max_age_days)
        except OverflowError:
            cutoff = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        reviews = reviews.filter(
            Q(date_published__gte=cutoff) | Q(claim__date_claimed__gte=cutoff.date())
        )
    return reviews


def search_claims(
    search: SearchParams, *, budget: Budget, now: datetime.datetime | None = None
) -> tuple[list[Claim], bool]:
    """One page of matching claims, each with `search_reviews` (its shown reviews, newest
    first), and whether there are more.

    With a query, claims come best first: each ranked by the best relevance score of its
    matching reviews (the reader search's score, `matching.search.ranked_ids()`), ties by its
    newest matching review. That ranking is of the first COUNT_CAP + 1 matching reviews the
    index yields, as the reader search's is, so its cost does not grow with the table; for a
    query matching more reviews than that, the pages end with the claims of those (no
    nextPageToken after them). Without a query (a site filter alone) every shown review
    matches and claims come newest review first, all of them.

    Each step runs under `budget` (raising SearchTimeout when out of time). Queries: 3 with a
    query (the ranked claim ids of the page; the claims with claimant; their reviews with
    publisher and rating), 2 without (the claims with claimant, ordered by their latest
    review date; their reviews): as many whatever the number of claims and reviews.
    """
    now = now or timezone.now()
    reviews = searchable_reviews(search, now=now)
    shown = Prefetch(
        "reviews",
        queryset=reviews.select_related("publisher", "rating").newest_first(),
        to_attr="search_reviews",
    )
    window = slice(search.offset, search.offset + search.page_size + 1)
    if not search.query:
        latest = reviews.filter(claim=OuterRef("pk")).newest_first().values("date_published")[:1]
        claims = (
            Claim.objects.filter(pk__in=reviews.values("claim_id"))
            .select_related("claimant")
            .annotate(latest_review=Subquery(latest))
            .order_by(F("latest_review").desc(nulls_last=True), "-pk")
            .prefetch_related(shown)
        )
        with budget.step():
            page: list[Claim] = list(claims[window])
        return page[: search.page_size], len(page) > search.page_size
    # The page's reviews need their share of the budget whatever the ranking took.
    with budget.step(reserve=RESERVE_MS):
        ids = ranked_ids(
            reviews,
            search.query,
            window,
            key="claim_id",
            language=search.language or None,
            now=now,
        )
    if not ids:
        return [], False
    shown_ids = ids[: search.page_size]
    with budget.step():
        by_id = Claim.objects.select_related("claimant").prefetch_related(shown).in_bulk(shown_ids)
    return [by_id[pk] for pk in shown_ids if pk in by_id], len(ids) > search.page_size


# --- the response -----------------------------------------------------------------------------


def _google_datetime(value: datetime.datetime | datetime.date) -> str:
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Google leaves out empty fields (proto3 JSON)."""
    return {k: v for k, v in data.items() if v not in ("", None, [], {})}


def review_json(review: Review) -> dict[str, Any]:
    if review.publisher_id is None:
        publisher = {"name": settings.FACTCHECK_PUBLISHER_NAME, "site": our_site()}
        url = claim_page_url(review.claim.slug)
    else:
        assert review.publisher is not None
        publisher = _compact(
            {"name": review.publisher.name, "site": review.publisher.site.removeprefix("www.")}
        )
        url = review.external_url
    return _compact(
        {
            "publisher": publisher,
            "url": url,
            "title": review.headline,
            "reviewDate": _google_datetime(review.date_published) if review.date_published else "",
            "textualRating": review.textual_rating,
            "languageCode": review.language,
        }
    )


def claim_json(claim: Claim) -> dict[str, Any]:
    reviews = claim.search_reviews  # type: ignore[attr-defined]
    for review in reviews:
        review.claim = claim  # spare a query per review for the claim's slug
    return _compact(
        {
            "text": claim.text,
            "claimant": claim.claimant.name if claim.claimant else "",
            "claimDate": _google_datetime(claim.date_claimed) if claim.date_claimed else "",
            "claimReview": [review_json(r) for r in reviews],
        }
    )


def search_response(search: SearchParams) -> dict[str, Any]:
    """The response to `search`: under the reader search's time budget, and when that runs
    out, fewer claims or none rather than an error."""
    budget = Budget("default", BUDGET_MS)
    try:
        claims, more = search_claims(search, budget=budget)
    except SearchTimeout:
        claims, more = [], False
    finally:
        budget.close()
    data: dict[str, Any] = {"claims": [claim_json(c) for c in claims]}
    if more:
        data["nextPageToken"] = page_token(search, search.offset + search.page_size)
    return _compact(data)


# --- the view ---------------------------------------------------------------------------------


class AlwaysJSON(BaseContentNegotiation):
    """Google's API answers JSON whatever the Accept header or a `format` parameter say."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)


def google_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Any error as Google sends it: {"error": {"code", "message", "status"}}."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and "detail" in detail:
        message = str(detail["detail"])
    elif isinstance(detail, list) and detail:
        message = str(detail[0])
    else:
        message = json.dumps(detail) if not isinstance(detail, str) else detail
    code = response.status_code
    response.data = {
        "error": {"code": code, "message": message, "status": RPC_STATUS.get(code, "UNKNOWN")}
    }
    return response


GOOGLE_ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "status": {"type": "string"},
            },
            "required": ["code", "message", "status"],
        }
    },
    "required": ["error"],
}
GOOGLE_ERRORS = {
    400: "INVALID_ARGUMENT: a bad, unknown or missing parameter.",
    401: "UNAUTHENTICATED: an invalid token was sent.",
    404: "NOT_FOUND.",
    406: "INVALID_ARGUMENT: an Accept header this cannot satisfy.",
    429: "RESOURCE_EXHAUSTED: too many requests.",
}


class ClaimSearchView(APIView):
    """Search fact-checked claims, as Google's Fact Check Tools API `claims.search`."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AlwaysJSON

    def get_exception_handler(self) -> Any:
        return google_exception_handler

    @extend_schema(
        tags=["google"],
        operation_id="claims_search",
        description=(
            "Google Fact Check Tools API `claims.search`. Either `query` or "
            "`reviewPublisherSiteFilter` is required (400 INVALID_ARGUMENT without both); "
            "an empty parameter counts as absent. Errors come in Google's shape: "
            '`{"error": {"code", "message", "status"}}`.'
        ),
        parameters=[
            OpenApiParameter(
                "query",
                str,
                description=(
                    "Words that must all appear (case- and accent-insensitive), at most "
                    f"{QUERY_MAX_LENGTH} characters. Required unless "
                    "reviewPublisherSiteFilter is given."
                ),
            ),
            OpenApiParameter(
                "languageCode",
                str,
                description=(
                    'A BCP 47 language code ("en", "en-US", "sr-Latn"); its primary language '
                    'is matched ("en-US" finds "en" and "en-GB").'
                ),
            ),
            OpenApiParameter(
                "reviewPublisherSiteFilter",
                str,
                description=(
                    'A publisher\'s site or a parent domain ("example.org"). Required unless '
                    "query is given."
                ),
            ),
            OpenApiParameter(
                "maxAgeDays",
                OpenApiTypes.INT32,
                description="Only claims whose newer of claim and review date is this recent.",
            ),
            OpenApiParameter(
                "pageSize",
                OpenApiTypes.INT32,
                description=f"Default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE} are returned.",
            ),
            OpenApiParameter(
                "pageToken",
                str,
                description="The nextPageToken of the previous response, other parameters equal.",
            ),
            OpenApiParameter(
                "offset", OpenApiTypes.INT32, description="Used only without pageToken."
            ),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            **{
                code: OpenApiResponse(response=GOOGLE_ERROR, description=description)
                for code, description in GOOGLE_ERRORS.items()
            },
        },
    )
    def get(self, request: Request) -> Response:
        return Response(search_response(parse_params(request.query_params)))
