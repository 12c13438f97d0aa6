"""Reminders, overdue notices and the weekly digest; opting out."""

from datetime import date, timedelta

from django.core import mail
from django.core.management import call_command

import pytest

from courses.models import Assignment
from courses.notifications import send_due_reminders, send_overdue_notices, send_weekly_digests
from courses.services import assign_course

pytestmark = pytest.mark.django_db

DUE = date(2027, 3, 10)


@pytest.fixture
def assigned(supervisor, agent, teammate, team, course):
    assign_course(actor=supervisor, course=course, team=team, due_on=date.today(), notify=False)
    Assignment.objects.update(due_on=DUE)
    return Assignment.objects.all()


def test_a_reminder_goes_out_once_three_days_before(assigned, agent, teammate):
    assert send_due_reminders(DUE - timedelta(days=4)) == 0
    assert send_due_reminders(DUE - timedelta(days=3)) == 2
    assert send_due_reminders(DUE - timedelta(days=2)) == 0  # already reminded
    message = next(m for m in mail.outbox if m.to == [agent.email])
    assert "vence el 10 de marzo" in message.subject
    assert message.alternatives and "text/html" in message.alternatives[0][1]


def test_people_who_turned_reminders_off_get_none(assigned, agent, teammate):
    agent.wants_reminders = False
    agent.save()
    send_due_reminders(DUE - timedelta(days=1))
    send_overdue_notices(DUE + timedelta(days=1))
    assert {tuple(m.to) for m in mail.outbox} == {(teammate.email,)}


def test_an_overdue_notice_goes_out_once(assigned):
    assert send_overdue_notices(DUE) == 0  # due today is not overdue yet
    assert send_overdue_notices(DUE + timedelta(days=1)) == 2
    assert send_overdue_notices(DUE + timedelta(days=5)) == 0
    assert "Curso vencido" in mail.outbox[0].subject


def test_the_weekly_digest_names_the_overdue_people_once_a_week(assigned, supervisor):
    monday = date(2027, 3, 15)
    assert send_weekly_digests(monday) == 1
    assert send_weekly_digests(monday + timedelta(days=2)) == 0
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
    client.post("/avisos/", {})
    agent.refresh_from_db()
    assert not agent.wants_reminders
