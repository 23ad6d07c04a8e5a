"""`POST /api/v1/imports/` and `GET /api/v1/imports/<run>/` (DESIGN.md section 6).

The body is the document itself; its Content-Type says how to read it: JSON
(`application/json`, `application/ld+json`: a ClaimReview, a list, JSON-LD with @graph, a
DataFeed, a Fact Check Tools response), NDJSON (`application/x-ndjson`, `application/jsonl`),
or HTML (`text/html`, `application/xhtml+xml`) with `?url=` the page's address. The body is
streamed into the service (imports.services.import_document), never read whole: a
Content-Length over FACTCHECK_IMPORT_MAX_BYTES is answered 413 before anything is read, and a
body that turns out longer is cut off there, also with a 413. `?dry_run=1` reports without
writing; `?as_ours=1` imports our own archive (publishers only).

Answers 201 with the report `{"run", "status", "error", "counts", "records": [{index, url,
status, reason, review}]}`; a document that cannot be read at all is a 400 with the reason under
`document` (and the run, which keeps the records read before the error). Editors and publishers
only (403 for others, 401 without credentials).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import BaseParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from imports.formats import TooLarge
from imports.models import ImportRun, ImportRunStatus
from imports.services import IMPORT_NEEDS_EDITOR, can_import, import_document, run_report

JSON_TYPES = {"application/json", "application/ld+json"}
NDJSON_TYPES = {
    "application/x-ndjson",
    "application/jsonl",
    "application/json-seq",
    "application/jsonlines",
    "application/x-jsonlines",
}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
UNSUPPORTED_TYPE = (
    "Send the document with Content-Type application/json, application/ld+json, "
    "application/x-ndjson or text/html (with ?url=the page's address); got {found!r}."
)
TOO_LARGE = (
    "The document is larger than {limit} bytes: split it, or use manage.py import_claimreviews."
)


class _AnyBody(BaseParser):
    """Lets DRF accept every Content-Type; the view reads the body itself, as a stream."""

    media_type = "*/*"


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true", "yes"}


class _DocumentBodySchema(AutoSchema):
    """The body is the document, so it is required: drf-spectacular marks a body given as a
    raw schema optional."""

    def _get_request_body(self, direction: str = "request") -> Any:
        body = super()._get_request_body(direction)
        if body is not None:
            body["required"] = True
        return body


# The view's own refusals of the document (413, 415) name it, as field errors do.
DOCUMENT_ERROR = inline_serializer(
    "DocumentError", {"document": serializers.ListField(child=serializers.CharField())}
)


class ImportView(APIView):
    """Import a ClaimReview document; the per-record report."""

    permission_classes = [IsAuthenticated]
    schema = _DocumentBodySchema()
    parser_classes = [_AnyBody]
    # Bigger than the API's usual body limit (core.middleware.RequestLimitsMiddleware); post()
    # answers a bigger one 413 itself, before reading it.
    max_body_bytes = staticmethod(lambda: settings.FACTCHECK_IMPORT_MAX_BYTES)

    @extend_schema(
        tags=["editorial"],
        operation_id="imports_create",
        parameters=[
            OpenApiParameter("url", str, description="HTML: the page's address."),
            OpenApiParameter("dry_run", bool),
            OpenApiParameter("as_ours", bool, description="Our archive (publishers)."),
        ],
        # Any JSON is read (a ClaimReview, a list, JSON-LD with @graph, a DataFeed, a Fact
        # Check Tools response); one that holds no ClaimReview is a 400 naming `document`.
        request={
            "application/json": {"description": "A JSON document holding ClaimReviews."},
            "text/html": OpenApiTypes.STR,
        },
        responses={
            201: OpenApiTypes.OBJECT,
            413: OpenApiResponse(DOCUMENT_ERROR, description="The document is too large."),
            415: OpenApiResponse(
                DOCUMENT_ERROR, description="A Content-Type that is not a document's."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        as_ours = _flag(request, "as_ours")
        if not can_import(request.user, as_ours=as_ours):
            raise PermissionDenied(IMPORT_NEEDS_EDITOR)
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type in HTML_TYPES:
            format = "html"
        elif content_type in JSON_TYPES | NDJSON_TYPES:
            format = "json"
        else:
            return Response(
                {"document": [UNSUPPORTED_TYPE.format(found=content_type[:100])]},
                status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            )
        limit = settings.FACTCHECK_IMPORT_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return _too_large(limit)
        try:
            run = import_document(
                stream=request._request,  # the WSGI body as a stream, read as it is parsed
                source="api",
                by=request.user,  # type: ignore[arg-type]
                format=format,
                base_url=request.query_params.get("url", "")[:2000],
                as_ours=as_ours,
                dry_run=_flag(request, "dry_run"),
                limit=limit,
            )
        except TooLarge:
            return _too_large(limit)
        report = run_report(run)
        if run.status == ImportRunStatus.FAILED:
            if run.error.startswith("The document is larger"):
                return _too_large(limit)
            return Response({**report, "document": [run.error]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(report, status=status.HTTP_201_CREATED)


def _too_large(limit: int) -> Response:
    return Response(
        {"document": [TOO_LARGE.format(limit=limit)]},
        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


class ImportRunView(APIView):
    """An import run's report, again."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["editorial"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, run: int) -> Response:
        if not can_import(request.user):
            if not request.user.is_authenticated:
                raise NotAuthenticated
            raise PermissionDenied(IMPORT_NEEDS_EDITOR)
        found: Any = get_object_or_404(ImportRun, pk=run)
        return Response(run_report(found))
