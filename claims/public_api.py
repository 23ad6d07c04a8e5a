"""The public API: anonymous and read-only, over `Review.objects.published()` only.

- `GET /api/v1/claim-reviews/`: our published fact checks as ClaimReview, filtered
  (claims.filters), ordered and cursor-paginated: `{"next", "previous", "results"}`.
- `GET /api/v1/claim-reviews/<claim slug>/`: one ClaimReview, exactly `build_claimreview()`;
  `Accept: application/ld+json` gets that content type.
- `GET /api/v1/ratings/`: the default rating scale, with the number of published reviews per
  rating.
- `GET /api/v1/feed/`: every published review in one schema.org DataFeed, streamed.

Every response carries ETag and Last-Modified derived from `claims.cache.public_state()` and
the request (path, query, negotiated media type), answers a matching conditional GET with 304,
and is cacheable (`Cache-Control: public` for anonymous clients). Anonymous requests are
throttled by the project-wide anon rate (settings.REST_FRAMEWORK).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from claims.cache import PublicState, public_state
from claims.filters import ClaimReviewFilter
from claims.models import Rating, RatingScale, Review, ReviewQuerySet
from claims.public_serializers import ClaimReviewSerializer, RatingScaleSerializer
from publishing.datafeed import datafeed_chunks

# Seconds a client or CDN may reuse a public response without asking again. Conditional GETs
# (ETag / Last-Modified) make the revalidation after that cheap.
PUBLIC_MAX_AGE = 60

PAGE_SIZE_INVALID = "Enter a whole number from 1 to {max}."
ORDERING_INVALID = "Unknown ordering {value!r}: use one of {allowed}."
CURSOR_INVALID = (
    "This cursor is not valid: follow the next and previous links as given, with the same ordering."
)


class JSONLDRenderer(JSONRenderer):
    """JSON-LD for clients that ask for it (`Accept: application/ld+json`, `?format=jsonld`)."""

    media_type = "application/ld+json"
    format = "jsonld"


# --- conditional GET --------------------------------------------------------------------------


class PublicView(APIView):
    """Anonymous, read-only, cacheable: validators from the public state, 304 when unchanged.

    Handlers call `not_modified()` first; `finalize_response()` stamps ETag, Last-Modified,
    Cache-Control and Vary on what they return.
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
        headers = HttpResponse()
        self._stamp(request, headers, etag, last_modified)
        response = get_conditional_response(
            request,
            etag=etag,
            last_modified=int(last_modified.timestamp()),
            response=headers,
        )
        # Django hands back the response it was given when no precondition decides.
        return None if response is headers else response

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
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
        if request.user.is_authenticated:
            # The browsable API page carries the user's CSRF token: never in a shared cache.
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ["Accept"])


# --- pagination -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A position in the list: the sort key and id of an item, and which way to read."""

    key: str
    pk: int
    before: bool  # True: the page ends just before this item (a "previous" link)
    ordering: str


class ClaimReviewCursorPagination(BasePagination):
    """Keyset ("cursor") pagination over (sort key, id).

    Each page is one indexed range query, whatever its depth; no COUNT. Links stay valid while
    reviews are published: a page starts after the last item seen, not at an offset. Cursors
    are signed, so a tampered one is a 400 rather than a query on unchecked input.
    """

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    ordering_query_param = "ordering"
    default_ordering = "-published"
    # ordering name -> a non-null sort key: a field (which an index can serve: see
    # Review.Meta.indexes) or an expression. The id breaks ties.
    orderings: dict[str, str | Any] = {
        "published": "date_published",
        "modified": Coalesce("date_modified", "date_published"),
    }
    signer_salt = "claims.public_api.cursor"

    def paginate_queryset(
        self, queryset: QuerySet[Any, Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        self.request = request
        self.page_size_value = self._page_size(request)
        self.ordering = self._ordering(request)
        cursor = self._cursor(request)
        descending = self.ordering.startswith("-")
        key = self.orderings[self.ordering.lstrip("-")]
        if isinstance(key, str):
            self.key_field = key
        else:
            self.key_field = "_cursor_key"
            queryset = queryset.annotate(_cursor_key=key)

        # Reading backwards (a "previous" link) is reading forwards in the reverse order.
        backwards = cursor is not None and cursor.before
        forward_desc = descending != backwards
        field = self.key_field
        if cursor is not None:
            value = datetime.datetime.fromisoformat(cursor.key)
            beyond = "lt" if forward_desc else "gt"
            queryset = queryset.filter(
                Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"pk__{beyond}": cursor.pk})
            )
        sign = "-" if forward_desc else ""
        queryset = queryset.order_by(f"{sign}{field}", f"{sign}pk")

        rows = list(queryset[: self.page_size_value + 1])
        more = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, cursor is not None
        self.page = rows
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self._link(self.page[-1], before=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.page:
            return None
        return self._link(self.page[0], before=True)

    def _link(self, review: Any, *, before: bool) -> str:
        key = getattr(review, self.key_field).astimezone(datetime.UTC).isoformat()
        token = signing.dumps([key, review.pk, before, self.ordering], salt=self.signer_salt)
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, token)

    # --- parsing the request ---

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [PAGE_SIZE_INVALID.format(max=self.max_page_size)]}
            )
        return value

    def allowed_orderings(self) -> list[str]:
        return [f"{sign}{name}" for name in self.orderings for sign in ("-", "")]

    def _ordering(self, request: Request) -> str:
        value = request.query_params.get(self.ordering_query_param) or self.default_ordering
        if value not in self.allowed_orderings():
            allowed = ", ".join(self.allowed_orderings())
            raise ValidationError(
                {self.ordering_query_param: [ORDERING_INVALID.format(value=value, allowed=allowed)]}
            )
        return value

    def _cursor(self, request: Request) -> Cursor | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            key, pk, before, ordering = signing.loads(raw, salt=self.signer_salt)
            aware = datetime.datetime.fromisoformat(key).tzinfo is not None
            cursor = Cursor(key=str(key), pk=int(pk), before=bool(before), ordering=str(ordering))
        except (signing.BadSignature, ValueError, TypeError):
            raise ValidationError({self.cursor_query_param: [CURSOR_INVALID]}) from None
        if not aware or not 0 < cursor.pk < 2**63 or cursor.ordering != self.ordering:
            raise ValidationError({self.cursor_query_param: [CURSOR_INVALID]})
        return cursor

    # --- OpenAPI ---

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Position from a next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.ordering_query_param,
                "required": False,
                "in": "query",
                "description": "Sort order: by first publication or by latest change "
                f"(default {self.default_ordering}).",
                "schema": {"type": "string", "enum": self.allowed_orderings()},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }


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


@extend_schema(tags=["public"])
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


@extend_schema(tags=["public"], responses={(200, "application/ld+json"): OpenApiTypes.OBJECT})
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
        reviews = Review.objects.published().for_claimreview().order_by("-date_published", "-id")
        media_type = request.accepted_renderer.media_type
        return StreamingHttpResponse(
            _encode(datafeed_chunks(reviews, modified=self._state.last_modified)),
            content_type=f"{media_type}; charset=utf-8",
        )


def _encode(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode()
