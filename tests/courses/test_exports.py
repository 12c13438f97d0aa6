"""The assignments list and the audit log export what their pages show, every page of it, with
the page's filters, as CSV and XLSX: supervisors their teams' assignments, HR everything."""

import csv
import io
from datetime import date, datetime, timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from courses.services import assign_course
from people.models import Role

pytestmark = pytest.mark.django_db

# "Asignado" and "Asignado por" are new msgids (notes/reports.po.tsv): until the catalogue
# has them the Spanish export says "Assigned", so those two are not pinned in Spanish here.
ASSIGNMENT_HEADERS = {
    "es": ["Persona", "Número de empleado", "Correo electrónico", "Equipo", "Curso", None,
           "Vence", "Estado", "Completado", None],
    "en": ["Person", "Employee number", "Email", "Team", "Course", "Assigned", "Due", "Status",
           "Completed", "Assigned by"],
}  # fmt: skip


def same_header(row, expected):
    return len(row) == len(expected) and all(
        want is None or got == want for got, want in zip(row, expected, strict=True)
    )


def download(client, url, params=None, language="es"):
    client.cookies["django_language"] = language
    response = client.get(url, params or {})
    assert response.status_code == HTTPStatus.OK, response.status_code
    raw = b"".join(response.streaming_content)
    if url.endswith("/csv/"):
        assert raw.startswith("\ufeff".encode())
        delimiter = ";" if language == "es" else ","
        return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))
    return load_workbook(io.BytesIO(raw)).active


def export_url(name, fmt):
    return reverse(name, args=[fmt])


@pytest.fixture
def assigned(
    course_factory, supervisor, other_supervisor, agent, teammate, outsider, team, other_team
):
    """One course assigned to the supervisor's team (agent, teammate) and to the other team
    (outsider); the agent has an employee number."""
    agent.employee_number = "E-0042"
    agent.save(update_fields=["employee_number"])
    course = course_factory(title="Cortesía telefónica")
    due = timezone.localdate() + timedelta(days=10)
    assign_course(actor=supervisor, course=course, team=team, due_on=due, notify=False)
    assign_course(actor=other_supervisor, course=course, team=other_team, due_on=due, notify=False)
    return course


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_supervisor_exports_only_their_teams_assignments_as_csv(
    client, supervisor, assigned, language
):
    client.force_login(supervisor)
    rows = download(client, export_url("courses:team_assignments_export", "csv"), language=language)
    assert same_header(rows[0], ASSIGNMENT_HEADERS[language]), rows[0]
    people = {row[0] for row in rows[1:]}
    assert people == {"Lucía Fernández", "Javier Moreno"}
    lucia = next(row for row in rows[1:] if row[0] == "Lucía Fernández")
    assert lucia[1] == "E-0042" and lucia[3] == "Equipo Norte" and lucia[4] == "Cortesía telefónica"
    assert lucia[7] == {"es": "sin iniciar", "en": "not started"}[language]
    assert lucia[9] == "Marta Ruiz"
    assert lucia[6] == (timezone.localdate() + timedelta(days=10)).isoformat()


def test_the_xlsx_has_date_cells_and_the_page_filters(client, hr, assigned, other_team):
    client.force_login(hr)
    sheet = download(
        client, export_url("courses:team_assignments_export", "xlsx"), {"team": other_team.pk}
    )
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == ["Sofía Herrera"]
    assigned_on, due = rows[0][5], rows[0][6]
    assert assigned_on.is_date and due.is_date
    due_on = timezone.localdate() + timedelta(days=10)
    assert due.value == datetime(due_on.year, due_on.month, due_on.day)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.auto_filter.ref == "A1:J2"


def test_the_filters_narrow_the_page_and_the_export_alike(client, hr, assigned, agent):
    client.force_login(hr)
    filters = {"q": "lucía", "status": "sin-iniciar"}
    page = client.get(reverse("courses:team_assignments"), filters).content.decode()
    assert "Lucía Fernández" in page and "Sofía Herrera" not in page
    assert "q=luc%C3%ADa" in page  # the export links keep the filters
    rows = download(client, export_url("courses:team_assignments_export", "csv"), filters)
    assert [row[0] for row in rows[1:]] == ["Lucía Fernández"]
    rows = download(
        client, export_url("courses:team_assignments_export", "csv"), {"status": "completado"}
    )
    assert rows[1:] == []


def test_a_supervisor_cannot_filter_on_another_team(client, supervisor, assigned, other_team):
    client.force_login(supervisor)
    page = client.get(reverse("courses:team_assignments"), {"team": other_team.pk})
    assert "Sofía Herrera" not in page.content.decode()
    rows = download(
        client, export_url("courses:team_assignments_export", "csv"), {"team": other_team.pk}
    )
    assert "Sofía Herrera" not in {row[0] for row in rows}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("anonymous", HTTPStatus.FOUND),
        ("agent", HTTPStatus.FORBIDDEN),
        ("editor", HTTPStatus.FORBIDDEN),
        ("supervisor", HTTPStatus.OK),
        ("other_supervisor", HTTPStatus.OK),
        ("hr", HTTPStatus.OK),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_who_may_export_assignments(client_for, request, assigned, viewer, expected, fmt):
    person = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    response = client_for(person).get(export_url("courses:team_assignments_export", fmt))
    assert response.status_code == expected


