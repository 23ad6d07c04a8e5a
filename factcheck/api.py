"""API plumbing: one exception handler mapping every error to the status codes of DESIGN.md.

400 with field errors for Django's and DRF's ValidationError, 401 without credentials, 403 for a
missing right (PermissionDenied), 404 (Http404), 409 for the project's Conflict errors (stale
version, action not allowed in the current state).
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from claims.exceptions import Conflict


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message, "code": exc.code}, status=409)
    return drf_exception_handler(exc, context)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON under /api/ (a path no API route matches), the reader's page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
