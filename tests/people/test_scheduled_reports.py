"""Scheduled reports: HR (any report) and supervisors (their teams' assignments) save a filtered
export page with “Recibir por correo” and get it by email weekly or monthly, sent once per
period by the daily task, with a link to the live view; they list and delete their reports."""

from datetime import date, timedelta
from http import HTTPStatus
from urllib.parse import urlencode

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

import pytest

from courses.services import assign_course
from people.models import Notification, ReportFrequency, ScheduledReport
from people.reports import report_kind, schedule_report, send_scheduled_reports

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 15)


def schedule_url(kind, **filters):
    url = reverse("people:schedule_report", args=[kind])
    return f"{url}?{urlencode(filters)}" if filters else url


def test_hr_saves_the_filtered_certificates_as_a_weekly_report(client, hr, team):
    client.force_login(hr)
    listing = client.get(reverse("certification:hr_list"), {"status": "vigente", "team": team.pk})
    link = schedule_url("certificates", status="vigente", team=team.pk)
    assert link.replace("&", "&amp;") in listing.content.decode()
    page = client.get(link)
    text = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "Equipo Norte" in text and "vigente" in text  # the filters, as people read them
    response = client.post(link, {"frequency": ReportFrequency.WEEKLY})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("people:scheduled_reports")
    report = ScheduledReport.objects.get()
    assert report.owner == hr and report.kind == "certificates"
    assert report.filters == {"status": "vigente", "team": str(team.pk)}
    listing = client.get(reverse("people:scheduled_reports")).content.decode()
    assert "Certificados" in listing and "Equipo Norte" in listing


def test_saving_the_same_report_twice_keeps_one(client, hr):
    client.force_login(hr)
    for _ in range(2):
        client.post(schedule_url("audit_log", q="Lucía"), {"frequency": ReportFrequency.MONTHLY})
    assert ScheduledReport.objects.count() == 1
    client.post(schedule_url("audit_log", q="Lucía"), {"frequency": ReportFrequency.WEEKLY})
    assert ScheduledReport.objects.count() == 2


def test_a_frequency_must_be_chosen(client, hr):
    client.force_login(hr)
    response = client.post(schedule_url("certificates"), {"frequency": "diario"})
    assert response.status_code == HTTPStatus.OK
    assert 'id="id_frequency_error"' in response.content.decode()
    assert not ScheduledReport.objects.exists()


