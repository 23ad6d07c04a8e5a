"""Keyset ("cursor") pagination of the public ClaimReview list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

PAGE_SIZE_INVALID = "Enter a whole number from 1 to {max}."
ORDERING_INVALID = "Unknown ordering {value!r}: use one of {allowed}."
CURSOR_INVALID = (
    "This cursor is not valid: follow the next and previous links as given, with the same ordering."
)


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
    # The module this lived in first: cursors already handed out keep working.
    signer_salt = "claims.public_api.cursor"

    def paginate_queryset(
        self, queryset: QuerySet[Any, Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        """The page of `queryset` as model instances (DRF's interface; see `paginate_rows`)."""
        return self.paginate_rows(queryset, request, fetch=list)

    def paginate_rows(
        self,
        queryset: QuerySet[Any, Any],
        request: Request,
        *,
        fetch: Callable[[QuerySet[Any, Any]], list[Any]],
    ) -> list[Any]:
        """The page of `queryset` asked for by `request`: `fetch(ordered, bounded queryset)`
        gives its items (model instances, or `values()` rows with "pk" and the sort key).

        One indexed range query at any depth: the cursor's position becomes both the keyset
        condition and a plain bound on the sort key (`date_published <= value` reading newest
        first), which an index range scan starts from, rather than a filter applied to every
        row before it.
        """
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
                Q(**{f"{field}__{beyond}": value})
                | Q(**{field: value, f"pk__{beyond}": cursor.pk}),
                **{f"{field}__{beyond}e": value},
            )
        sign = "-" if forward_desc else ""
        queryset = queryset.order_by(f"{sign}{field}", f"{sign}pk")

        rows = fetch(queryset[: self.page_size_value + 1])
        more = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, cursor is not None
        self.page = rows
        return rows

    def paginated(self, results: Any) -> dict[str, Any]:
        return {
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": results,
        }

    def get_paginated_response(self, data: Any) -> Response:
        return Response(self.paginated(data))

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

    def _link(self, item: Any, *, before: bool) -> str:
        if isinstance(item, dict):
            value, pk = item[self.key_field], item["pk"]
        else:
            value, pk = getattr(item, self.key_field), item.pk
        key = value.astimezone(datetime.UTC).isoformat()
        token = signing.dumps([key, pk, before, self.ordering], salt=self.signer_salt)
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