def test_an_unknown_format_is_not_found(client, hr, supervisor):
    client.force_login(supervisor)
    assert client.get(export_url("courses:team_assignments_export", "pdf")).status_code == 404
    client.force_login(hr)
    assert client.get(export_url("courses:audit_log_export", "pdf")).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_assignments_export_takes_the_same_queries_for_10_or_100_people(
    client, hr, team, user_factory, course_factory, fmt, django_assert_max_num_queries
):
    course = course_factory(title="Volumen", lessons=1)
    client.force_login(hr)
    for size in (10, 100):
        while team.memberships.count() < size:
            user_factory(roles=[Role.AGENT], team=team)
        assign_course(
            actor=hr, course=course, team=team, due_on=date.today() + timedelta(days=5),
            notify=False,
        )  # fmt: skip
        with django_assert_max_num_queries(8):
            rows = download(client, export_url("courses:team_assignments_export", fmt))
        count = len(rows) if fmt == "csv" else rows.max_row
        assert count == size + 1


# The audit log -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("anonymous", HTTPStatus.FOUND),
        ("agent", HTTPStatus.FORBIDDEN),
        ("supervisor", HTTPStatus.FORBIDDEN),
        ("editor", HTTPStatus.FORBIDDEN),
        ("hr", HTTPStatus.OK),
    ],
)
def test_only_hr_exports_the_audit_log(client_for, request, viewer, expected):
    person = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    response = client_for(person).get(export_url("courses:audit_log_export", "csv"))
    assert response.status_code == expected


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_audit_log_export_labels_actions_and_keeps_the_search(client, hr, assigned, language):
    client.force_login(hr)
    page = client.get(reverse("courses:audit_log"), {"q": "Lucía"}).content.decode()
    assert reverse("courses:audit_log_export", args=["xlsx"]) + "?q=Luc%C3%ADa" in page
    rows = download(client, export_url("courses:audit_log_export", "csv"), {"q": "Lucía"}, language)
    assert rows[0] == {
        "es": ["Cuándo", "Quién", "Qué", "Persona", "Número de empleado", "Equipo",
               "Curso o programa", "Detalle", "Eventos"],
        "en": ["When", "Who", "What", "Person", "Employee number", "Team",
               "Course or programme", "Detail", "Events"],
    }[language]  # fmt: skip
    assert [row[3] for row in rows[1:]] == ["Lucía Fernández"]
    assert rows[1][1] == "Marta Ruiz"
    assert rows[1][2] == {"es": "asignado", "en": "assigned"}[language]
    assert rows[1][4:6] == ["E-0042", "Equipo Norte"]


def test_the_audit_log_xlsx_has_date_time_cells_and_certificate_events(client, hr, assigned, agent):
    from certification.models import Certificate, Programme
    from certification.services import revoke

    certificate = Certificate.objects.create(
        person=agent,
        programme=Programme.objects.create(name="Agente certificado"),
        expires_at=timezone.now() + timedelta(days=30),
    )
    revoke(certificate=certificate, actor=hr, reason="Emitido por error")
    client.force_login(hr)
    sheet = download(client, export_url("courses:audit_log_export", "xlsx"))
    when = sheet["A2"]
    assert when.is_date and when.number_format == "yyyy-mm-dd hh:mm"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    revoked = [row for row in rows if row[6] == "Agente certificado"]
    assert len(rows) - len(revoked) == 3  # three assignments, each "assigned"
    assert revoked and all(
        row[3:6] == ("Lucía Fernández", "E-0042", "Equipo Norte") for row in revoked
    )
    assert {row[8] for row in revoked} == {"Certificados"}


@pytest.mark.parametrize(
    "url",
    [
        "/aprendizaje/asignaciones/?q=%00&team=99999999999999999999&course=x&status=%00",
        "/aprendizaje/asignaciones/exportar/csv/?q=%00&team=99999999999999999999",
        "/aprendizaje/asignaciones/exportar/xlsx/?status=inventado",
        "/aprendizaje/registro/exportar/csv/?q=%00&source=%00",
        "/aprendizaje/registro/exportar/xlsx/?q=" + "x" * 5000,
    ],
)
def test_nul_and_huge_filter_values_answer_a_page_or_a_file(client, hr, team, url):
    client.force_login(hr)
    client.raise_request_exception = False
    assert client.get(url).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "url",
    [
        "/informes/nuevo/assignments/?team=99999999999999999999",
        "/informes/nuevo/certificates/?q=%00",
    ],
)
def test_nul_and_huge_filters_are_refused_when_scheduling(client, hr, team, url):
    client.force_login(hr)
    client.raise_request_exception = False
    assert client.get(url).status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_audit_log_export_takes_the_same_queries_for_10_or_100_people(
    client, hr, team, user_factory, course_factory, fmt, django_assert_max_num_queries
):
    course = course_factory(title="Volumen", lessons=1)
    client.force_login(hr)
    for size in (10, 100):
        while team.memberships.count() < size:
            user_factory(roles=[Role.AGENT], team=team)
        assign_course(
            actor=hr, course=course, team=team, due_on=date.today() + timedelta(days=5),
            notify=False,
        )  # fmt: skip
        with django_assert_max_num_queries(6):
            rows = download(client, export_url("courses:audit_log_export", fmt))
        count = len(rows) if fmt == "csv" else rows.max_row
        assert count == size + 1
