from http import HTTPStatus

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from people.importing import RowPlan, decode_upload, plan_import, read_import
from people.models import Membership, PeopleImport, Role, Team, User

pytestmark = pytest.mark.django_db

GOOD = (
    "email,nombre,equipo,rol,número de empleado\n"
    "ana.lopez@empresa.es,Ana López,Equipo Norte,Agente,E-1\n"
    "luis.martin@empresa.es,Luis Martín,Equipo Norte,Supervisor,E-2\n"
    "eva.sanz@empresa.es,Eva Sanz,,RRHH,\n"
)


@pytest.fixture
def hr_client(client, hr, team):
    client.force_login(hr)
    return client


def upload(client, content, name="personas.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(reverse("people:import_upload"), {"file": SimpleUploadedFile(name, data)})


def confirm(client, response, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("people:import_confirm", args=[PeopleImport.objects.latest("pk").pk]),
            follow=True,
        )


def test_a_good_file_previews_then_imports_everyone(
    hr_client, team, django_capture_on_commit_callbacks
):
    response = upload(hr_client, GOOD)
    assert response.status_code == HTTPStatus.FOUND
    preview = hr_client.get(response.url)
    html = preview.content.decode()
    assert "Ana López" in html and "Nuevo: recibirá una invitación" in html
    assert not User.objects.filter(email="ana.lopez@empresa.es").exists()  # nothing yet

    confirm(hr_client, response, django_capture_on_commit_callbacks)
    result = hr_client.get(response.url).content.decode()  # the task has run meanwhile
    assert (
        "3 personas añadidas (invitaciones enviadas), 0 personas actualizadas, "
        "0 personas sin cambios, 0 filas omitidas" in result
    )
    ana = User.objects.get(email="ana.lopez@empresa.es")
    assert ana.full_name == "Ana López" and ana.employee_number == "E-1"
    assert ana.current_team == team and ana.is_agent
    luis = User.objects.get(email="luis.martin@empresa.es")
    assert luis.is_supervisor and team in luis.supervised_teams.all()
    assert luis.current_team is None
    assert User.objects.get(email="eva.sanz@empresa.es").is_hr
    assert not ana.has_usable_password()


def test_new_people_get_an_invitation_whose_link_sets_their_password(
    client, hr_client, team, django_capture_on_commit_callbacks
):
    response = upload(hr_client, GOOD)
    confirm(hr_client, response, django_capture_on_commit_callbacks)
    invitation = next(m for m in mail.outbox if m.to == ["ana.lopez@empresa.es"])
    assert "Ana López" in invitation.body
    assert invitation.alternatives and "text/html" in invitation.alternatives[0][1]
    link = invitation.body.split("http://testserver", 1)[1].split()[0]

    hr_client.logout()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": "mi-clave-nueva-55", "password2": "mi-clave-nueva-55"})
    client.logout()
    assert client.login(email="ana.lopez@empresa.es", password="mi-clave-nueva-55")


def test_reimporting_the_same_file_changes_nothing(
    hr_client, team, django_capture_on_commit_callbacks
):
    confirm(hr_client, upload(hr_client, GOOD), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    people_before = list(User.objects.values_list("email", "full_name", "employee_number"))
    memberships_before = Membership.objects.count()

    preview = hr_client.get(upload(hr_client, GOOD).url).content.decode()
    assert "Sin cambios" in preview
    assert "Importar" not in preview.split("</table>")[1]  # no button: nothing to import
    assert list(User.objects.values_list("email", "full_name", "employee_number")) == people_before
    assert Membership.objects.count() == memberships_before
    assert mail.outbox == []


def test_an_existing_person_is_updated_and_moved_keeping_history(
    hr_client, team, other_team, agent, django_capture_on_commit_callbacks
):
    content = f"email,nombre,equipo\n{agent.email},Lucía Fernández Gil,Equipo Sur\n"
    preview = hr_client.get(upload(hr_client, content).url).content.decode()
    assert "equipo: Equipo Norte → Equipo Sur" in preview
    confirm(hr_client, None, django_capture_on_commit_callbacks)
    agent.refresh_from_db()
    agent.__dict__.pop("current_membership", None)
    assert agent.full_name == "Lucía Fernández Gil"
    assert agent.current_team == other_team
    assert list(agent.memberships.values_list("team__name", flat=True)) == [
        "Equipo Sur",
        "Equipo Norte",
    ]
    assert mail.outbox == []  # no invitation for people who already have an account


def test_bad_rows_are_reported_one_by_one(team, agent):
    content = (
        "Correo;Nombre completo;Equipo;Rol;Nº de empleado\n"
        "no-es-un-correo;Persona Uno;Equipo Norte;Agente;\n"
        "dos@empresa.es;;Equipo Norte;Agente;\n"
        "tres@empresa.es;Persona Tres;Equipo Fantasma;Agente;\n"
        "cuatro@empresa.es;Persona Cuatro;;Jefe;\n"
        "cinco@empresa.es;Persona Cinco;;;E-9\n"
        "CINCO@empresa.es;Persona Cinco Bis;;;\n"
        "seis@empresa.es;Persona Seis;;;E-9\n"
        f"siete@empresa.es;Persona Siete;;;{agent.employee_number or 'X-1'}\n"
    )
    agent.employee_number = "X-1"
    agent.save()
    plan = plan_import(read_import(content))
    errors = {row.line: " ".join(row.errors) for row in plan.rows}
    assert "no es una dirección de correo válida" in errors[2]
    assert "Falta el nombre" in errors[3]
    assert "Equipo desconocido «Equipo Fantasma»" in errors[4]
    assert "Rol desconocido «Jefe»" in errors[5]
    assert errors[6] == ""
    assert "ya está en la línea 6" in errors[7]
    assert "E-9 ya está en la línea 6" in errors[8]
    assert f"pertenece a {agent.email}" in errors[9]
    assert plan.counts == {"new": 1, "update": 0, "unchanged": 0, "error": 7}


def test_only_valid_rows_go_in_and_errors_are_skipped(
    hr_client, team, django_capture_on_commit_callbacks
):
    content = GOOD + "malo,Sin Correo,,,\n"
    preview = hr_client.get(upload(hr_client, content).url).content.decode()
    assert "Importar 3 filas" in preview and "1 fila con errores se omitirá" in preview
    confirm(hr_client, None, django_capture_on_commit_callbacks)
    assert User.objects.filter(email__endswith="@empresa.es").count() == 3


def queued_tasks(name):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith=name, status="READY")


def run_queued_import():
    """What the worker does with the queued import task."""
    from people.services import execute_import

    (task,) = queued_tasks("run_people_import")
    task.delete()
    execute_import(**task.args_kwargs["kwargs"])


def test_nothing_is_half_imported_when_a_row_fails_to_save(
    hr_client, team, monkeypatch, settings, django_capture_on_commit_callbacks
):
    """The second invitation fails to queue: the people, their roles and teams and the first
    invitation are all rolled back, and the page says so and offers to try again."""
    from people import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    real_invite = services.send_invitation
    calls = []

    def failing_invite(**kwargs):
        calls.append(kwargs["person"].email)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_invite(**kwargs)

    monkeypatch.setattr(services, "send_invitation", failing_invite)
    response = upload(hr_client, GOOD)
    confirm(hr_client, None, django_capture_on_commit_callbacks)
    with pytest.raises(RuntimeError):
        run_queued_import()
    assert len(calls) == 2
    assert not User.objects.filter(email__endswith="@empresa.es").exists()
    assert not Membership.objects.exists()
    assert not queued_tasks("send_email").exists()  # the first invitation went with its row
    people_import = PeopleImport.objects.latest("pk")
    assert people_import.status == "failed" and "went away" in people_import.error
    page = hr_client.get(response.url).content.decode()
    assert "no se importó nada" in page and "Importar 3 filas" in page

    monkeypatch.setattr(services, "send_invitation", real_invite)
    confirm(hr_client, None, django_capture_on_commit_callbacks)  # confirmed again: it works
    run_queued_import()
    assert User.objects.filter(email__endswith="@empresa.es").count() == 3
    assert queued_tasks("send_email").count() == 3


def test_a_confirmed_import_shows_its_progress_until_done(
    hr_client, team, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = upload(hr_client, GOOD)
    confirm(hr_client, None, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(12):
        page = hr_client.get(response.url).content.decode()
    assert '<meta http-equiv="refresh"' in page and "<script" not in page.split("</head>")[0]
    assert '<progress max="3" value="0"' in page and "0 de 3 filas importadas" in page
    assert "Importar 3 filas" not in page  # no second confirm button while it is queued
    again = confirm(hr_client, None, django_capture_on_commit_callbacks)
    assert "ya se había importado" in again.content.decode()
    assert queued_tasks("run_people_import").count() == 1

    run_queued_import()
    from people.services import execute_import

    done = PeopleImport.objects.latest("pk")
    assert execute_import(import_id=done.pk) is None  # a retried task does nothing twice
    page = hr_client.get(response.url).content.decode()
    assert '<meta http-equiv="refresh"' not in page
    assert "3 personas añadidas" in page
    assert User.objects.filter(email__endswith="@empresa.es").count() == 3
    assert queued_tasks("send_email").count() == 3


def test_confirming_twice_imports_once(hr_client, team, django_capture_on_commit_callbacks):
    upload(hr_client, GOOD)
    confirm(hr_client, None, django_capture_on_commit_callbacks)
    second = confirm(hr_client, None, django_capture_on_commit_callbacks)
    assert "ya se había importado" in second.content.decode()
    assert User.objects.filter(email__endswith="@empresa.es").count() == 3


def test_a_bom_and_windows_line_ends_are_read(team):
    text, encoding = decode_upload(("\ufeff" + GOOD.replace("\n", "\r\n")).encode("utf-8"))
    assert encoding == "utf-8"
    plan = plan_import(read_import(text))
    assert [row.email for row in plan.rows][0] == "ana.lopez@empresa.es"
    assert plan.counts["new"] == 3


def test_a_windows_1252_file_is_read_with_a_warning(hr_client, team):
    response = upload(hr_client, GOOD.encode("cp1252"))
    html = hr_client.get(response.url).content.decode()
    assert "Ana López" in html
    assert "windows-1252" in html


def test_a_binary_file_is_refused_with_a_clear_error(hr_client):
    response = upload(hr_client, b"PK\x03\x04\x00\x00binary", name="personas.xlsx")
    assert response.status_code == HTTPStatus.OK
    assert "no es un archivo de texto CSV" in response.content.decode()
    assert not PeopleImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "está vacío"),
        ("nombre,equipo\nAna,Equipo Norte\n", "«email» y «nombre» son obligatorias"),
        ("email,nombre\n\n\n", "no tiene personas"),
    ],
)
def test_unreadable_files_are_refused(hr_client, content, message):
    response = upload(hr_client, content)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()


def test_empty_lines_are_skipped_and_counted(team):
    plan = plan_import(read_import(GOOD.replace("\n", "\n\n", 2) + ",,,,\n"))
    assert plan.empty_lines == 3
    assert plan.counts["new"] == 3


def test_planning_uses_the_same_queries_for_ten_or_two_hundred_rows(
    team, user_factory, django_assert_max_num_queries
):
    def file_of(n):
        rows = [f"p{i}@empresa.es,Persona {i},Equipo Norte,Agente,N-{i}" for i in range(n)]
        return read_import("email,nombre,equipo,rol,número de empleado\n" + "\n".join(rows))

    for i in range(0, 200, 2):  # half of them already exist
        user_factory(email=f"p{i}@empresa.es", roles=[Role.AGENT], team=team)
    for size in (10, 200):
        with django_assert_max_num_queries(7):
            plan = plan_import(file_of(size))
            assert all(row.status != RowPlan.ERROR for row in plan.rows)


def test_teams_must_exist_before_import(db):
    assert not Team.objects.exists()
    plan = plan_import(read_import("email,nombre,equipo\nx@empresa.es,X,Equipo Norte\n"))
    assert plan.rows[0].status == RowPlan.ERROR
