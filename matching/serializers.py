"""Matching's API payloads (DESIGN.md section 6: `similar/` and `relations/`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from claims.models import language_validator
from core.api import BIGINT_MAX
from matching.models import ClaimRelation, RelationKind
from matching.services import MAX_LIMIT, MAX_TEXT_LENGTH, Match, our_review, verdict_of


class SimilarQuerySerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=MAX_TEXT_LENGTH)
    url = serializers.URLField(max_length=2000, required=False)
    claimant = serializers.CharField(max_length=200, required=False)
    language = serializers.CharField(max_length=35, required=False, validators=[language_validator])
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=10)
    exclude = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, required=False)


def claim_payload(match: Match) -> dict[str, Any]:
    claim = match.claim
    assert claim is not None
    review = our_review(claim)
    label, verdict = verdict_of(review) if review and review.rating_id else ("", "")
    return {
        "id": claim.pk,
        "slug": claim.slug,
        "text": claim.text,
        "short_text": claim.claim_reviewed,
        "status": review.status if review else None,
        "review": review.pk if review else None,
        "rating_label": label,
        "verdict": verdict or None,
        "date": review.date_published.date().isoformat()
        if review and review.date_published
        else None,
        "language": claim.language,
    }


def prior_check_payload(match: Match) -> dict[str, Any]:
    review = match.prior_check
    assert review is not None and review.publisher is not None
    label, verdict = verdict_of(review)
    return {
        "id": review.pk,
        "publisher": {"name": review.publisher.name, "site": review.publisher.site},
        "url": review.external_url,
        "title": review.headline,
        "claim_id": review.claim_id,
        "claim_text": review.claim.text,
        "rating_label": label,
        "verdict": verdict,
        "date": review.date_published.date().isoformat() if review.date_published else None,
        "language": review.language,
    }


class MatchSerializer(serializers.Serializer[Match]):
    """One result: `claim` (ours) or `prior_check` (imported), never both (documented as
    ClaimMatch or PriorCheckMatch, below)."""

    score = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField())
    claim = serializers.SerializerMethodField()
    prior_check = serializers.SerializerMethodField()

    def get_score(self, match: Match) -> float:
        return round(match.score, 4)

    def get_claim(self, match: Match) -> dict[str, Any] | None:
        return claim_payload(match) if match.claim is not None else None

    def get_prior_check(self, match: Match) -> dict[str, Any] | None:
        return prior_check_payload(match) if match.prior_check is not None else None

    def to_representation(self, instance: Match) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Exactly one of the two keys, as DESIGN.md's `claim | prior_check`.
        data.pop("claim" if instance.claim is None else "prior_check")
        return data


# --- the OpenAPI document's description of a result (MatchSerializer renders it) ----------------

REASONS = ["same_text", "same_url", "words", "meaning"]


class SimilarClaimSerializer(serializers.Serializer[Any]):
    """One of our claims (any state), with its review's state and verdict when it has one
    (claim_payload)."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    text = serializers.CharField()
    short_text = serializers.CharField()
    status = serializers.CharField(allow_null=True, help_text="Its review's; null: none yet.")
    review = serializers.IntegerField(allow_null=True)
    rating_label = serializers.CharField(help_text="Empty when not rated.")
    verdict = serializers.CharField(allow_null=True)
    date = serializers.DateField(allow_null=True, help_text="Its review's publication date.")
    language = serializers.CharField()


class PublisherSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    site = serializers.CharField()


class PriorCheckSerializer(serializers.Serializer[Any]):
    """Another publisher's review, imported (prior_check_payload)."""

    id = serializers.IntegerField()
    publisher = PublisherSerializer()
    url = serializers.CharField()
    title = serializers.CharField()
    claim_id = serializers.IntegerField()
    claim_text = serializers.CharField()
    rating_label = serializers.CharField()
    verdict = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    language = serializers.CharField()


class ClaimMatchSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(min_value=0, max_value=1)
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=REASONS))
    claim = SimilarClaimSerializer()


class PriorCheckMatchSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(min_value=0, max_value=1)
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=REASONS))
    prior_check = PriorCheckSerializer()


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="Match",
        serializers=[ClaimMatchSerializer, PriorCheckMatchSerializer],
        resource_type_field_name=None,
        many=True,
    )
)
class MatchListField(serializers.ListField):
    """The results, as MatchSerializer renders them: each a ClaimMatch or a PriorCheckMatch."""


class SimilarResponseSerializer(serializers.Serializer[Any]):
    results = MatchListField()


class RelationInputSerializer(serializers.Serializer[Any]):
    prior_check = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, required=False)
    claim = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, required=False)
    kind = serializers.ChoiceField(choices=RelationKind.choices, default=RelationKind.SAME)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("prior_check" in attrs) == ("claim" in attrs):
            raise serializers.ValidationError(
                {"prior_check": ["Give either prior_check or claim (an id)."]}
            )
        return attrs


class RelationDeleteSerializer(RelationInputSerializer):
    kind = None  # type: ignore[assignment]


class RelationOutputSerializer(serializers.ModelSerializer[ClaimRelation]):
    claim = serializers.IntegerField(source="related_claim_id", allow_null=True)
    prior_check = serializers.IntegerField(source="prior_check_id", allow_null=True)
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        read_only=True, slug_field="username"
    )

    class Meta:
        model = ClaimRelation
        fields = ["id", "kind", "prior_check", "claim", "created_by", "created_at"]
        read_only_fields = fields
