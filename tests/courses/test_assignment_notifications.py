"""Every assignment email is one channel of a notification written in the same transaction:
rolled back, nothing is told; done twice, it is told once."""

from datetime import date, timedelta

from django.core import mail
from django.db import transaction
from django.utils import timezone, translation

import pytest

from courses.models import Assignment
from courses.notifications import send_due_reminders, send_overdue_notices
from courses.services import AssignmentRefused, assign_course, change_due_date, move_due_dates
from people.models import Notification

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
SOON = timezone.localdate() + timedelta(days=14)


def told(person, kind):
    return list(Notification.objects.filter(person=person, kind=kind))


def test_a_new_assignment_is_one_notification_and_one_email(
    supervisor, agent, team, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign_course(actor=supervisor, course=course, team=team, people=[agent], due_on=SOON)
        assign_course(actor=supervisor, course=course, team=team, people=[agent], due_on=SOON)
    (notification,) = told(agent, Kind.ASSIGNED)
    assert notification.url == course.url
    with translation.override("en"):
        assert notification.message.startswith(f"New course for you: {course.title}, due on")
    assert [m.to for m in mail.outbox] == [[agent.email]]


def test_an_assignment_rolled_back_tells_nobody(
    supervisor, agent, team, course, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
        raise RuntimeError("the request failed after assigning")
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_due_date_change_says_from_when_to_when(
    supervisor, agent, team, course, django_capture_on_commit_callbacks
):
    (assignment,) = assign_course(
        actor=supervisor, course=course, team=team, people=[agent], due_on=SOON, notify=False
    )
    later = SOON + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        change_due_date(actor=supervisor, assignment=assignment, due_on=later)
        change_due_date(actor=supervisor, assignment=assignment, due_on=later)  # no change
    (notification,) = told(agent, Kind.DUE_DATE_CHANGED)
    assert notification.params["previous_on"] == SOON.isoformat()
    assert notification.params["due_on"] == later.isoformat()
    assert len(mail.outbox) == 1


def test_a_refused_bulk_change_tells_nobody(
    supervisor, agent, outsider, other_supervisor, other_team, team, course
):
    (own,) = assign_course(
        actor=supervisor, course=course, team=team, people=[agent], due_on=SOON, notify=False
    )
    (foreign,) = assign_course(
        actor=other_supervisor,
        course=course,
        team=other_team,
        people=[outsider],
        due_on=SOON,
        notify=False,
    )
    with pytest.raises(AssignmentRefused):
        move_due_dates(actor=supervisor, assignments=[own, foreign], due_on=SOON + timedelta(1))
    assert not Notification.objects.exists() and mail.outbox == []


def test_reminders_and_overdue_notices_are_told_once_however_often_the_job_runs(
    supervisor, agent, team, course, django_capture_on_commit_callbacks
):
    due = date(2027, 3, 10)
    assign_course(actor=supervisor, course=course, team=team, people=[agent], due_on=SOON,
                  notify=False)  # fmt: skip
    Assignment.objects.update(due_on=due)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            send_due_reminders(due - timedelta(days=2))
            send_overdue_notices(due + timedelta(days=1))
    assert len(told(agent, Kind.DUE_SOON)) == 1 and len(told(agent, Kind.OVERDUE)) == 1
    assert len(mail.outbox) == 2


def test_a_reminder_whose_transaction_fails_is_sent_by_the_next_run(
    supervisor, agent, team, course, monkeypatch, django_capture_on_commit_callbacks
):
    due = date(2027, 3, 10)
    assign_course(actor=supervisor, course=course, team=team, people=[agent], due_on=SOON,
                  notify=False)  # fmt: skip
    Assignment.objects.update(due_on=due)

    def broken(**kwargs):
        raise ConnectionError("the database went away mid-way")

    monkeypatch.setattr("courses.notifications.notify", broken)
    with pytest.raises(ConnectionError):
        send_due_reminders(due - timedelta(days=1))
    assert Assignment.objects.get().reminded_on is None  # the claim was rolled back too
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(due - timedelta(days=1)) == 1
    assert len(told(agent, Kind.DUE_SOON)) == 1 and len(mail.outbox) == 1
