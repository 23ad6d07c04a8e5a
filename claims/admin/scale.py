"""The admin of the rating scale and of the other publishers whose reviews we imported."""

from django.contrib import admin
from django.utils.html import format_html

from claims.models import Publisher, Rating, RatingScale
from core.admin import BoundedIntegerLookups


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ["label", "slug", "value", "colour", "order", "description", "image_url"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(RatingScale)
class RatingScaleAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["name", "is_default"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RatingInline]


@admin.register(Rating)
class RatingAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["label", "scale", "value", "colour_swatch", "order"]
    list_filter = ["scale"]
    list_select_related = ["scale"]
    search_fields = ["label"]
    prepopulated_fields = {"slug": ["label"]}

    @admin.display(description="colour")
    def colour_swatch(self, rating: Rating) -> str:
        return format_html(
            '<span style="background:{};color:{};padding:0 .5em">{}</span>',
            rating.colour,
            rating.text_colour,
            rating.colour,
        )


@admin.register(Publisher)
class PublisherAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["name", "site", "url"]
    search_fields = ["name", "site"]
