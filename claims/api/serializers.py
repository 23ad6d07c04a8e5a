"""Editorial API payloads (DESIGN.md section 6): separate input and output serializers.

Output serializers list every field explicitly and are read-only. Input serializers declare only
what a client may write: the fields the server owns (ids, status, version bumps, authors, who
approved and published, dates) are not declared, so a client sending them changes nothing.
Serializers translate JSON to Python values; the rules live in claims.services.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

from django.contrib.auth.models import User
from rest_framework import serializers

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimantKind,
    CorrectionKind,
    Evidence,
    Rating,
    Review,
    Revision,
    RevisionAppearance,
    RevisionEvidence,
    Stance,
    Topic,
    WorkflowEvent,
    language_validator,
)
from claims.services.claims import AppearanceItem
from claims.services.evidence import EvidenceItem
from claims.workflow import Input, Inputs
from core.api import OptionalURLField
from core.input import StrictSerializer
from sources.models import Source

# What the output of a review carries and the server owns: sent back in an edit, ignored.
REVIEW_OUTPUT_ONLY = (
    "id",
    "version",
    "status",
    "is_public",
    "authors",
    "created_by",
    "approved_by",
    "published_by",
    "publish_at",
    "date_published",
    "date_modified",
    "withdrawn_at",
    "withdrawal_note",
    "created_at",
    "updated_at",
    "publisher",
)

# --- claimants --------------------------------------------------------------------------------


class ClaimantOutputSerializer(serializers.ModelSerializer[Claimant]):
    image_url = OptionalURLField(read_only=True)

    class Meta:
        model = Claimant
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "job_title",
            "description",
            "same_as",
            "image_url",
            "version",
        ]
        read_only_fields = fields


# The `version` an edit is based on: required, a stale one is a 409 and changes nothing.
def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        help_text="The version this edit is based on (as read); a stale one gets 409.",
    )


class ClaimantInputSerializer(StrictSerializer):
    ignored_fields: ClassVar[tuple[str, ...]] = ("id", "version")

    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=100, required=False)
    kind = serializers.ChoiceField(choices=ClaimantKind.choices, required=False)
    job_title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    same_as = serializers.ListField(
        child=serializers.URLField(max_length=2000), required=False, max_length=50
    )
    image_url = serializers.URLField(max_length=2000, allow_blank=True, required=False)


class ClaimantUpdateSerializer(ClaimantInputSerializer):
    """PATCH: `version` and any fields to change."""

    ignored_fields: ClassVar[tuple[str, ...]] = ("id",)
    name = serializers.CharField(max_length=200, required=False)
    version = _version_field()


# --- claims -------------------------------------------------------------------------------------


class AppearanceSerializer(serializers.ModelSerializer[Appearance]):
    archived_url = OptionalURLField(read_only=True)

    class Meta:
        model = Appearance
        fields = ["url", "archived_url", "title", "date", "first"]
        read_only_fields = fields


class ClaimOutputSerializer(serializers.ModelSerializer[Claim]):
    topics: serializers.SlugRelatedField[Topic] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    appearances = AppearanceSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "slug",
            "text",
            "short_text",
            "claimant",
            "date_claimed",
            "venue",
            "language",
            "topics",
            "appearances",
            "version",
        ]
        read_only_fields = fields


class AppearanceInputSerializer(StrictSerializer):
    url = serializers.URLField(max_length=2000)
    archived_url = serializers.URLField(max_length=2000, allow_blank=True, default="")
    title = serializers.CharField(max_length=300, allow_blank=True, default="")
    date = serializers.DateField(allow_null=True, default=None)
    first = serializers.BooleanField(default=False)

    def to_internal_value(self, data: Any) -> AppearanceItem:
        return AppearanceItem(**super().to_internal_value(data))


class ClaimFieldsSerializer(StrictSerializer):
    """The claim's own fields, every one optional; `appearances`, when sent, replaces the list.
    The slug is the address of the claim's public page and is never written here."""

    ignored_fields: ClassVar[tuple[str, ...]] = ("id", "slug")

    text = serializers.CharField(required=False)
    short_text = serializers.CharField(max_length=200, allow_blank=True, required=False)
    claimant = serializers.PrimaryKeyRelatedField(
        queryset=Claimant.objects.all(), allow_null=True, required=False
    )
    date_claimed = serializers.DateField(allow_null=True, required=False)
    venue = serializers.CharField(max_length=300, allow_blank=True, required=False)
    language = serializers.CharField(max_length=35, required=False, validators=[language_validator])
    appearances = AppearanceInputSerializer(many=True, required=False)


