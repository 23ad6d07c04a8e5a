"""The public API: anonymous and read-only, over `Review.objects.published()` only.

- `GET /api/v1/claim-reviews/`: our published fact checks as ClaimReview, filtered
  (publishing.filters), ordered and cursor-paginated: `{"next", "previous", "results"}`.
- `GET /api/v1/claim-reviews/<claim slug>/`: one ClaimReview, exactly `build_claimreview()`;
  `Accept: application/ld+json` gets that content type.
- `GET /api/v1/ratings/`: the default rating scale, with the number of published reviews per
  rating.
- `GET /api/v1/feed/`: every published review in one schema.org DataFeed, streamed.

Every response carries ETag and Last-Modified derived from `claims.public_state.public_state()` and
the request (path, query, negotiated media type), answers a matching conditional GET with 304,
and is cacheable (`Cache-Control: public` for anonymous clients). Anonymous requests are
throttled by the project-wide anon rate (settings.REST_FRAMEWORK).
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import orjson
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.claimreview.rows import claimreview_page, claimreviews, published_claimreview
from claims.models import Rating, RatingScale, Review, ReviewQuerySet
from claims.public_state import public_state
from core.cache import cache_get, cache_set
from core.http import PublicState, conditional_response, stamp
from core.input import KnownQueryParams
from matching.search import BUDGET_MS, Budget, SearchTimeout
from publishing.datafeed import datafeed_chunks
from publishing.filters import ClaimReviewFilter
from publishing.pagination import ClaimReviewCursorPagination
from publishing.serializers import ClaimReviewSerializer, RatingScaleSerializer

# Seconds a client or CDN may reuse a public response without asking again. Conditional GETs
# (ETag / Last-Modified) make the revalidation after that cheap.
PUBLIC_MAX_AGE = 60


class FastJSONRenderer(JSONRenderer):
    """DRF's JSONRenderer, byte for byte, encoded by orjson in one pass (compact output; any
    `indent` asked for in the Accept header goes to DRF's own encoder)."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        if data is None or self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        # DRF escapes these two so the JSON is also valid JavaScript; orjson does not.
        return (
            orjson.dumps(data)
            .replace(b"\xe2\x80\xa8", b"\\u2028")
            .replace(b"\xe2\x80\xa9", b"\\u2029")
        )


class JSONLDRenderer(FastJSONRenderer):
    """JSON-LD for clients that ask for it (`Accept: application/ld+json`, `?format=jsonld`)."""

    media_type = "application/ld+json"
    format = "jsonld"


# --- conditional GET and the response cache ---------------------------------------------------

# Encoded responses live in the shared cache until the public data changes (the key changes).
RESPONSE_CACHE_SECONDS = 60 * 60


