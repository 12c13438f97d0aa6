"""People a client wrote before managers were kept showed a supervisor of their current team
as their manager: keep that one, so what clients read does not change on deploy."""

from django.db import migrations


def keep_shown_managers(apps, schema_editor):
    ProvisionedPerson = apps.get_model("provisioning", "ProvisionedPerson")
    Membership = apps.get_model("people", "Membership")
    Team = apps.get_model("people", "Team")
    Supervision = Team.supervisors.through
    for row in ProvisionedPerson.objects.filter(manager__isnull=True).iterator():
        team_id = (
            Membership.objects.filter(person_id=row.person_id, ended_at__isnull=True)
            .values_list("team_id", flat=True)
            .first()
        )
        if team_id is None:
            continue
        manager_id = (
            Supervision.objects.filter(team_id=team_id)
            .exclude(user_id=row.person_id)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .first()
        )
        if manager_id is not None:
            ProvisionedPerson.objects.filter(pk=row.pk).update(manager_id=manager_id)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0014_add_scheduled_reports"),
        ("provisioning", "0002_keep_what_clients_send"),
    ]

    operations = [migrations.RunPython(keep_shown_managers, migrations.RunPython.noop)]