def _topics_field() -> serializers.SlugRelatedField[Topic]:
    return serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Topic.objects.all(), required=False
    )


class ClaimUpdateSerializer(ClaimFieldsSerializer):
    """PATCH: `version` and any fields to change; `topics` and `appearances`, when sent,
    replace the lists. The slug is set once, at creation. While the claim's fact check is
    published its fields and appearances change only through a correction of the review (409
    here); topics stay editable."""

    topics = _topics_field()
    version = _version_field()


class ClaimCreateSerializer(ClaimFieldsSerializer):
    ignored_fields: ClassVar[tuple[str, ...]] = ("id", "version")
    text = serializers.CharField()
    slug = serializers.SlugField(max_length=100, required=False)
    topics = _topics_field()


# --- reviews ------------------------------------------------------------------------------------


class EvidenceOutputSerializer(serializers.ModelSerializer[Evidence]):
    class Meta:
        model = Evidence
        fields = ["id", "source", "quote", "stance", "note", "order"]
        read_only_fields = fields


class ReviewOutputSerializer(serializers.ModelSerializer[Review]):
    # null: not rated yet (a draft).
    rating: serializers.SlugRelatedField[Rating] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    authors: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        many=True, slug_field="username", read_only=True
    )
    # null: nobody (yet), or an account since deleted.
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    approved_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    published_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    is_public = serializers.SerializerMethodField()
    evidence = EvidenceOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "claim",
            "rating",
            "headline",
            "summary",
            "body",
            "language",
            "version",
            "status",
            "is_public",
            "authors",
            "created_by",
            "approved_by",
            "published_by",
            "publish_at",
            "date_published",
            "date_modified",
            "withdrawn_at",
            "withdrawal_note",
            "created_at",
            "updated_at",
            "evidence",
        ]
        read_only_fields = fields

    def get_is_public(self, review: Review) -> bool:
        """Whether readers can see it now (published, and its publication time reached)."""
        return review.is_public()


class EvidenceInputSerializer(StrictSerializer):
    ignored_fields = ("order",)

    id = serializers.IntegerField(
        required=False, help_text="An existing entry of this review to keep; omit to add one."
    )
    # A field named like Field.source: the serializer metaclass moves it out of the class.
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())  # type: ignore[assignment]
    quote = serializers.CharField(allow_blank=True, default="")
    stance = serializers.ChoiceField(choices=Stance.choices, default=Stance.CONTEXT)
    note = serializers.CharField(allow_blank=True, default="")

    def to_internal_value(self, data: Any) -> EvidenceItem:
        return EvidenceItem(**super().to_internal_value(data))


def _rating_field(**kwargs: Any) -> serializers.SlugRelatedField[Rating]:
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Rating.objects.filter(scale__is_default=True),
        allow_null=True,
        help_text="A rating of the default scale, by slug.",
        **kwargs,
    )


class ReviewCreateSerializer(StrictSerializer):
    ignored_fields = REVIEW_OUTPUT_ONLY

    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    rating = _rating_field(required=False)
    headline = serializers.CharField(max_length=300)
    summary = serializers.CharField(allow_blank=True, required=False)
    body = serializers.CharField(allow_blank=True, required=False)
    language = serializers.CharField(max_length=35, required=False)
    evidence = EvidenceInputSerializer(many=True, required=False)


