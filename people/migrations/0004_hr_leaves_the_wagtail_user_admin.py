"""RRHH no longer holds the user model's permissions.

HR manages people through the /rrhh/ pages, which ask people/policy.py, not model
permissions. The add/change/view permissions on people.User only opened Wagtail's user admin
and its bulk actions, where superuser status, groups and passwords are set (issue 15, item 1).
"""

from django.db import migrations

USER_CODENAMES = ["add_user", "change_user", "view_user"]


def user_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="people", codename__in=USER_CODENAMES
    )


def remove_user_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="RRHH"):
        group.permissions.remove(*user_permissions(apps))


def restore_user_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="RRHH"):
        group.permissions.add(*user_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_reminders_preference"),
    ]

    operations = [migrations.RunPython(remove_user_permissions, restore_user_permissions)]
