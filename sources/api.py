"""The editorial API for sources: /api/v1/sources/.

Same contract as the rest of the editorial API (claims.api), on the same plumbing
(core.api): 401 without credentials, 403 for a role without the right, 404 for a user who
may not see sources at all, 400 with field errors, 409 when deleting a source that reviews
cite. Who may do what is the role's model permission (view/add/change/delete_source), as
granted by the roles migration; `sources` does not know about claims.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import EditorialViewSet, has_model_permission
from sources import services
from sources.models import Source
from sources.serializers import (
    SourceInputSerializer,
    SourceOutputSerializer,
    SourceUpdateSerializer,
)


@extend_schema_view(
    create=extend_schema(request=SourceInputSerializer, responses={201: SourceOutputSerializer}),
    partial_update=extend_schema(request=SourceUpdateSerializer),
    destroy=extend_schema(
        responses={204: None, 409: OpenApiResponse(description="Reviews cite this source.")}
    ),
)
class SourceViewSet(EditorialViewSet):
    """The documents reviews rely on; one per normalised URL."""

    queryset = Source.objects.all()
    serializer_class = SourceOutputSerializer

    def get_queryset(self) -> QuerySet[Source]:
        if not has_model_permission(self.request.user, "view", Source):
            return Source.objects.none()
        return Source.objects.order_by("title", "id")

    def create(self, request: Request) -> Response:
        source = services.source_create(by=request.user, **self.parse(SourceInputSerializer))
        return self.respond(source, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        source = self.get_object()
        changes = self.parse(SourceUpdateSerializer)
        version = changes.pop("version")
        source = services.source_update(
            source=source, by=request.user, changes=changes, version=version
        )
        return self.respond(source)

    def destroy(self, request: Request, pk: str) -> Response:
        services.source_delete(source=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