class PublicView(KnownQueryParams, APIView):
    """Anonymous, read-only, cacheable: validators from the public state, 304 when unchanged,
    and the encoded JSON kept in the shared cache under its ETag.

    A query parameter the view does not take, or an empty one, is a 400 naming it
    (core.input.KnownQueryParams). Handlers call `not_modified()` first, then `cached()`;
    `finalize_response()` stamps ETag, Last-Modified, Cache-Control and Vary on what they
    return and keeps a fresh 200 JSON body in the cache. The throttle, authentication and
    content negotiation run as for any DRF view (in `initial()`), before either.
    """

    permission_classes = [AllowAny]
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]
    _state: PublicState | None = None
    _validators: tuple[str, datetime.datetime] | None = None

    def validators(self, request: Request) -> tuple[str, datetime.datetime]:
        """(ETag, Last-Modified) of the response to `request`, from one public_state() call."""
        if self._validators is None:
            if self._state is None:
                self._state = public_state()
            media_type = getattr(request, "accepted_media_type", "") or ""
            key = f"{self._state.etag}|{request.get_full_path()}|{media_type}"
            etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
            self._validators = etag, self._state.last_modified
        return self._validators

    def not_modified(self, request: Request) -> HttpResponseBase | None:
        etag, last_modified = self.validators(request)
        response = conditional_response(request, etag=etag, last_modified=last_modified)
        if response is not None and response.status_code == 304:
            self._stamp(request, response, etag, last_modified)
        return response

    def _cache_key(self, request: Request) -> str | None:
        """Only the JSON renderings are kept (the browsable page carries a CSRF token)."""
        if not isinstance(getattr(request, "accepted_renderer", None), FastJSONRenderer):
            return None
        return "api:" + self.validators(request)[0]

    def cached(self, request: Request) -> HttpResponseBase | None:
        """The response kept for this ETag, if any: one cache read."""
        key = self._cache_key(request)
        entry = cache_get(key) if key else None
        if entry is None:
            return None
        content, content_type = entry
        response = HttpResponse(content, content_type=content_type)
        response.from_cache = True  # type: ignore[attr-defined]
        return response

    def finalize_response(  # type: ignore[override]  # a StreamingHttpResponse or a 304 too
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "uncacheable", False):
            response["Cache-Control"] = "no-store"
        # Only a GET's answer is the resource (its validators and cache key do not name the
        # method): an OPTIONS 200 is DRF's metadata, and kept it would answer the next GETs.
        elif response.status_code == 200 and request.method in ("GET", "HEAD"):
            etag, last_modified = self.validators(request)
            self._stamp(request, response, etag, last_modified)
            key = self._cache_key(request)
            if key and isinstance(response, Response) and not getattr(response, "exception", 0):
                response.render()
                cache_set(key, (response.content, response["Content-Type"]), RESPONSE_CACHE_SECONDS)
        return response

    @staticmethod
    def _stamp(
        request: Request, response: HttpResponseBase, etag: str, last_modified: datetime.datetime
    ) -> None:
        # The browsable API page carries a signed-in user's CSRF token: never in a shared cache.
        private = request.user.is_authenticated
        stamp(
            response,
            etag=etag,
            last_modified=last_modified,
            max_age=PUBLIC_MAX_AGE,
            private=private,
            vary=["Accept"],
        )


# --- views ------------------------------------------------------------------------------------


