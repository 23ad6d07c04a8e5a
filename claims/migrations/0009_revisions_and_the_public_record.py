"""Revisions of published reviews (Revision, its evidence and appearances), and the public
record: withdrawals are recorded as corrections of kind "withdrawal", and every correction keeps
the headline readers saw. Existing rows are filled in: corrections get their review's headline,
and every withdrawal of a review that had been public (from the audit trail) gets its record."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def fill_public_record(apps, schema_editor):
    Correction = apps.get_model("claims", "Correction")
    Review = apps.get_model("claims", "Review")
    WorkflowEvent = apps.get_model("claims", "WorkflowEvent")
    for review in Review.objects.filter(corrections__isnull=False).distinct():
        Correction.objects.filter(review=review, headline="").update(headline=review.headline)
    withdrawals = WorkflowEvent.objects.filter(
        action="withdraw", review__publisher__isnull=True, review__date_published__isnull=False
    ).select_related("review")
    for event in withdrawals:
        review = event.review
        if review.date_published > event.created_at:
            continue  # withdrawn before it ever went public: readers saw nothing
        note = event.comment.strip() or review.withdrawal_note.strip() or "Withdrawn."
        Correction.objects.create(
            review=review,
            kind="withdrawal",
            note=note,
            headline=review.headline,
            created_at=event.created_at,
            created_by=event.actor,
        )


# Every role works on revisions (who may take which action is claims.permissions' call); these
# model permissions open the admin screens of a revision and its evidence and appearances.
REVISION_PERMISSIONS = [
    ("revision", ["view", "change"]),
    ("revisionevidence", ["view", "add", "change", "delete"]),
    ("revisionappearance", ["view", "add", "change", "delete"]),
]
ROLES = ["Fact-checkers", "Editors", "Publishers"]


def grant_revision_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = [
        Permission.objects.get(content_type__app_label="claims", codename=f"{action}_{model}")
        for model, actions in REVISION_PERMISSIONS
        for action in actions
    ]
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_claim_claimant_version_visible_url_hosts"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalRevision",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("in_review", "In review"),
                            ("approved", "Approved"),
                            ("published", "Published"),
                            ("discarded", "Discarded"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=20,
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                (
                    "based_on",
                    models.PositiveIntegerField(
                        editable=False, help_text="The review's version this revision started from."
                    ),
                ),
                ("headline", models.CharField(max_length=300)),
                (
                    "summary",
                    models.TextField(
                        blank=True, help_text='"If your time is short": a few sentences.'
                    ),
                ),
                ("body", models.TextField(blank=True, help_text="The full explanation.")),
                (
                    "claim_text",
                    models.TextField(
                        help_text="The claim in full, as it was made.", verbose_name="claim"
                    ),
                ),
                (
                    "claim_short_text",
                    models.CharField(
                        blank=True,
                        help_text="Published as claimReviewed; derived from the claim when empty.",
                        max_length=200,
                        verbose_name="claim, short form",
                    ),
                ),
                ("date_claimed", models.DateField(blank=True, null=True, verbose_name="date made")),
                (
                    "venue",
                    models.CharField(blank=True, max_length=300, verbose_name="where it was made"),
                ),
                (
                    "claim_language",
                    models.CharField(
                        default="en",
                        max_length=35,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$",
                                "Enter a BCP 47 language tag such as en, pt-BR or es-419.",
                            )
                        ],
                        verbose_name="claim language",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical revision",
                "verbose_name_plural": "historical revisions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Revision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("in_review", "In review"),
                            ("approved", "Approved"),
                            ("published", "Published"),
                            ("discarded", "Discarded"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=20,
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                (
                    "based_on",
                    models.PositiveIntegerField(
                        editable=False, help_text="The review's version this revision started from."
                    ),
                ),
                ("headline", models.CharField(max_length=300)),
                (
                    "summary",
                    models.TextField(
                        blank=True, help_text='"If your time is short": a few sentences.'
                    ),
                ),
                ("body", models.TextField(blank=True, help_text="The full explanation.")),
                (
                    "claim_text",
                    models.TextField(
                        help_text="The claim in full, as it was made.", verbose_name="claim"
                    ),
                ),
                (
                    "claim_short_text",
                    models.CharField(
                        blank=True,
                        help_text="Published as claimReviewed; derived from the claim when empty.",
                        max_length=200,
                        verbose_name="claim, short form",
                    ),
                ),
                ("date_claimed", models.DateField(blank=True, null=True, verbose_name="date made")),
                (
                    "venue",
                    models.CharField(blank=True, max_length=300, verbose_name="where it was made"),
                ),
                (
                    "claim_language",
                    models.CharField(
                        default="en",
                        max_length=35,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$",
                                "Enter a BCP 47 language tag such as en, pt-BR or es-419.",
                            )
                        ],
                        verbose_name="claim language",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["-id"],
            },
        ),
        migrations.CreateModel(
            name="RevisionAppearance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(max_length=2000, verbose_name="URL")),
                (
                    "archived_url",
                    models.URLField(blank=True, max_length=2000, verbose_name="archived URL"),
                ),
                ("title", models.CharField(blank=True, max_length=300)),
                ("date", models.DateField(blank=True, null=True)),
                ("first", models.BooleanField(default=False, verbose_name="first appearance")),
                ("order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["order", "id"],
            },
        ),
        migrations.CreateModel(
            name="RevisionEvidence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quote", models.TextField(blank=True, help_text="The excerpt that matters.")),
                (
                    "stance",
                    models.CharField(
                        choices=[
                            ("supports", "Supports the claim"),
                            ("refutes", "Refutes the claim"),
                            ("context", "Gives context"),
                        ],
                        default="context",
                        max_length=20,
                    ),
                ),
                ("note", models.TextField(blank=True)),
                ("order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "verbose_name_plural": "evidence",
                "ordering": ["order", "id"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="correction",
            name="correction_kind_valid",
        ),
        migrations.RemoveConstraint(
            model_name="workflowevent",
            name="workflowevent_target_valid",
        ),
        migrations.RemoveConstraint(
            model_name="workflowevent",
            name="workflowevent_source_valid",
        ),
        migrations.AddField(
            model_name="correction",
            name="headline",
            field=models.CharField(
                blank=True,
                db_default="",
                help_text="The review's public headline when this was recorded (the log shows it).",
                max_length=300,
            ),
        ),
        migrations.AlterField(
            model_name="correction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("correction", "Correction"),
                    ("update", "Update"),
                    ("clarification", "Clarification"),
                    ("verdict_change", "Verdict change"),
                    ("withdrawal", "Withdrawal"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="correction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        ["correction", "update", "clarification", "verdict_change", "withdrawal"],
                    )
                ),
                name="correction_kind_valid",
            ),
        ),
        migrations.AddField(
            model_name="historicalrevision",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalrevision",
            name="claimant",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claims.claimant",
            ),
        ),
        migrations.AddField(
            model_name="historicalrevision",
            name="correction",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claims.correction",
            ),
        ),
        migrations.AddField(
            model_name="historicalrevision",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalrevision",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalrevision",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalrevision",
            name="rating",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claims.rating",
            ),
        ),
        migrations.AddField(
            model_name="historicalrevision",
            name="review",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claims.review",
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="authors",
            field=models.ManyToManyField(
                blank=True, related_name="authored_revisions", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="claimant",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="claims.claimant",
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="correction",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="revision",
                to="claims.correction",
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="rating",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="claims.rating",
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="review",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="revisions",
                to="claims.review",
            ),
        ),
        migrations.AddField(
            model_name="workflowevent",
            name="revision",
            field=models.ForeignKey(
                blank=True,
                help_text="Set for the steps of a revision: source and target are the revision's.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="claims.revision",
            ),
        ),
        migrations.AddConstraint(
            model_name="workflowevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "target__in",
                        ["approved", "discarded", "draft", "in_review", "published", "withdrawn"],
                    )
                ),
                name="workflowevent_target_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="workflowevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("source", ""),
                    (
                        "source__in",
                        ["approved", "discarded", "draft", "in_review", "published", "withdrawn"],
                    ),
                    _connector="OR",
                ),
                name="workflowevent_source_valid",
            ),
        ),
        migrations.AddField(
            model_name="revisionappearance",
            name="revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="appearances",
                to="claims.revision",
            ),
        ),
        migrations.AddField(
            model_name="revisionevidence",
            name="evidence",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="claims.evidence",
            ),
        ),
        migrations.AddField(
            model_name="revisionevidence",
            name="revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="evidence",
                to="claims.revision",
            ),
        ),
        migrations.AddField(
            model_name="revisionevidence",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sources.source"
            ),
        ),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ("draft", "in_review", "approved"))),
                fields=("review",),
                name="revision_one_open_per_review",
            ),
        ),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["draft", "in_review", "approved", "published", "discarded"])
                ),
                name="revision_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "published"), _negated=True),
                    ("correction__isnull", False),
                    _connector="OR",
                ),
                name="revision_published_has_correction",
            ),
        ),
        migrations.AddConstraint(
            model_name="revisionevidence",
            constraint=models.CheckConstraint(
                condition=models.Q(("stance__in", ["supports", "refutes", "context"])),
                name="revisionevidence_stance_valid",
            ),
        ),
        migrations.RunPython(fill_public_record, migrations.RunPython.noop),
        migrations.RunPython(grant_revision_permissions, migrations.RunPython.noop),
    ]
