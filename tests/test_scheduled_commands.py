"""Two runs of a scheduled command at once (two hosts, an overlapping timer) do the work once:
each command takes a lock (an advisory lock on PostgreSQL, a lease row on SQLite) and marks
each item before acting on it, so a second run does nothing."""

import io
import threading
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

import pytest

from certification.models import Certificate, CertificateEvent, Programme
from courses.models import Assignment
from courses.services import assign_course
from people.locks import exclusive
from people.models import OutgoingEmail, Role

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Two runs in threads need a database that lets two connections wait for each other: the
# SQLite test database lives in shared-cache memory, which answers "table is locked" at once
# instead of waiting, so these run in the PostgreSQL pass; the lease itself is tested on both
# (a run that finds the lock taken).
together = pytest.mark.postgresql


def run_twice_at_once(*command):
    """Start two runs of the command together; returns their outputs and errors."""
    barrier = threading.Barrier(2)
    outputs, errors = [], []

    def run():
        out = io.StringIO()
        try:
            barrier.wait()
            call_command(*command, stdout=out)
            outputs.append(out.getvalue())
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outputs, errors


def emails_per_recipient(template):
    rows = (
        OutgoingEmail.objects.filter(template=template)
        .values_list("to")
        .annotate(n=Count("pk"))
        .values_list("to", "n")
    )
    return {tuple(to): n for to, n in rows}


@pytest.fixture
def eighteen_assignments(user_factory, team, supervisor, course_factory):
    """Nine agents whose course is due in two days and nine whose course was due yesterday."""
    agents = [user_factory(roles=[Role.AGENT], team=team) for _ in range(18)]
    course = course_factory(lessons=1)
    today = timezone.localdate()
    assign_course(actor=supervisor, course=course, team=team, due_on=today, notify=False)
    soon = [a.pk for a in agents[:9]]
    Assignment.objects.filter(person_id__in=soon).update(due_on=today + timedelta(days=2))
    Assignment.objects.exclude(person_id__in=soon).update(due_on=today - timedelta(days=1))
    return agents


@together
def test_two_notification_runs_at_once_queue_each_reminder_and_notice_once(
    eighteen_assignments,
):
    outputs, errors = run_twice_at_once("send_notifications")
    assert errors == []
    reminders = emails_per_recipient("courses/email/reminder")
    notices = emails_per_recipient("courses/email/overdue")
    assert len(reminders) == 9 and set(reminders.values()) == {1}
    assert len(notices) == 9 and set(notices.values()) == {1}
    assert len(outputs) == 2


@pytest.fixture
def expiring_certificates(user_factory, team, course_factory):
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(title="Curso base", slug="curso-base", lessons=1)])
    programme.save()
    now = timezone.now()
    certificates = []
    for n in range(6):
        person = user_factory(roles=[Role.AGENT], team=team)
        expires = now - timedelta(days=1) if n % 2 else now + timedelta(days=10)
        certificates.append(
            Certificate.objects.create(person=person, programme=programme, expires_at=expires)
        )
    return certificates


@together
def test_two_certificate_runs_at_once_handle_each_expiry_once_without_crashing(
    expiring_certificates,
):
    outputs, errors = run_twice_at_once("process_certificates")
    assert errors == []
    assert CertificateEvent.objects.filter(action="expired").count() == 3
    assert Assignment.objects.count() == 3  # one recertification per expired certificate
    assert set(emails_per_recipient("certification/email/expiring").values()) == {1}
    assert set(emails_per_recipient("certification/email/expired").values()) == {1}
    assert Certificate.objects.filter(expiry_warned_on__isnull=False).count() == 3


def test_a_run_that_finds_the_lock_taken_does_nothing_and_says_so(eighteen_assignments):
    out = io.StringIO()
    with exclusive("command:send_notifications") as held:
        assert held
        other = threading.Thread(
            target=lambda: (call_command("send_notifications", stdout=out), connection.close())
        )
        other.start()
        other.join(timeout=60)
    assert "Another run is in progress" in out.getvalue()
    assert not OutgoingEmail.objects.exists()
    call_command("send_notifications", stdout=io.StringIO())  # released: the next run works
    assert OutgoingEmail.objects.count() == 18


@together
def test_close_expired_attempts_runs_once_at_a_time():
    outputs, errors = run_twice_at_once("close_expired_attempts")
    assert errors == []
    assert sorted("in progress" in out for out in outputs) in ([False, False], [False, True])
