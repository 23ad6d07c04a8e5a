"""Grant the roles (claims 0003) what imports need: editors and publishers import ClaimReviews
(the service also checks the role), everyone in the newsroom sees the prior checks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACT_CHECKERS, EDITORS, PUBLISHERS = "Fact-checkers", "Editors", "Publishers"
GRANTS = {
    FACT_CHECKERS: ["view_priorcheck"],
    EDITORS: ["view_priorcheck", "view_importrun", "add_importrun", "view_importrecord"],
    PUBLISHERS: ["view_priorcheck", "view_importrun", "add_importrun", "view_importrecord"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="imports", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="imports"))


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_import_runs"),
        ("claims", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