@extend_schema(tags=["public"])
class ClaimReviewListView(PublicView, generics.ListAPIView):
    """Our published fact checks, newest first, each a schema.org ClaimReview."""

    serializer_class = ClaimReviewSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimReviewFilter
    pagination_class = ClaimReviewCursorPagination

    def get_queryset(self) -> ReviewQuerySet:
        return Review.objects.published()

    def get(  # type: ignore[override]  # a 304 is not a DRF Response
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        # Queries (claims.claimreview.rows.claimreview_page): on PostgreSQL the page's ids,
        # then their rows with everything the JSON-LD needs nested; elsewhere the page's rows,
        # the claims' appearances, the reviews' corrections. With `q`, first the count of its
        # first matches (matching.search.matches_to_list). (A comment: drf-spectacular would
        # publish a docstring here as the operation's description.)
        if response := self.not_modified(request) or self.cached(request):
            return response
        if not request.query_params.get("q"):
            return self._page(request)
        # A search runs under the reader search's time budget (each query with its timeout
        # and sequential scans priced out, as the reader's); out of time, an empty page.
        budget = Budget("default", BUDGET_MS)
        try:
            with budget.step():
                return self._page(request)
        except SearchTimeout:
            # Not the whole answer: no validators (a later 304 would confirm it), no caching.
            response = Response({"next": None, "previous": None, "results": []})
            response.uncacheable = True  # type: ignore[attr-defined]
            return response
        finally:
            budget.close()

    def _page(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        paginator = self.paginator
        assert isinstance(paginator, ClaimReviewCursorPagination)
        rows = paginator.paginate_rows(queryset, request, fetch=self._fetch)
        return Response(paginator.paginated(claimreviews(rows)))

    def _fetch(self, queryset: QuerySet[Review]) -> list[Any]:
        assert isinstance(self.paginator, ClaimReviewCursorPagination)
        return claimreview_page(queryset, self.paginator.key_field)


@extend_schema(
    tags=["public"],
    responses={
        (200, "application/json"): ClaimReviewSerializer,
        (200, "application/ld+json"): ClaimReviewSerializer,
    },
)
class ClaimReviewDetailView(PublicView, generics.RetrieveAPIView):
    """One published fact check, by its claim's slug: the ClaimReview of its claim page."""

    serializer_class = ClaimReviewSerializer
    renderer_classes = [FastJSONRenderer, JSONLDRenderer, BrowsableAPIRenderer]
    lookup_field = "claim__slug"
    lookup_url_kwarg = "slug"

    def get_queryset(self) -> ReviewQuerySet:
        return Review.objects.published()

    def get(  # type: ignore[override]  # a 304 is not a DRF Response
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        # Queries: the review with claim, claimant and rating joined and its corrections (one
        # row each); its claim's appearances.
        if response := self.not_modified(request) or self.cached(request):
            return response
        data = published_claimreview(kwargs["slug"])
        if data is None:
            raise Http404("No Review matches the given query.")
        return Response(data)


def published_per_rating(state: PublicState) -> dict[int, int]:
    """How many published reviews carry each rating (rating id: count), for the public state
    `state`: one grouped query (an index-only scan of review_public_list, about 0.2 s at a
    million reviews), then kept in the shared cache until the public state changes, so every
    rendering of the scale (each URL, media type, page) shares it."""
    key = f"rating-counts:{state.etag}"
    counts: dict[int, int] | None = cache_get(key)
    if counts is None:
        counts = dict(
            Review.objects.published()
            .order_by()
            .values_list("rating_id")
            .annotate(n=Count("id"))
            .values_list("rating_id", "n")
        )
        cache_set(key, counts, RESPONSE_CACHE_SECONDS)
    return counts


@extend_schema(tags=["public"], responses=RatingScaleSerializer)
class RatingScaleView(PublicView):
    """The rating scale: what each verdict means, and how many published reviews carry it."""

    def get(self, request: Request) -> HttpResponseBase:
        # Queries: the default scale; its ratings; the published reviews counted per rating in
        # one grouped query (the answer is then kept in the cache until the public state
        # changes).
        if response := self.not_modified(request) or self.cached(request):
            return response
        scale = get_object_or_404(RatingScale, is_default=True)
        assert self._state is not None  # read by not_modified()
        counts = published_per_rating(self._state)
        ratings = list(Rating.objects.filter(scale=scale).order_by("order", "id"))
        for rating in ratings:
            rating.published_reviews = counts.get(rating.pk, 0)  # type: ignore[attr-defined]
        return Response(RatingScaleSerializer({"scale": scale, "ratings": ratings}).data)


@extend_schema(
    tags=["public"],
    responses={
        (200, "application/json"): OpenApiTypes.OBJECT,
        (200, "application/ld+json"): OpenApiTypes.OBJECT,
    },
)
class DataFeedView(PublicView):
    """Every published fact check in one schema.org DataFeed of DataFeedItems, streamed.

    The document is written item by item from a chunked database iterator, so memory stays
    flat however many reviews there are (`make bench` measures it).
    """

    # The rows come through one server-side cursor (claims.claimreview.rows), and a million
    # reviews stream well within the worker timeout (gunicorn.conf.py); `make bench` measures
    # both. The feed goes out with chunked transfer encoding: one cut off mid-way lacks the
    # terminating chunk (HTTP clients report the transfer incomplete) and is not valid JSON,
    # so a client can always tell a complete feed.

    renderer_classes = [FastJSONRenderer, JSONLDRenderer]

    @extend_schema(parameters=[OpenApiParameter("format", enum=["json", "jsonld"])])
    def get(self, request: Request) -> HttpResponseBase:
        if response := self.not_modified(request):
            return response
        assert self._state is not None  # set by not_modified()
        reviews = Review.objects.published().newest_first()
        media_type = request.accepted_renderer.media_type
        return StreamingHttpResponse(
            datafeed_chunks(reviews, modified=self._state.last_modified),
            content_type=f"{media_type}; charset=utf-8",
        )
