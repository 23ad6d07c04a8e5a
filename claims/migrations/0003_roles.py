"""Create the newsroom roles as groups: Fact-checkers, Editors, Publishers.

Each role has the rights of the ones before it. Model permissions here open the admin screens;
who may take which workflow action is decided by claims.permissions, which also reads the
custom permissions review_review (Editors) and publish_review (Publishers).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACT_CHECKERS, EDITORS, PUBLISHERS = "Fact-checkers", "Editors", "Publishers"

# (app_label, model, actions)
FACT_CHECKER_PERMISSIONS = [
    ("claims", "topic", ["view", "add", "change"]),
    ("claims", "claimant", ["view", "add", "change"]),
    ("claims", "claim", ["view", "add", "change"]),
    ("claims", "appearance", ["view", "add", "change", "delete"]),
    ("claims", "review", ["view", "add", "change", "delete"]),
    ("claims", "evidence", ["view", "add", "change", "delete"]),
    ("claims", "correction", ["view"]),
    ("claims", "workflowevent", ["view"]),
    ("claims", "rating", ["view"]),
    ("claims", "ratingscale", ["view"]),
    ("claims", "publisher", ["view"]),
    ("sources", "source", ["view", "add", "change"]),
]
EDITOR_PERMISSIONS = [
    ("claims", "review", ["review"]),
    ("claims", "topic", ["delete"]),
    ("claims", "claimant", ["delete"]),
    ("claims", "claim", ["delete"]),
    ("claims", "publisher", ["add", "change"]),
    ("sources", "source", ["delete"]),
]
PUBLISHER_PERMISSIONS = [
    ("claims", "review", ["publish"]),
    ("claims", "rating", ["add", "change"]),
    ("claims", "ratingscale", ["add", "change"]),
    ("claims", "publisher", ["delete"]),
]


def _codenames(spec):
    for app_label, model, actions in spec:
        for action in actions:
            yield app_label, f"{action}_{model}"


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    granted = []
    for name, spec in [
        (FACT_CHECKERS, FACT_CHECKER_PERMISSIONS),
        (EDITORS, EDITOR_PERMISSIONS),
        (PUBLISHERS, PUBLISHER_PERMISSIONS),
    ]:
        granted += list(_codenames(spec))
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in granted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def delete_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[FACT_CHECKERS, EDITORS, PUBLISHERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_default_rating_scale"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
