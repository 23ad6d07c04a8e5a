"""Editorial API payloads for sources (DESIGN.md section 6)."""

from __future__ import annotations

from typing import ClassVar

from rest_framework import serializers

from core.api import OptionalURLField
from core.input import StrictSerializer
from sources.models import Source, SourceKind


class SourceOutputSerializer(serializers.ModelSerializer[Source]):
    archived_url = OptionalURLField(read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "publisher",
            "author",
            "date_published",
            "archived_url",
            "accessed_at",
            "kind",
            "version",
        ]
        read_only_fields = fields


class SourceInputSerializer(StrictSerializer):
    """The URL is stored normalised (sources.normalize); one already known, however it was
    linked, is refused with a field error. A field it does not take is refused too."""

    ignored_fields: ClassVar[tuple[str, ...]] = ("id", "version")

    url = serializers.URLField(max_length=2000)
    title = serializers.CharField(max_length=500)
    publisher = serializers.CharField(max_length=200, allow_blank=True, required=False)
    author = serializers.CharField(max_length=200, allow_blank=True, required=False)
    date_published = serializers.DateField(allow_null=True, required=False)
    archived_url = serializers.URLField(max_length=2000, allow_blank=True, required=False)
    accessed_at = serializers.DateField(allow_null=True, required=False)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)


class SourceUpdateSerializer(SourceInputSerializer):
    """PATCH: `version` (the one the edit is based on: a stale one gets 409 and changes
    nothing) and any fields to change."""

    ignored_fields: ClassVar[tuple[str, ...]] = ("id",)
    url = serializers.URLField(max_length=2000, required=False)
    title = serializers.CharField(max_length=500, required=False)
    version = serializers.IntegerField(
        min_value=1,
        help_text="The version this edit is based on (as read); a stale one gets 409.",
    )