class ReviewUpdateSerializer(StrictSerializer):
    """PATCH: `version` (the one the edit is based on) and any content fields to change.
    `evidence`, when sent, replaces the list (entries with an `id` are kept and updated)."""

    ignored_fields = REVIEW_OUTPUT_ONLY

    version = serializers.IntegerField(min_value=1)
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all(), required=False)
    rating = _rating_field(required=False)
    headline = serializers.CharField(max_length=300, required=False)
    summary = serializers.CharField(allow_blank=True, required=False)
    body = serializers.CharField(allow_blank=True, required=False)
    language = serializers.CharField(max_length=35, required=False)
    evidence = EvidenceInputSerializer(many=True, required=False)


# --- workflow actions -----------------------------------------------------------------------------


def _input_field(field: Input) -> serializers.Field[Any, Any, Any, Any]:
    help_text = field.help_text or None
    if field.kind == "datetime":
        return serializers.DateTimeField(allow_null=True, default=None, help_text=help_text)
    if field.kind == "choice":
        # Required choices are checked by the services too, with their own messages.
        return serializers.ChoiceField(
            choices=field.choices,
            allow_blank=True,
            default="",
            help_text=help_text,
            error_messages={"invalid_choice": "“{input}” is not one of the choices."},
        )
    # Required inputs are checked by the services, with their own messages (claims.workflow).
    return serializers.CharField(
        allow_blank=True, default="", max_length=field.max_length, help_text=help_text
    )


@cache
def action_input_serializer(inputs: Inputs) -> type[serializers.Serializer[Any]]:
    """The input serializer of the workflow actions that take `inputs` (claims.workflow), one
    class per kind of input ("Comment": CommentInputSerializer)."""
    fields = {field.name: _input_field(field) for field in inputs.fields}
    return type(f"{inputs.name}InputSerializer", (StrictSerializer,), fields)


class CorrectInputSerializer(StrictSerializer):
    # Every kind is parsed so the service can say why a verdict change is refused here.
    ignored_fields = REVIEW_OUTPUT_ONLY

    kind = serializers.ChoiceField(choices=CorrectionKind.choices)
    note = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Required, public: what changed and why.",
    )
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Required when changing fields."
    )
    rating = _rating_field(required=False)
    headline = serializers.CharField(max_length=300, required=False)
    summary = serializers.CharField(allow_blank=True, required=False)
    body = serializers.CharField(allow_blank=True, required=False)
    claim = ClaimFieldsSerializer(
        required=False,
        help_text=(
            "Changes to the review's claim (its fields as in PATCH /api/v1/claims/<id>/, no "
            "topics, no slug): locked elsewhere while the review is published."
        ),
    )
    evidence = serializers.JSONField(
        required=False,
        help_text="Refused: an evidence change needs a revision (POST .../revisions/).",
    )


# --- revisions ------------------------------------------------------------------------------------


class RevisionEvidenceOutputSerializer(serializers.ModelSerializer[RevisionEvidence]):
    id = serializers.IntegerField(
        source="evidence_id",
        allow_null=True,
        help_text="The review's evidence entry this revises; null for an entry it adds.",
    )

    class Meta:
        model = RevisionEvidence
        fields = ["id", "source", "quote", "stance", "note", "order"]
        read_only_fields = fields


class RevisionAppearanceOutputSerializer(serializers.ModelSerializer[RevisionAppearance]):
    archived_url = OptionalURLField(read_only=True)

    class Meta:
        model = RevisionAppearance
        fields = ["url", "archived_url", "title", "date", "first"]
        read_only_fields = fields


