"""A large CSV import is applied whole, existing people updated and every new person's
invitation queued with their row. (Its speed — the largest upload inside a minute — is
measured by `make bench`, not here.)"""

import pytest

from people.models import PeopleImport, Role, User
from people.services import confirm_import, execute_import

pytestmark = pytest.mark.django_db


def test_a_large_import_applies_every_row_and_queues_every_invitation(
    hr, team, settings, user_factory
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    size = 1000
    for i in range(0, 100):  # some of them exist already and are updated
        user_factory(email=f"p{i}@empresa.es", roles=[Role.AGENT])
    rows = [f"p{i}@empresa.es,Persona {i},Equipo Norte,Agente,N-{i}" for i in range(size)]
    people_import = PeopleImport.objects.create(
        uploaded_by=hr,
        filename="plantilla.csv",
        content="email,nombre,equipo,rol,número de empleado\n" + "\n".join(rows),
        encoding="utf-8",
    )
    confirm_import(people_import=people_import, by=hr)
    done = execute_import(import_id=people_import.pk)
    assert done.status == "done", done.error
    assert done.summary["created"] == size - 100 and done.summary["updated"] == 100
    imported = User.objects.filter(email__endswith="@empresa.es", memberships__team=team)
    assert imported.count() == size
    invitations = DBTaskResult.objects.filter(task_path__endswith="send_email")
    assert invitations.count() == size - 100


def test_the_import_invitation_link_is_allauths_own(team):
    from people.services import create_person, invitation_url

    person = create_person(email="nueva@empresa.es", full_name="Nueva", invite=False)
    assert invitation_url(person, just_created=True) == invitation_url(person)
