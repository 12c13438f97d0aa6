"""Expiry warnings, expiry with recertification, and behavioural refreshers."""

from datetime import date, timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from attitude.models import ServiceDimension
from attitude.services import Item, record_evidence
from certification.lifecycle import assign_refreshers, handle_expired, warn_expiring
from certification.models import Certificate, CertificateStatus, Programme, RefresherRule
from courses.models import Assignment
from people.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(course_factory):
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(title="Curso base", slug="curso-base", lessons=1)])
    programme.save()  # a ParentalManyToManyField is written on save
    return programme


@pytest.fixture
def certificate(agent, programme):
    return Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=20)
    )


def test_the_holder_and_supervisor_are_warned_thirty_days_before_once(
    certificate, agent, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # each warning commits on its own
        assert warn_expiring() == 1 and warn_expiring() == 0
    # One email each (neither sees the other's address), and one notification each.
    assert sorted(m.to for m in mail.outbox) == sorted([[agent.email], [supervisor.email]])
    by_recipient = {m.to[0]: m.subject for m in mail.outbox}
    assert by_recipient[agent.email].startswith("[Actitud] Tu certificado")
    assert "Lucía Fernández vence el" in by_recipient[supervisor.email]
    kinds = Notification.objects.values_list("person", "kind")
    assert sorted(kinds) == sorted(
        [(agent.pk, "certificate_expiring"), (supervisor.pk, "certificate_expiring")]
    )


def test_on_expiry_the_courses_are_assigned_again(
    certificate, agent, programme, django_capture_on_commit_callbacks
):
    later = timezone.localdate() + timedelta(days=21)
    assert certificate.status_at(timezone.now() + timedelta(days=21)) == CertificateStatus.EXPIRED
    with django_capture_on_commit_callbacks(execute=True):  # emails leave once it commits
        assert handle_expired(later) == 1 and handle_expired(later) == 0
    assignment = Assignment.objects.get(person=agent)
    assert assignment.course == programme.courses.first()
    assert assignment.due_on == later + timedelta(days=30)
    assert "Recertificación" in assignment.note
    assert any("ha vencido" in m.body for m in mail.outbox)


def test_a_low_attitude_score_assigns_the_refresher_and_says_why(
    agent, programme, course_factory, django_capture_on_commit_callbacks
):
    refresher = course_factory(title="Cortesía, repaso", slug="cortesia-repaso", lessons=1)
    cortesia = ServiceDimension.objects.get(slug="cortesia")
    RefresherRule.objects.create(
        programme=programme, dimension=cortesia, below_percent=60, course=refresher
    )
    activity = programme.courses.first()
    with django_capture_on_commit_callbacks(execute=True):
        record_evidence(
            person=agent, activity=activity, source="quiz", reference="a1",
            items=[Item("cortesia", 0.2)] * 6,
        )  # fmt: skip
    assignment = Assignment.objects.get(person=agent, course=refresher)
    assert "Cortesía es del 20 %" in assignment.note
    assert assign_refreshers(agent) == []  # already assigned: nothing new


def test_a_good_score_assigns_no_refresher(agent, programme, course_factory):
    refresher = course_factory(title="Cortesía, repaso", slug="cortesia-repaso", lessons=1)
    RefresherRule.objects.create(
        programme=programme,
        dimension=ServiceDimension.objects.get(slug="cortesia"),
        below_percent=60,
        course=refresher,
    )
    record_evidence(
        person=agent, activity=programme.courses.first(), source="quiz", reference="a1",
        items=[Item("cortesia", 0.9)] * 6,
    )  # fmt: skip
    assert assign_refreshers(agent, date.today()) == []


def test_the_daily_command_reports_what_it_did(certificate, capsys):
    call_command("process_certificates")
    assert "1 expiry warnings, 0 expiries handled" in capsys.readouterr().out
