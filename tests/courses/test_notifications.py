"""Reminders, overdue notices and the weekly digest; opting out."""

from datetime import date, timedelta

from django.core import mail
from django.core.management import call_command

import pytest

from courses.models import Assignment
from courses.notifications import send_due_reminders, send_overdue_notices, send_weekly_digests
from courses.services import assign_course
from people.models import Channel, Notification
from people.notifications import save_preferences, wants

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a daily job as cron would: each notice commits on its own and its email leaves then."""

    def job(send, day):
        with django_capture_on_commit_callbacks(execute=True):
            return send(day)

    return job


DUE = date(2027, 3, 10)


@pytest.fixture
def assigned(supervisor, agent, teammate, team, course):
    assign_course(actor=supervisor, course=course, team=team, due_on=date.today(), notify=False)
    Assignment.objects.update(due_on=DUE)
    return Assignment.objects.all()


def test_a_reminder_goes_out_once_three_days_before(assigned, agent, teammate, run):
    assert run(send_due_reminders, DUE - timedelta(days=4)) == 0
    assert run(send_due_reminders, DUE - timedelta(days=3)) == 2
    assert run(send_due_reminders, DUE - timedelta(days=2)) == 0  # already reminded
    message = next(m for m in mail.outbox if m.to == [agent.email])
    assert "vence el 10 de marzo" in message.subject
    assert message.alternatives and "text/html" in message.alternatives[0][1]


def test_people_who_turned_reminder_emails_off_get_none_but_see_them_on_the_site(
    assigned, agent, teammate, run
):
    save_preferences(
        person=agent,
        choices={(Kind.DUE_SOON, Channel.EMAIL): False, (Kind.OVERDUE, Channel.EMAIL): False},
    )
    run(send_due_reminders, DUE - timedelta(days=1))
    run(send_overdue_notices, DUE + timedelta(days=1))
    assert {tuple(m.to) for m in mail.outbox} == {(teammate.email,)}
    assert sorted(Notification.objects.filter(person=agent).values_list("kind", flat=True)) == [
        Kind.DUE_SOON,
        Kind.OVERDUE,
    ]


def test_an_overdue_notice_goes_out_once(assigned, run):
    assert run(send_overdue_notices, DUE) == 0  # due today is not overdue yet
    assert run(send_overdue_notices, DUE + timedelta(days=1)) == 2
    assert run(send_overdue_notices, DUE + timedelta(days=5)) == 0
    assert "Curso vencido" in mail.outbox[0].subject


def test_the_weekly_digest_names_the_overdue_people_once_a_week(assigned, supervisor, run):
    monday = date(2027, 3, 15)
    assert run(send_weekly_digests, monday) == 1
    assert run(send_weekly_digests, monday + timedelta(days=2)) == 0
    message = mail.outbox[-1]
    assert message.to == [supervisor.email] and "2 vencidas" in message.subject
    assert "Lucía Fernández" in message.body and "Javier Moreno" in message.body


def test_the_daily_command_is_safe_to_run_twice(assigned, capsys):
    call_command("send_notifications", "--digest")
    call_command("send_notifications", "--digest")
    assert "0 reminders, 0 overdue notices, 0 digests" in capsys.readouterr().out


# Retries, timeouts and failed sends: tests/people/test_email_delivery.py


def test_the_preferences_page_turns_reminders_off(client, agent):
    client.force_login(agent)
    client.post("/avisos/", {})  # every box unticked
    assert not wants(agent, Kind.DUE_SOON, Channel.EMAIL)
    assert not wants(agent, Kind.OVERDUE, Channel.SITE)
    assert wants(agent, Kind.ASSIGNED, Channel.EMAIL)  # assignments always arrive
