"""RRHH edits the single sign-on rules in the Wagtail admin and reads the SSO audit."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "add_identityprovider",
    "change_identityprovider",
    "delete_identityprovider",
    "view_identityprovider",
    "add_ssodomain",
    "change_ssodomain",
    "delete_ssodomain",
    "view_ssodomain",
    "view_signinevent",
]


def permissions(apps):
    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="people", codename__in=CODENAMES)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="RRHH"):
        group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="RRHH"):
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0015_sso_identity_providers"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
