"""Double clicks on “add person” (real threads on PostgreSQL): one person, one invitation,
and a form error instead of a server error."""

from http import HTTPStatus

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest

from people import services
from people.models import Role, User
from tests.threads import race

requires_postgresql = pytest.mark.postgresql  # SQLite serialises writers
TRIALS = 10


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_creates_of_one_email_make_one_person_and_refuse_the_rest(team):
    failed = []
    for trial in range(TRIALS):
        mail.outbox.clear()
        email = f"doble{trial}@empresa.es"

        def create(email=email):
            return services.create_person(email=email, full_name="Doble Clic", team=team)

        outcomes = race(*[create] * 4)
        created = [o for o in outcomes if isinstance(o, User)]
        refused = [o for o in outcomes if isinstance(o, services.PersonExists)]
        invitations = [m for m in mail.outbox if m.to == [email]]
        if len(created) != 1 or len(refused) != 3 or len(invitations) != 1:
            failed.append((trial, outcomes, len(invitations)))
    assert failed == [], f"{len(failed)} of {TRIALS} trials: {failed[:1]}"


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_creates_with_one_employee_number_make_one_person(team):
    failed = []
    for trial in range(TRIALS):
        calls = [
            lambda n=n, trial=trial: services.create_person(
                email=f"num{trial}-{n}@empresa.es", full_name="Número", employee_number=f"N{trial}"
            )
            for n in range(3)
        ]
        outcomes = race(*calls)
        refused = [o for o in outcomes if isinstance(o, services.PersonExists)]
        if len(refused) != 2 or User.objects.filter(employee_number=f"N{trial}").count() != 1:
            failed.append((trial, outcomes))
    assert failed == [], f"{len(failed)} of {TRIALS} trials: {failed[:1]}"


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_on_add_person_never_answers_a_server_error(hr, team):
    failed = []
    for trial in range(TRIALS):
        mail.outbox.clear()
        email = f"clic{trial}@empresa.es"
        data = {"email": email, "full_name": "Doble Clic", "role": Role.AGENT, "team": team.pk}
        clients = []
        for _ in range(4):
            client = Client(raise_request_exception=False)
            client.force_login(hr)
            clients.append(client)
        outcomes = race(
            *[lambda c=c, d=data: c.post(reverse("people:person_create"), d) for c in clients]
        )
        codes = sorted(getattr(o, "status_code", o) for o in outcomes)
        refusals = [
            o
            for o in outcomes
            if o.status_code == HTTPStatus.OK
            and "Ya existe una persona con este correo" in o.content.decode()
        ]
        if (
            codes.count(HTTPStatus.FOUND) != 1
            or len(refusals) != 3
            or User.objects.filter(email=email).count() != 1
            or len([m for m in mail.outbox if m.to == [email]]) != 1
        ):
            failed.append((trial, codes))
    assert failed == [], f"{len(failed)} of {TRIALS} trials: {failed[:3]}"


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_confirmed_import_is_applied_once_however_many_confirm_or_run_it(hr, team, settings):
    from django_tasks_db.models import DBTaskResult

    from people.models import PeopleImport

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = [f"lote{i}@empresa.es,Persona {i},Equipo Norte,Agente," for i in range(300)]
    people_import = PeopleImport.objects.create(
        uploaded_by=hr,
        filename="lote.csv",
        content="email,nombre,equipo,rol\n" + "\n".join(rows),
        encoding="utf-8",
    )
    confirms = race(*[lambda: services.confirm_import(people_import=people_import, by=hr)] * 4)
    assert sum(isinstance(o, services.AlreadyConfirmed) for o in confirms) == 3, confirms
    assert DBTaskResult.objects.filter(task_path__endswith="run_people_import").count() == 1

    runs = race(*[lambda: services.execute_import(import_id=people_import.pk)] * 3)
    assert not [o for o in runs if isinstance(o, Exception)], runs
    people_import.refresh_from_db()
    assert people_import.status == "done" and people_import.summary["created"] == 300
    assert User.objects.filter(email__startswith="lote").count() == 300
    assert DBTaskResult.objects.filter(task_path__endswith="send_email").count() == 300
