"""The public list's index covers what its capped pages, counts and the ratings' counts read
(issue 13): review_public_newest gives way to review_public_list, the same keys and condition
with publish_at, rating_id and claim_id included, so those are index-only scans."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_review_search_vector"),
    ]

    operations = [
        # The new one first, so the list is never without an index while this runs.
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                condition=models.Q(("publisher__isnull", True), ("status", "published")),
                fields=["-date_published", "-id"],
                include=["publish_at", "rating_id", "claim_id"],
                name="review_public_list",
            ),
        ),
        migrations.RemoveIndex(model_name="review", name="review_public_newest"),
    ]