def test_unknown_filter_keys_are_dropped_and_bad_values_refused(client, hr, supervisor, other_team):
    client.force_login(hr)
    client.post(
        schedule_url("certificates", status="vigente", page=3, x="y"), {"frequency": "semanal"}
    )
    assert ScheduledReport.objects.get().filters == {"status": "vigente"}
    response = client.get(schedule_url("certificates", status="inventado"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    client.force_login(supervisor)
    response = client.post(
        schedule_url("assignments", team=other_team.pk), {"frequency": "semanal"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST  # not one of their teams
    assert ScheduledReport.objects.count() == 1


# Who may schedule what: HR every report; a supervisor their teams' assignments and matrix.
EXPECTED = {
    "anonymous": {"certificates": 302, "audit_log": 302, "assignments": 302,
                  "progress_matrix": 302},
    "agent": {"certificates": 403, "audit_log": 403, "assignments": 403, "progress_matrix": 403},
    "editor": {"certificates": 403, "audit_log": 403, "assignments": 403, "progress_matrix": 403},
    "supervisor": {"certificates": 403, "audit_log": 403, "assignments": 200,
                   "progress_matrix": 200},
    "other_supervisor": {"certificates": 403, "audit_log": 403, "assignments": 200,
                         "progress_matrix": 200},
    "hr": {"certificates": 200, "audit_log": 200, "assignments": 200, "progress_matrix": 200},
}  # fmt: skip


@pytest.mark.parametrize("viewer", EXPECTED)
@pytest.mark.parametrize("kind", ["certificates", "audit_log", "assignments", "progress_matrix"])
def test_who_may_schedule_which_report(client_for, request, team, viewer, kind):
    person = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    client = client_for(person)
    assert client.get(schedule_url(kind)).status_code == EXPECTED[viewer][kind]
    assert (
        client.post(schedule_url(kind), {"frequency": "semanal"}).status_code
        in {
            200: {302},
            302: {302},
            403: {403},
        }[EXPECTED[viewer][kind]]
    )
    saved = ScheduledReport.objects.filter(kind=kind).exists()
    assert saved is (EXPECTED[viewer][kind] == 200)


def test_an_unknown_report_is_not_found(client, hr):
    client.force_login(hr)
    assert client.get(schedule_url("nominas")).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("viewer", ["anonymous", "agent", "supervisor", "hr", "editor"])
def test_everyone_signed_in_lists_only_their_own_reports(client_for, request, hr, viewer):
    schedule_report(
        owner=hr, kind=report_kind("certificates"), filters={}, frequency=ReportFrequency.WEEKLY
    )
    person = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    response = client_for(person).get(reverse("people:scheduled_reports"))
    if person is None:
        assert response.status_code == HTTPStatus.FOUND
        return
    assert response.status_code == HTTPStatus.OK
    rows = response.content.decode().count("/borrar/")
    assert rows == (1 if viewer == "hr" else 0)


def test_deleting_asks_first_and_touches_only_ones_own(client, hr, user_factory):
    from people.models import Role

    report = schedule_report(
        owner=hr, kind=report_kind("certificates"), filters={}, frequency=ReportFrequency.MONTHLY
    )
    url = reverse("people:delete_scheduled_report", args=[report.pk])
    other_hr = user_factory(roles=[Role.HR])
    client.force_login(other_hr)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(hr)
    confirm = client.get(url)
    assert confirm.status_code == HTTPStatus.OK and ScheduledReport.objects.exists()
    assert "Certificados" in confirm.content.decode()
    assert 'name="csrfmiddlewaretoken"' in confirm.content.decode()
    assert client.post(url).status_code == HTTPStatus.FOUND
    assert not ScheduledReport.objects.exists()


# Sending ---------------------------------------------------------------------------------


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """send_scheduled_reports, its transactions committed: each email leaves on commit."""

    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return send_scheduled_reports(today)

    return run


@pytest.fixture
def assignments_report(supervisor, agent, teammate, team, course_factory):
    course = course_factory(title="Cortesía telefónica", lessons=1)
    assign_course(
        actor=supervisor, course=course, team=team, due_on=date.today() + timedelta(days=9),
        notify=False,
    )  # fmt: skip
    mail.outbox.clear()
    return schedule_report(
        owner=supervisor,
        kind=report_kind("assignments"),
        filters={"team": str(team.pk), "status": "sin-iniciar"},
        frequency=ReportFrequency.WEEKLY,
    )


def test_a_weekly_report_is_sent_once_a_week_with_a_link_to_the_live_view(
    send, assignments_report, supervisor, team, settings
):
    assert send(MONDAY) == 1
    assert send(MONDAY) == 0
    assert send(MONDAY + timedelta(days=6)) == 0  # same ISO week
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [supervisor.email]
    query = urlencode({"team": team.pk, "status": "sin-iniciar"})
    site = settings.SITE_URL.rstrip("/")
    assert f"{site}{reverse('courses:team_assignments')}?{query}" in message.body
    assert f"{site}{reverse('courses:team_assignments_export', args=['xlsx'])}?{query}" in (
        message.body
    )
    assert "Equipo Norte" in message.body
    assert "today: 2." in message.body or "hoy: 2." in message.body  # Lucía and Javier
    notification = Notification.objects.get(person=supervisor)
    assert notification.kind == Notification.Kind.REPORT
    assert notification.url == f"{reverse('courses:team_assignments')}?{query}"
    assert send(MONDAY + timedelta(days=7)) == 1
    assert len(mail.outbox) == 2


def test_a_monthly_report_is_sent_once_a_month(send, hr):
    schedule_report(
        owner=hr, kind=report_kind("certificates"), filters={}, frequency=ReportFrequency.MONTHLY
    )
    assert send(date(2027, 3, 1)) == 1
    assert send(date(2027, 3, 31)) == 0
    assert send(date(2027, 4, 2)) == 1
    assert len(mail.outbox) == 2


def test_the_daily_command_sends_each_report_once(
    assignments_report, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notifications")
        call_command("send_notifications")
    assert len(mail.outbox) == 1
    assert "0 scheduled reports" in capsys.readouterr().out


def test_a_supervisor_who_left_the_team_gets_no_more_of_its_people(
    send, assignments_report, supervisor, team
):
    team.supervisors.remove(supervisor)
    assert send(MONDAY) == 0
    assert mail.outbox == []


def test_a_report_on_a_team_no_longer_directed_is_not_sent(
    send, assignments_report, supervisor, team, other_team
):
    other_team.supervisors.add(supervisor)  # still a supervisor, of another team
    team.supervisors.remove(supervisor)
    assert send(MONDAY) == 0
    assert mail.outbox == []


def test_an_inactive_person_receives_nothing(send, assignments_report, supervisor):
    supervisor.is_active = False
    supervisor.save(update_fields=["is_active"])
    assert send(MONDAY) == 0
    assert mail.outbox == []


def test_a_deleted_report_is_not_sent(send, client, assignments_report, supervisor):
    client.force_login(supervisor)
    client.post(reverse("people:delete_scheduled_report", args=[assignments_report.pk]))
    assert send(MONDAY) == 0
    assert mail.outbox == []


def test_a_supervisor_receives_the_progress_matrix_of_their_team(
    client, send, supervisor, agent, team
):
    from certification.models import Programme

    Programme.objects.create(name="Agente certificado")
    client.force_login(supervisor)
    matrix = client.get(reverse("certification:progress_matrix"), {"team": team.pk})
    link = schedule_url("progress_matrix", team=team.pk)
    assert link in matrix.content.decode()
    client.post(link, {"frequency": ReportFrequency.MONTHLY})
    report = ScheduledReport.objects.get(owner=supervisor, kind="progress_matrix")
    assert report.filters == {"team": str(team.pk)}
    assert send(date(2027, 3, 1)) == 1
    body = mail.outbox[-1].body
    assert reverse("certification:progress_matrix") + f"?team={team.pk}" in body
    assert "today: 1." in body or "hoy: 1." in body  # Lucía, the one agent of the team


def test_the_list_takes_the_same_queries_for_2_or_20_reports(
    client, hr, team, django_assert_max_num_queries
):
    """Each report's filters are shown through its form: one look-up per saved team or
    programme filter at most, bounded by the page (25 reports)."""
    client.force_login(hr)
    kind = report_kind("certificates")
    statuses = ["vigente", "vencido", "revocado", ""]
    for size in (2, 20):
        while ScheduledReport.objects.count() < size:
            n = ScheduledReport.objects.count()
            ScheduledReport.objects.create(
                owner=hr,
                kind=kind.key,
                filters={"status": statuses[n % 4], "q": f"nombre {n}"},
                frequency=ReportFrequency.WEEKLY,
            )
        with django_assert_max_num_queries(12):
            response = client.get(reverse("people:scheduled_reports"))
        assert response.content.decode().count("/borrar/") == size
