"""Fill `Review.search_text` for the reviews that existed before the column."""

from django.db import migrations

# The column must equal what the running code computes, so this uses the code's own folding
# (claims.search), not a frozen copy: if the folding ever changes, a new migration calls it
# again to refold every row.
from claims.search import refresh_search_text


def fill(apps, schema_editor):
    Review = apps.get_model("claims", "Review")
    refresh_search_text(Review.objects.using(schema_editor.connection.alias).all())


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_review_search_text"),
    ]

    operations = [
        # Derived data: going back drops the column (0005), nothing to undo here.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
