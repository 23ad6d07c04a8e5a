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
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.http import HttpResponseBase, StreamingHttpResponse
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

from claims.models import Rating, RatingScale, Review, ReviewQuerySet
from claims.public_state import public_state
from core.http import PublicState, conditional_response, stamp
from core.input import KnownQueryParams
from publishing.datafeed import datafeed_chunks
from publishing.filters import ClaimReviewFilter
from publishing.pagination import ClaimReviewCursorPagination
from publishing.serializers import ClaimReviewSerializer, RatingScaleSerializer

# Seconds a client or CDN may reuse a public response without asking again. Conditional GETs
# (ETag / Last-Modified) make the revalidation after that cheap.
PUBLIC_MAX_AGE = 60


class JSONLDRenderer(JSONRenderer):
    """JSON-LD for clients that ask for it (`Accept: application/ld+json`, `?format=jsonld`)."""

    media_type = "application/ld+json"
    format = "jsonld"


# --- conditional GET --------------------------------------------------------------------------


class PublicView(KnownQueryParams, APIView):
    """Anonymous, read-only, cacheable: validators from the public state, 304 when unchanged.

    A query parameter the view does not take, or an empty one, is a 400 naming it
    (core.input.KnownQueryParams). Handlers call `not_modified()` first;
    `finalize_response()` stamps ETag, Last-Modified, Cache-Control and Vary on what they
    return.
    """

    permission_classes = [AllowAny]
    _state: PublicState | None = None

    def validators(self, request: Request) -> tuple[str, datetime.datetime]:
        """(ETag, Last-Modified) of the response to `request`, from one public_state() call."""
        if self._state is None:
            self._state = public_state()
        media_type = getattr(request, "accepted_media_type", "") or ""
        key = f"{self._state.etag}|{request.get_full_path()}|{media_type}"
        etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
        return etag, self._state.last_modified

    def not_modified(self, request: Request) -> HttpResponseBase | None:
        etag, last_modified = self.validators(request)
        response = conditional_response(request, etag=etag, last_modified=last_modified)
        if response is not None and response.status_code == 304:
            self._stamp(request, response, etag, last_modified)
        return response

    def finalize_response(  # type: ignore[override]  # a StreamingHttpResponse or a 304 too
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            etag, last_modified = self.validators(request)
            self._stamp(request, response, etag, last_modified)
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
        return Review.objects.published().for_claimreview()

    def get(  # type: ignore[override]  # a 304 is not a DRF Response
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        return self.not_modified(request) or super().get(request, *args, **kwargs)


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
    renderer_classes = [JSONRenderer, JSONLDRenderer, BrowsableAPIRenderer]
    lookup_field = "claim__slug"
    lookup_url_kwarg = "slug"

    def get_queryset(self) -> ReviewQuerySet:
        return Review.objects.published().for_claimreview()

    def get(  # type: ignore[override]  # a 304 is not a DRF Response
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        return self.not_modified(request) or super().get(request, *args, **kwargs)


@extend_schema(tags=["public"], responses=RatingScaleSerializer)
class RatingScaleView(PublicView):
    """The rating scale: what each verdict means, and how many published reviews carry it."""

    def get(self, request: Request) -> HttpResponseBase:
        if response := self.not_modified(request):
            return response
        scale = get_object_or_404(RatingScale, is_default=True)
        ratings = (
            Rating.objects.filter(scale=scale)
            .annotate(
                published_reviews=Count(
                    "reviews", filter=Q(reviews__pk__in=Review.objects.published().values("pk"))
                )
            )
            .order_by("order", "id")
        )
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

    renderer_classes = [JSONRenderer, JSONLDRenderer]

    @extend_schema(parameters=[OpenApiParameter("format", enum=["json", "jsonld"])])
    def get(self, request: Request) -> HttpResponseBase:
        if response := self.not_modified(request):
            return response
        assert self._state is not None  # set by not_modified()
        reviews = Review.objects.published().for_claimreview().newest_first()
        media_type = request.accepted_renderer.media_type
        return StreamingHttpResponse(
            _encode(datafeed_chunks(reviews, modified=self._state.last_modified)),
            content_type=f"{media_type}; charset=utf-8",
        )


def _encode(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode()
