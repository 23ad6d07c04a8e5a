"""Install the default rating scale (editable afterwards in the admin)."""

from django.db import migrations

SCALE = {
    "name": "Truth scale",
    "slug": "truth-scale",
    "description": (
        "Every fact check ends in one rating. Five ratings place a claim on a scale from True "
        "to False; two more describe claims that cannot be placed on it."
    ),
}

# (label, slug, value, colour, description). Colours keep WCAG AA contrast with black or white.
RATINGS = [
    ("True", "true", 5, "#1b7a3d", "The claim is accurate and nothing significant is missing."),
    (
        "Mostly true",
        "mostly-true",
        4,
        "#5a8f1f",
        "The claim is accurate but needs clarification or additional information.",
    ),
    (
        "Half true",
        "half-true",
        3,
        "#e0a800",
        "The claim is partially accurate but leaves out important details or takes things out of "
        "context.",
    ),
    (
        "Mostly false",
        "mostly-false",
        2,
        "#d9661a",
        "The claim contains an element of truth but ignores facts that would give a different "
        "impression.",
    ),
    ("False", "false", 1, "#b3261e", "The claim is not accurate."),
    (
        "Misleading",
        "misleading",
        None,
        "#6a3fa0",
        "The facts in the claim may be accurate, but they are put together in a way that gives a "
        "false impression.",
    ),
    (
        "Unproven",
        "unproven",
        None,
        "#5f6b7a",
        "There is not enough evidence to show whether the claim is true or false.",
    ),
]


def install(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    scale, _ = RatingScale.objects.get_or_create(
        slug=SCALE["slug"],
        defaults={"name": SCALE["name"], "description": SCALE["description"], "is_default": True},
    )
    for order, (label, slug, value, colour, description) in enumerate(RATINGS):
        Rating.objects.get_or_create(
            scale=scale,
            slug=slug,
            defaults={
                "label": label,
                "value": value,
                "colour": colour,
                "description": description,
                "order": order,
            },
        )


def uninstall(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    Rating.objects.filter(scale__slug=SCALE["slug"]).delete()
    RatingScale.objects.filter(slug=SCALE["slug"]).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
