"""`User.wants_reminders` (email reminders before a due date, overdue notices and the weekly
digest) becomes three notification preferences on the email channel, and the field goes."""

from django.db import migrations

REMINDER_KINDS = ["due_soon", "overdue", "digest"]


def to_preferences(apps, schema_editor):
    User = apps.get_model("people", "User")
    NotificationPreference = apps.get_model("people", "NotificationPreference")
    NotificationPreference.objects.bulk_create(
        NotificationPreference(person_id=pk, kind=kind, channel="email", enabled=False)
        for pk in User.objects.filter(wants_reminders=False).values_list("pk", flat=True)
        for kind in REMINDER_KINDS
    )


def to_field(apps, schema_editor):
    """Back: whoever turned off any of the three email reminders had reminders off."""
    User = apps.get_model("people", "User")
    NotificationPreference = apps.get_model("people", "NotificationPreference")
    off = NotificationPreference.objects.filter(
        kind__in=REMINDER_KINDS, channel="email", enabled=False
    ).values("person_id")
    User.objects.filter(pk__in=off).update(wants_reminders=False)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0012_add_notifications'),
    ]

    operations = [
        migrations.RunPython(to_preferences, to_field),
        migrations.RemoveField(
            model_name='user',
            name='wants_reminders',
        ),
    ]
