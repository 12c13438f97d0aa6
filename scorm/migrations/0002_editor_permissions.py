"""Editors upload SCORM packages (the Wagtail admin's SCORM packages menu)."""

from django.db import migrations

PERMISSIONS = {"scormpackage": ["add", "change", "delete", "view"]}


def _codenames():
    return [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = []
    for model, actions in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="scorm", model=model)
        for action in actions:
            permissions.append(
                Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )[0]
            )
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(*group.permissions.filter(codename__in=_codenames()))


class Migration(migrations.Migration):
    dependencies = [
        ("scorm", "0001_packages_steps_attempts"),
        ("people", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
