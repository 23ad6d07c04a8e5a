"""Matching's editorial API (DESIGN.md section 6), wired in factcheck/api_urls.py:

- `GET /api/v1/claims/similar/?text=...&url=...&language=...&limit=...`: likely duplicates
  and prior checks (matching.services.similar_claims). Staff only: it shows claims in every
  state, so it needs the role's right to view claims (401 without credentials, 403 without it).
- `GET/POST/DELETE /api/v1/claims/<id>/relations/`: the links an editor confirmed from a claim
  to a prior check (`prior_check`: an imported review's id) or another claim (`claim`), kind
  `same` or `related`. POST and DELETE need the right to change claims.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import Claim, Review
from core.api import has_model_permission
from core.input import KnownQueryParams
from matching.models import ClaimRelation
from matching.serializers import (
    MatchSerializer,
    RelationDeleteSerializer,
    RelationInputSerializer,
    RelationOutputSerializer,
    SimilarQuerySerializer,
    SimilarResponseSerializer,
)
from matching.services import relation_create, relation_delete, similar_claims

NO_RIGHT = "Your role does not allow you to see the newsroom's claims."


class MaySeeClaims(BasePermission):
    """The role's right to view the newsroom's claims (403 without it; 401 signed out)."""

    message = NO_RIGHT

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_model_permission(request.user, "view", Claim)


class SimilarClaimsView(KnownQueryParams, APIView):
    # An empty or unknown parameter is a 400 naming it (core.input), checked after the
    # permissions: DRF alone would take `?language=` for no language.
    permission_classes = [IsAuthenticated, MaySeeClaims]
    extra_query_params = tuple(SimilarQuerySerializer().fields)

    @extend_schema(
        parameters=[SimilarQuerySerializer],
        responses={
            200: SimilarResponseSerializer,
            400: OpenApiResponse(description="Field errors: {field: [message]}."),
        },
        description=(
            "Our claims (any state) and imported prior checks most likely to be the claim "
            "`text`, best first: `score` in 0..1 (calibrated: the probability that it is the same "
            "claim) and `reasons` (same_text, same_url, words, meaning)."
        ),
    )
    def get(self, request: Request) -> Response:
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        matches = similar_claims(
            text=data["text"],
            url=data.get("url"),
            claimant=data.get("claimant"),
            language=data.get("language"),
            limit=data["limit"],
            exclude_claim=data.get("exclude"),
        )
        results = MatchSerializer(matches, many=True).data  # type: ignore[arg-type]
        return Response({"results": results})


class ClaimRelationsView(APIView):
    def _claim(self, request: Request, pk: int) -> Claim:
        if not has_model_permission(request.user, "view", Claim):
            # As for the claims themselves: what one may not see does not exist.
            raise_not_found()
        return get_object_or_404(Claim, pk=pk)

    def _targets(self, data: dict[str, Any]) -> dict[str, Any]:
        if "prior_check" in data:
            return {"prior_check": get_object_or_404(Review, pk=data["prior_check"])}
        return {"related_claim": get_object_or_404(Claim, pk=data["claim"])}

    @extend_schema(responses=RelationOutputSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        claim = self._claim(request, pk)
        relations = ClaimRelation.objects.filter(claim=claim).select_related("created_by")
        return Response(RelationOutputSerializer(relations, many=True).data)

    @extend_schema(request=RelationInputSerializer, responses={201: RelationOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        claim = self._claim(request, pk)
        parsed = RelationInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        relation = relation_create(
            claim=claim,
            by=request.user,
            kind=parsed.validated_data["kind"],
            **self._targets(parsed.validated_data),
        )
        return Response(RelationOutputSerializer(relation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RelationDeleteSerializer,
        responses={204: None, 404: OpenApiResponse(description="No such link.")},
    )
    def delete(self, request: Request, pk: int) -> Response:
        claim = self._claim(request, pk)
        # The target may come in the body or the query string (some clients send no DELETE body).
        parsed = RelationDeleteSerializer(data=request.data or request.query_params)
        parsed.is_valid(raise_exception=True)
        deleted = relation_delete(
            claim=claim, by=request.user, **self._targets(parsed.validated_data)
        )
        if not deleted:
            raise_not_found()
        return Response(status=status.HTTP_204_NO_CONTENT)


def raise_not_found() -> Any:
    raise Http404