class RevisionClaimOutputSerializer(serializers.Serializer[Revision]):
    text = serializers.CharField(source="claim_text")
    short_text = serializers.CharField(source="claim_short_text")
    claimant = serializers.IntegerField(source="claimant_id", allow_null=True)
    date_claimed = serializers.DateField(allow_null=True)
    venue = serializers.CharField()
    language = serializers.CharField(source="claim_language")
    appearances = RevisionAppearanceOutputSerializer(many=True)


class CorrectionOutputSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class RevisionOutputSerializer(serializers.ModelSerializer[Revision]):
    # null: no rating (yet), as for a review.
    rating: serializers.SlugRelatedField[Rating] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    authors: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        many=True, slug_field="username", read_only=True
    )
    # null: nobody (yet), or an account since deleted.
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    approved_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    published_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    claim = RevisionClaimOutputSerializer(source="*", read_only=True)
    evidence = RevisionEvidenceOutputSerializer(many=True, read_only=True)
    correction = CorrectionOutputSerializer(read_only=True, allow_null=True)
    is_stale = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = [
            "id",
            "review",
            "status",
            "version",
            "based_on",
            "is_stale",
            "rating",
            "headline",
            "summary",
            "body",
            "claim",
            "evidence",
            "authors",
            "created_by",
            "approved_by",
            "published_by",
            "correction",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_stale(self, revision: Revision) -> bool:
        """Whether the published review moved on since this revision started (it can then only
        be discarded)."""
        return revision.is_open and revision.review.version != revision.based_on


# What the output of a revision carries and the server owns: sent back in an edit, ignored
# (`version` is the edit's own input; the rest an edit may change).
REVISION_EDITABLE = ("version", "rating", "headline", "summary", "body", "claim", "evidence")
REVISION_OUTPUT_ONLY = tuple(
    name for name in RevisionOutputSerializer.Meta.fields if name not in REVISION_EDITABLE
)


class RevisionUpdateSerializer(StrictSerializer):
    """PATCH: `version` (the revision's, that the edit is based on) and the fields to change;
    `evidence` and `claim.appearances`, when sent, replace the lists (evidence entries with an
    `id` revise that entry of the review). Strict like a review's PATCH: an unknown field or a
    value of the wrong JSON type is a 400 naming it."""

    ignored_fields = REVISION_OUTPUT_ONLY

    version = serializers.IntegerField(min_value=1)
    rating = _rating_field(required=False)
    headline = serializers.CharField(max_length=300, required=False)
    summary = serializers.CharField(allow_blank=True, required=False)
    body = serializers.CharField(allow_blank=True, required=False)
    claim = ClaimFieldsSerializer(required=False)
    evidence = EvidenceInputSerializer(many=True, required=False)


# --- history and ClaimReview preview --------------------------------------------------------------


class WorkflowEventSerializer(serializers.ModelSerializer[WorkflowEvent]):
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = WorkflowEvent
        fields = ["id", "action", "source", "target", "actor", "comment", "created_at"]
        read_only_fields = fields


class FieldChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    old = serializers.JSONField()
    new = serializers.JSONField()
    old_display = serializers.CharField()
    new_display = serializers.CharField()


class ChangeSerializer(serializers.Serializer[Any]):
    model = serializers.ChoiceField(choices=["review", "evidence", "claim"])
    object_id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    field_changes = FieldChangeSerializer(many=True, source="fields")


class HistorySerializer(serializers.Serializer[Any]):
    events = WorkflowEventSerializer(many=True)
    changes = ChangeSerializer(many=True)


class ValidationMessageSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    message = serializers.CharField()


class ValidationSerializer(serializers.Serializer[Any]):
    valid = serializers.BooleanField()
    # A field named like Serializer.errors: the serializer metaclass moves it out of the class.
    errors = ValidationMessageSerializer(many=True)  # type: ignore[assignment]
    warnings = ValidationMessageSerializer(many=True)


class ClaimReviewPreviewSerializer(serializers.Serializer[Any]):
    claimreview = serializers.JSONField(help_text="The schema.org ClaimReview it would publish.")
    validation = ValidationSerializer()
