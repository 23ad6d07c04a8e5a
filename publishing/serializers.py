"""Output serializers of the public API (publishing.api). They translate; they decide nothing.

A ClaimReview is whatever `build_claimreview()` says, so the API, the claim page and the feed
carry the same document.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from claims.claimreview import JsonDict, build_claimreview
from claims.models import Review


class ClaimReviewSerializer(serializers.BaseSerializer):
    """A schema.org ClaimReview (DESIGN.md section 5), with its @context."""

    def to_representation(self, instance: Review) -> JsonDict:
        return build_claimreview(instance)


class ClaimReviewSchema(OpenApiSerializerExtension):
    """OpenAPI for ClaimReviewSerializer: a JSON-LD object, described by schema.org."""

    target_class = ClaimReviewSerializer

    def get_name(self, auto_schema: Any, direction: Any) -> str:
        return "ClaimReview"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": (
                "A schema.org ClaimReview (https://schema.org/ClaimReview) as JSON-LD, the same "
                "document the claim page embeds."
            ),
            "required": ["@context", "@type", "url", "claimReviewed", "reviewRating"],
            "properties": {
                "@context": {"type": "string", "example": "https://schema.org"},
                "@type": {"type": "string", "example": "ClaimReview"},
                "url": {"type": "string", "format": "uri"},
                "claimReviewed": {"type": "string"},
                "headline": {"type": "string"},
                "datePublished": {"type": "string", "format": "date-time"},
                "dateModified": {"type": "string", "format": "date-time"},
                "inLanguage": {"type": "string"},
                "author": {"type": "object"},
                "reviewRating": {"type": "object"},
                "itemReviewed": {"type": "object"},
                "correction": {"type": "array", "items": {"type": "object"}},
            },
            "additionalProperties": True,
        }


class RatingSerializer(serializers.Serializer):
    # (the metaclass takes declared fields off the class, so "label" shadows nothing at run time)
    label = serializers.CharField()  # type: ignore[assignment]
    slug = serializers.SlugField()
    value = serializers.IntegerField(allow_null=True, help_text="1 = worst; null: not on the scale")
    description = serializers.CharField()
    colour = serializers.CharField(help_text="Badge background, #RRGGBB.")
    text_colour = serializers.CharField(help_text="Black or white, for contrast with colour.")
    image_url = serializers.CharField()
    published_reviews = serializers.IntegerField(
        help_text="How many of our published fact checks carry this rating."
    )


class RatingScaleSerializer(serializers.Serializer):
    name = serializers.CharField(source="scale.name")
    slug = serializers.SlugField(source="scale.slug")
    description = serializers.CharField(source="scale.description")
    ratings = RatingSerializer(many=True)
