"""Certificates issued, expiring and expired, and refreshers, each told once to the right
people, on the site and by email, in the transaction that records them."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone, translation

import pytest

from attitude.models import ServiceDimension
from attitude.services import Item, record_evidence
from certification.lifecycle import handle_expired
from certification.models import Certificate, Programme, RefresherRule
from certification.services import issue_if_met
from courses.services import complete_step
from people.models import Notification
from tests.courses.conftest import lessons_of

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def programme(course_factory):
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(title="Curso base", slug="curso-base", lessons=1)])
    programme.save()
    return programme


def kinds(person):
    return sorted(Notification.objects.filter(person=person).values_list("kind", flat=True))


def test_the_certificate_issued_is_told_to_its_holder_once(
    agent, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(programme.courses.first()):
            complete_step(person=agent, step=lesson)
    assert Certificate.objects.filter(person=agent).count() == 1
    assert issue_if_met(person=agent, programme=programme) is None  # already valid
    assert kinds(agent) == [Kind.CERTIFICATE_ISSUED]
    notification = Notification.objects.get(person=agent)
    with translation.override("en"):
        assert notification.message == "You are now certified in Agente certificado."
    assert notification.url == "/certificados/"
    assert [m.to for m in mail.outbox] == [[agent.email]]


def test_an_expiry_is_told_to_holder_and_supervisor_once_with_the_new_assignment(
    agent, supervisor, programme, django_capture_on_commit_callbacks
):
    Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert handle_expired() == 1 and handle_expired() == 0
    assert kinds(agent) == [Kind.ASSIGNED, Kind.CERTIFICATE_EXPIRED]
    assert kinds(supervisor) == [Kind.CERTIFICATE_EXPIRED]
    about_agent = Notification.objects.get(person=supervisor)
    with translation.override("en"):
        assert "Lucía Fernández" in about_agent.message
    assert about_agent.url == f"/equipo/agentes/{agent.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([agent.email] * 2 + [supervisor.email])


def test_a_refresher_is_told_once_with_its_reason_in_the_readers_language(
    agent, programme, course_factory, django_capture_on_commit_callbacks
):
    refresher = course_factory(title="Cortesía, repaso", slug="cortesia-repaso", lessons=1)
    RefresherRule.objects.create(
        programme=programme,
        dimension=ServiceDimension.objects.get(slug="cortesia"),
        below_percent=60,
        course=refresher,
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_evidence(
            person=agent, activity=programme.courses.first(), source="quiz", reference="a1",
            items=[Item("cortesia", 0.2)] * 6,
        )  # fmt: skip
    assert kinds(agent) == [Kind.REFRESHER]  # not also a plain "new assignment"
    notification = Notification.objects.get(person=agent)
    with translation.override("en"):
        assert notification.message == (
            "Refresher course Cortesía, repaso: your score in Cortesía is 20 %, "
            "below the 60 % the programme asks for."
        )
    assert len(mail.outbox) == 1
