"""API plumbing shared by the apps' APIs: the exception handler, the JSON 404 under /api/, and
for the editorial APIs, pagination, the model-permission check and a filter on ids.

The exception handler maps every error to the status codes of DESIGN.md: 400 with field errors
for Django's and DRF's ValidationError, 401 without credentials, 403 for a missing right
(PermissionDenied), 404 (Http404), 409 for the project's Conflict errors (stale version, action
not allowed in the current state, a row still in use).

Nothing here imports an app: `claims` and `sources` both build on it, and `sources` never
imports `claims`.
"""

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import Conflict
from core.input import KnownQueryParams, too_large

# What an integer column holds (64 bits; every id is a BigAutoField): a number outside this range
# is no id at all, and SQLite cannot even bind it as a query parameter (OverflowError).
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message, "code": exc.code}, status=409)
    return drf_exception_handler(exc, context)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body over the size limit is a 413 (JSON under /api/); other bad requests
    are JSON under /api/, the default page elsewhere."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON under /api/ (a path no API route matches), the reader's page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


class EditorialPagination(PageNumberPagination):
    """`?page=2&page_size=100`: pages of 50 by default, at most 100."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        """`page_size` from 1 to 100, else 400 naming it (DRF would quietly use 50)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [PAGE_SIZE_INVALID.format(most=self.max_page_size)]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


PAGE_SIZE_INVALID = "Enter a whole number from 1 to {most}."


def has_model_permission(
    user: User | AnonymousUser, action: str, model: type[models.Model]
) -> bool:
    """Whether `user` is signed in, active and holds Django's model permission
    `<app>.<action>_<model>` (action: view, add, change or delete), as the roles grant it."""
    opts = model._meta
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
    )


class ModelPermission(BasePermission):
    """Signed in (else 401), and for listing or creating, the role's model permission on the
    view's model (else 403). Single objects are guarded by the view's queryset (404 for what the
    caller may not see) and by the services (403 and 409)."""

    NEEDED = {"list": "view", "create": "add"}

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        queryset = getattr(view, "queryset", None)
        needed = self.NEEDED.get(getattr(view, "action", "") or "")
        if queryset is None or needed is None:
            return True
        return has_model_permission(request.user, needed, queryset.model)


@extend_schema_field(
    {"type": "integer", "format": "int64", "minimum": 1, "maximum": BIGINT_MAX},
)
class IdFilter(django_filters.NumberFilter):
    """A filter on a row id: a whole number from 1 to BIGINT_MAX, else 400 naming the filter
    (and so documented: django-filter's NumberFilter would be a "number" of any size).

    django-filter's NumberFilter takes any decimal up to 1e50 and hands it to the database as is,
    which on SQLite fails with an OverflowError (a 500) beyond 64 bits."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)

    def get_max_validator(self) -> None:
        return None  # the form field's max_value bounds it


class EditorialViewSet(
    KnownQueryParams,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Base of the editorial API's resources (claims.api, sources.api): list and retrieve with
    the output serializer, writes parsed by an input serializer and made by a service, answered
    with the output serializer. Role permissions per model, pages of EditorialPagination."""

    permission_classes = [ModelPermission]
    pagination_class = EditorialPagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def parse(self, serializer_class: type[serializers.Serializer[Any]], **kwargs: Any) -> Any:
        """The request body, validated by `serializer_class` (400 with field errors if not)."""
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def respond(self, obj: Any, status_code: int = status.HTTP_200_OK) -> Response:
        """`obj` as the output serializer renders it, read back with the list's prefetching."""
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.get_serializer(fresh).data, status=status_code)


UNKNOWN_VALUE = "Unknown value: no {thing} has it."


class KnownValueField(forms.CharField):
    """A text value that must name a row of `known()` by `lookup` (400 naming the filter if
    not). `known` is a callable, so the queryset is built per request."""

    def __init__(
        self,
        *args: Any,
        known: Callable[[], models.QuerySet[Any]],
        lookup: str = "slug",
        thing: str = "row",
        **kwargs: Any,
    ) -> None:
        self.known, self.lookup, self.thing = known, lookup, thing
        super().__init__(*args, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        # The field's own validators first (a malformed slug, a NUL byte PostgreSQL refuses):
        # only a well-formed value is looked up. clean() runs them after validate() otherwise.
        self.run_validators(value)
        if not self.known().filter(**{self.lookup: value}).exists():
            raise DjangoValidationError(UNKNOWN_VALUE.format(thing=self.thing), code="unknown")


class KnownSlugField(KnownValueField, forms.SlugField):
    """KnownValueField for a slug: a malformed one is refused before any query."""


class KnownValueFilter(django_filters.CharFilter):
    """A filter whose value must exist (KnownValueField): `?rating=nope` is a 400 naming
    `rating`, not an empty page. Pass `known`, `lookup` and `thing` as for the field."""

    field_class = KnownValueField


class KnownSlugFilter(KnownValueFilter):
    field_class = KnownSlugField


@extend_schema_field(
    {
        "oneOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}],
        "description": "An absolute URL, or an empty string when there is none.",
    }
)
class OptionalURLField(serializers.CharField):
    """Output of a URL column that may be blank: documented as a URL or "" (as it is
    returned), not as a URL alone."""
