"""The editorial API (DESIGN.md section 6): claimants, claims and reviews, and the workflow.

Authenticated by token (`Authorization: Token <key>`) or session. Every view parses its input
with an input serializer, makes one call (a service for writes, a queryset for reads) and
renders with an output serializer; the rules and their errors come from claims.permissions and
claims.services and reach the client through core.api.exception_handler:

- 401 without credentials; 403 for a signed-in user whose role lacks the right;
- 404 for an object the caller may not see at all (a user in no newsroom role sees nothing
  here, not even whether a draft exists);
- 400 with field messages for bad input; 409 for a stale `version` or an action the review's
  state does not allow now.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.serializers import (
    ClaimantInputSerializer,
    ClaimantOutputSerializer,
    ClaimantUpdateSerializer,
    ClaimCreateSerializer,
    ClaimOutputSerializer,
    ClaimReviewPreviewSerializer,
    ClaimUpdateSerializer,
    CorrectInputSerializer,
    HistorySerializer,
    ReviewCreateSerializer,
    ReviewOutputSerializer,
    ReviewUpdateSerializer,
    RevisionOutputSerializer,
    RevisionUpdateSerializer,
    action_input_serializer,
)
from claims.audit import review_field_history
from claims.claimreview import review_claimreview
from claims.models import (
    Claim,
    Claimant,
    Evidence,
    Rating,
    Review,
    ReviewStatus,
    Revision,
    RevisionEvidence,
    RevisionStatus,
)
from claims.permissions import (
    awaiting_publication_by,
    awaiting_review_by,
    may_see_unpublished,
    visible_reviews,
    written_by,
)
from claims.services.claimants import claimant_create, claimant_delete, claimant_update
from claims.services.claims import claim_create, claim_delete, claim_update
from claims.services.reviews import review_act, review_create, review_delete, review_update
from claims.services.revisions import CLAIM_FIELDS_OF_REVISION, revision_act, revision_update
from claims.workflow import BUTTONS, REVISION_BUTTONS, RULES, Action, Rule
from core.api import (
    EditorialViewSet,
    IdFilter,
    KnownSlugFilter,
    KnownValueFilter,
    has_model_permission,
)

# --- claimants --------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=ClaimantInputSerializer),
    partial_update=extend_schema(request=ClaimantUpdateSerializer),
)
class ClaimantViewSet(EditorialViewSet):
    """Who made the claims."""

    queryset = Claimant.objects.all()
    serializer_class = ClaimantOutputSerializer

    def get_queryset(self) -> QuerySet[Claimant]:
        if not has_model_permission(self.request.user, "view", Claimant):
            return Claimant.objects.none()
        return Claimant.objects.order_by("name", "id")

    def create(self, request: Request) -> Response:
        data = self.parse(ClaimantInputSerializer)
        claimant = claimant_create(by=request.user, **data)
        return self.respond(claimant, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        claimant = self.get_object()
        data = self.parse(ClaimantUpdateSerializer)
        version = data.pop("version")
        claimant = claimant_update(
            claimant=claimant, by=request.user, changes=data, version=version
        )
        return self.respond(claimant)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        claimant_delete(claimant=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- claims -------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=ClaimCreateSerializer),
    partial_update=extend_schema(
        request=ClaimUpdateSerializer,
        responses={
            200: ClaimOutputSerializer,
            400: OpenApiResponse(description="Field errors: {field: [message]}."),
            403: OpenApiResponse(description="Your role does not allow you to edit claims."),
            404: OpenApiResponse(description="No such claim, or not one you may see."),
            409: OpenApiResponse(description="The claim's fact check is published."),
        },
        description=(
            "Edit a claim; `topics` and `appearances`, when sent, replace the lists. While the "
            "claim has a published review of ours (scheduled included) its fields and "
            "appearances change only through POST /api/v1/reviews/<id>/correct/ (409 here); "
            "its topics stay editable. The slug never changes here."
        ),
    ),
)
class ClaimViewSet(EditorialViewSet):
    """Claims as made: text, claimant, date, venue, topics (slugs) and appearances."""

    queryset = Claim.objects.all()
    serializer_class = ClaimOutputSerializer

    def get_queryset(self) -> QuerySet[Claim]:
        if not has_model_permission(self.request.user, "view", Claim):
            return Claim.objects.none()
        return Claim.objects.prefetch_related("topics", "appearances").order_by("-id")

    def create(self, request: Request) -> Response:
        data = self.parse(ClaimCreateSerializer)
        claim = claim_create(by=request.user, **data)
        return self.respond(claim, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        data = self.parse(ClaimUpdateSerializer)
        version, topics = data.pop("version"), data.pop("topics", None)
        appearances = data.pop("appearances", None)
        claim = claim_update(
            claim=claim,
            by=request.user,
            changes=data,
            topics=topics,
            appearances=appearances,
            version=version,
        )
        return self.respond(claim)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        claim_delete(claim=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- reviews ------------------------------------------------------------------------------------


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)
    claim = IdFilter(field_name="claim_id")
    rating = KnownSlugFilter(
        field_name="rating__slug", max_length=100, known=Rating.objects.all, thing="rating"
    )
    author = KnownValueFilter(
        field_name="authors__username",
        max_length=150,
        known=User.objects.all,
        lookup="username",
        thing="user",
    )
    todo = django_filters.ChoiceFilter(
        choices=[
            ("review", "Awaiting my review"),
            ("publish", "Approved, for me to publish"),
            ("mine", "Written by me"),
        ],
        method="filter_todo",
        label="What is waiting for me",
    )

    class Meta:
        model = Review
        fields = ["status", "claim", "rating", "author", "todo"]

    def filter_todo(self, queryset: QuerySet[Review], name: str, value: str) -> QuerySet[Review]:
        user = self.request.user if self.request else None
        pick = {
            "review": awaiting_review_by,
            "publish": awaiting_publication_by,
            "mine": written_by,
        }[value]
        return pick(user, queryset) if user is not None else queryset.none()


REVIEW_ACTION_ERRORS = {
    400: OpenApiResponse(description="Field errors: {field: [message]}."),
    403: OpenApiResponse(description="Your role does not allow this action on this review."),
    404: OpenApiResponse(description="No such review, or not one you may see."),
    409: OpenApiResponse(description="Not allowed in the review's current state, or stale."),
}


def _action_schema(request: Any, description: str) -> Any:
    return extend_schema(
        request=request,
        responses={200: ReviewOutputSerializer, **REVIEW_ACTION_ERRORS},
        description=description,
    )


@extend_schema_view(
    create=extend_schema(
        request=ReviewCreateSerializer,
        responses={201: ReviewOutputSerializer, **REVIEW_ACTION_ERRORS},
    ),
    partial_update=extend_schema(
        request=ReviewUpdateSerializer,
        responses={200: ReviewOutputSerializer, **REVIEW_ACTION_ERRORS},
        description=(
            "Edit the content of a review not yet published. `version` is the one the edit is "
            "based on: a stale one gets 409 and nothing is written. Editing a review in review "
            "or approved sends it back to draft."
        ),
    ),
    destroy=extend_schema(responses={204: None, **REVIEW_ACTION_ERRORS}),
)
class ReviewViewSet(EditorialViewSet):
    """Our reviews, with their evidence and `version`, and the workflow actions."""

    queryset = Review.objects.all()
    serializer_class = ReviewOutputSerializer
    filterset_class = ReviewFilter

    def get_queryset(self) -> QuerySet[Review]:
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        if self.action == "history":
            return visible_reviews(self.request.user)
        if self.action == "claimreview":
            return visible_reviews(self.request.user).for_claimreview()
        return (
            visible_reviews(self.request.user)
            .select_related("rating", "created_by", "approved_by", "published_by")
            .prefetch_related(
                "authors",
                Prefetch("evidence", queryset=Evidence.objects.order_by("order", "id")),
            )
            .order_by("-id")
        )

    def create(self, request: Request) -> Response:
        review = review_create(by=request.user, **self.parse(ReviewCreateSerializer))
        return self.respond(review, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = self.parse(ReviewUpdateSerializer)
        version, evidence = data.pop("version"), data.pop("evidence", None)
        review = review_update(
            review=review, by=request.user, version=version, changes=data, evidence=evidence
        )
        return self.respond(review)

    def destroy(self, request: Request, pk: str) -> Response:
        review_delete(review=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # Its own input: the whole text of the review and its claim (the other actions are added
    # from claims.workflow below the class).
    @_action_schema(CorrectInputSerializer, RULES[Action.CORRECT].description)
    @action(detail=True, methods=["post"], url_path=RULES[Action.CORRECT].slug)
    def correct(self, request: Request, pk: str) -> Response:
        data = self.parse(CorrectInputSerializer)
        kind, note, version = data.pop("kind"), data.pop("note"), data.pop("version", None)
        claim_changes = data.pop("claim", {})
        appearances = claim_changes.pop("appearances", None)
        evidence = data.pop("evidence", None)
        review = review_act(
            Action.CORRECT,
            review=self.get_object(),
            by=request.user,
            kind=kind,
            note=note,
            version=version,
            changes=data,
            claim_changes=claim_changes,
            appearances=appearances,
            evidence=evidence,
        )
        return self.respond(review)

    # Its answer is the revision it starts (201), not the review.
    @extend_schema(
        request=None,
        responses={201: RevisionOutputSerializer, **REVIEW_ACTION_ERRORS},
        description=RULES[Action.REVISE].description,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=RULES[Action.REVISE].slug,
        url_name=RULES[Action.REVISE].slug,
    )
    def revise(self, request: Request, pk: str) -> Response:
        self.parse(action_input_serializer(RULES[Action.REVISE].inputs))
        revision = review_act(Action.REVISE, review=self.get_object(), by=request.user)
        fresh = RevisionViewSet.revisions().get(pk=revision.pk)
        return Response(RevisionOutputSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=HistorySerializer)
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str) -> Response:
        """The audit trail: workflow events, and every field change of the review and its
        evidence (who, when, old and new values)."""
        review = self.get_object()
        events = review.events.select_related("actor")
        history = {"events": events, "changes": review_field_history(review)}
        return Response(HistorySerializer(history).data)

    @extend_schema(responses=ClaimReviewPreviewSerializer)
    @action(detail=True, methods=["get"])
    def claimreview(self, request: Request, pk: str) -> Response:
        """The ClaimReview JSON-LD this review publishes (or would, if published now), and what
        the validator says of it; publishing is refused while there are errors."""
        document, result = review_claimreview(self.get_object())
        return Response({"claimreview": document, "validation": result.as_dict()})


def _workflow_endpoint(rule: Rule) -> Any:
    """`POST /api/v1/reviews/<id>/<action>/` for a workflow action: its inputs parsed by the
    serializer built from its rule, its service run through `review_act()`."""
    assert rule.inputs is not None
    serializer, fields = action_input_serializer(rule.inputs), rule.inputs.fields

    def endpoint(self: ReviewViewSet, request: Request, pk: str) -> Response:
        data = self.parse(serializer)
        inputs = {field.keyword: data[field.name] for field in fields}
        review = review_act(rule.action, review=self.get_object(), by=request.user, **inputs)
        return self.respond(review)

    endpoint.__name__ = endpoint.__qualname__ = rule.action.value
    routed = action(detail=True, methods=["post"], url_path=rule.slug, url_name=rule.slug)(endpoint)
    return _action_schema(serializer, rule.description)(routed)


for _action in BUTTONS:
    if _action not in (Action.CORRECT, Action.REVISE):
        setattr(ReviewViewSet, _action.value, _workflow_endpoint(RULES[_action]))


# --- revisions ----------------------------------------------------------------------------------


class RevisionFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id")
    status = django_filters.ChoiceFilter(choices=RevisionStatus.choices)

    class Meta:
        model = Revision
        fields = ["review", "status"]


REVISION_ACTION_ERRORS = {
    400: OpenApiResponse(description="Field errors: {field: [message]}."),
    403: OpenApiResponse(description="Your role does not allow this action on this revision."),
    404: OpenApiResponse(description="No such revision, or not one you may see."),
    409: OpenApiResponse(
        description="Not allowed in the revision's state, a stale `version`, or the published "
        "review moved on since the revision started."
    ),
}


@extend_schema_view(
    partial_update=extend_schema(
        request=RevisionUpdateSerializer,
        responses={200: RevisionOutputSerializer, **REVISION_ACTION_ERRORS},
        description=(
            "Edit an open revision, given its `version` (stale: 409, nothing written). Fields "
            "as a review's, the claim's under `claim`; `evidence` and `claim.appearances`, when "
            "sent, replace the lists. Editing a revision in review or approved sends it back to "
            "draft."
        ),
    ),
    destroy=extend_schema(
        responses={204: None, **REVISION_ACTION_ERRORS},
        description="Discard an open revision (the published review is unchanged).",
    ),
)
class RevisionViewSet(EditorialViewSet):
    """Revisions of published reviews: working copies reviewed like drafts, published with a
    kind and a public note (POST /api/v1/reviews/<id>/revisions/ starts one)."""

    queryset = Revision.objects.all()
    serializer_class = RevisionOutputSerializer
    filterset_class = RevisionFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @staticmethod
    def revisions() -> QuerySet[Revision]:
        return Revision.objects.select_related(
            "review", "rating", "created_by", "approved_by", "published_by", "correction"
        ).prefetch_related(
            "authors",
            "appearances",
            Prefetch("evidence", queryset=RevisionEvidence.objects.order_by("order", "id")),
        )

    def get_queryset(self) -> QuerySet[Revision]:
        if getattr(self, "swagger_fake_view", False) or not may_see_unpublished(self.request.user):
            return Revision.objects.none()
        return self.revisions().order_by("-id")

    def partial_update(self, request: Request, pk: str) -> Response:
        revision = self.get_object()
        data = self.parse(RevisionUpdateSerializer)
        version, evidence = data.pop("version"), data.pop("evidence", None)
        claim = data.pop("claim", {})
        appearances = claim.pop("appearances", None)
        by_field = {field: name for name, field in CLAIM_FIELDS_OF_REVISION.items()}
        changes = {**data, **{by_field[field]: value for field, value in claim.items()}}
        revision = revision_update(
            revision=revision,
            by=request.user,
            version=version,
            changes=changes,
            evidence=evidence,
            appearances=appearances,
        )
        return self.respond(revision)

    def destroy(self, request: Request, pk: str) -> Response:
        revision_act(Action.REVISION_DISCARD, revision=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _revision_endpoint(rule: Rule) -> Any:
    """`POST /api/v1/revisions/<id>/<path>/` for a revision's workflow action."""
    assert rule.inputs is not None
    serializer, fields = action_input_serializer(rule.inputs), rule.inputs.fields

    def endpoint(self: RevisionViewSet, request: Request, pk: str) -> Response:
        data = self.parse(serializer)
        inputs = {field.keyword: data[field.name] for field in fields}
        revision = revision_act(rule.action, revision=self.get_object(), by=request.user, **inputs)
        return self.respond(revision)

    endpoint.__name__ = endpoint.__qualname__ = rule.action.value
    routed = action(detail=True, methods=["post"], url_path=rule.slug, url_name=rule.slug)(endpoint)
    return extend_schema(
        request=serializer,
        responses={200: RevisionOutputSerializer, **REVISION_ACTION_ERRORS},
        description=rule.description,
    )(routed)


for _action in REVISION_BUTTONS:
    setattr(RevisionViewSet, _action.value, _revision_endpoint(RULES[_action]))
