"""HR's pages over the whole organisation: the statuses they filter and sort on are written as
plain conditions (same rows as the derived status), the lists page through every row once, and
each page's query count stays the same as the organisation grows."""

from datetime import date, timedelta
from http import HTTPStatus

from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from certification.models import Certificate, CertificateStatus, Programme
from courses.models import Assignment, AssignmentStatus, Enrolment
from courses.selectors import managed_assignments
from courses.services import assign_course
from people.models import Role, Team

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 10)


@pytest.fixture
def programme(course_factory):
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(title="Curso de certificación", lessons=1)])
    return programme


def grow(user_factory, team, size):
    while team.memberships.filter(ended_at__isnull=True).count() < size:
        user_factory(roles=[Role.AGENT], team=team)


def test_overdue_is_exactly_the_assignments_whose_status_is_overdue(
    hr, user_factory, team, course_factory
):
    course = course_factory(lessons=1)
    people = [user_factory(roles=[Role.AGENT], team=team) for _ in range(5)]
    assign_course(actor=hr, course=course, team=team, due_on=TODAY + timedelta(days=5))
    late, started_late, completed_late, on_time, withdrawn = people
    Assignment.objects.exclude(person=on_time).update(due_on=TODAY - timedelta(days=1))
    Enrolment.objects.create(person=started_late, course=course)
    Enrolment.objects.create(person=completed_late, course=course, completed_at=timezone.now())
    Assignment.objects.filter(person=withdrawn).update(withdrawn_at=timezone.now())
    derived = (
        Assignment.objects.active()
        .with_status(TODAY)
        .filter(status=AssignmentStatus.OVERDUE)
        .values_list("person", flat=True)
    )
    overdue = Assignment.objects.overdue(TODAY).values_list("person", flat=True)
    assert set(overdue) == set(derived) == {late.pk, started_late.pk}


def test_the_all_teams_list_puts_overdue_work_first(hr, user_factory, team, course_factory):
    course = course_factory(lessons=1)
    done, late, soon = (user_factory(roles=[Role.AGENT], team=team) for _ in range(3))
    assign_course(actor=hr, course=course, team=team, due_on=TODAY + timedelta(days=5))
    Assignment.objects.filter(person__in=[done, late]).update(due_on=TODAY - timedelta(days=9))
    Enrolment.objects.create(person=done, course=course, completed_at=timezone.now())
    listed = [(a.person_id, a.status) for a in managed_assignments(hr, TODAY)]
    assert listed == [
        (late.pk, AssignmentStatus.OVERDUE),
        (done.pk, AssignmentStatus.COMPLETED),
        (soon.pk, AssignmentStatus.NOT_STARTED),
    ]


def test_each_certificate_status_filter_gives_the_certificates_in_that_status(
    programme, user_factory, hr
):
    now = timezone.now()
    for days, revoked in ((30, False), (-3, False), (30, True), (-40, True)):
        Certificate.objects.create(
            person=user_factory(roles=[Role.AGENT]),
            programme=programme,
            expires_at=now + timedelta(days=days),
            revoked_at=now - timedelta(days=1) if revoked else None,
        )
    for status in CertificateStatus.values:
        derived = Certificate.objects.with_status(now).filter(status=status)
        assert set(Certificate.objects.in_status(status, now)) == set(derived), status


def test_the_certificate_list_shows_every_certificate_once_across_pages(
    client, hr, programme, user_factory
):
    """A reissued certificate keeps its dates: ties in the issue date must not make a row
    appear on two pages (and another on none)."""
    issued = timezone.now() - timedelta(days=10)
    codes = {
        Certificate.objects.create(
            person=user_factory(roles=[Role.AGENT]),
            programme=programme,
            issued_at=issued,
            expires_at=issued + timedelta(days=365),
        ).code
        for _ in range(60)
    }
    client.force_login(hr)
    seen = []
    for page in (1, 2):
        response = client.get(reverse("certification:hr_list"), {"page": page})
        assert response.status_code == HTTPStatus.OK
        seen += [c.code for c in response.context["page_obj"].object_list]
    assert sorted(seen) == sorted(codes)


def test_hr_list_pages_take_the_same_queries_for_a_small_or_large_organisation(
    client, hr, programme, user_factory, django_assert_max_num_queries
):
    course = programme.courses.get()
    client.force_login(hr)
    for size in (3, 30):
        for n in range(2):
            team, _ = Team.objects.get_or_create(name=f"Equipo {n}")
            grow(user_factory, team, size)
            assign_course(actor=hr, course=course, team=team, due_on=TODAY)
        Assignment.objects.filter(person__memberships__team__name="Equipo 0").update(
            due_on=timezone.localdate() - timedelta(days=1)
        )
        for person in Team.objects.get(name="Equipo 1").members.filter(certificates=None):
            Certificate.objects.create(
                person=person, programme=programme, expires_at=timezone.now() + timedelta(days=20)
            )
        with django_assert_max_num_queries(11):
            response = client.get(reverse("courses:team_assignments"))
        statuses = [a.status for a in response.context["page_obj"].object_list]
        assert statuses[:size] == [AssignmentStatus.OVERDUE] * size
        with django_assert_max_num_queries(9):
            response = client.get(reverse("certification:hr_list"))
        assert len(response.context["page_obj"].object_list) == size
        with django_assert_max_num_queries(9):
            response = client.get(reverse("certification:hr_list"), {"status": "vigente"})
        assert response.status_code == HTTPStatus.OK
        with django_assert_max_num_queries(16):
            response = client.get(reverse("certification:hr_dashboard"))
        assert response.context["overdue_count"] == size


@pytest.mark.postgresql
def test_postgresql_does_not_jit_compile_the_queries_of_a_page():
    """At 50,000 agents JIT compiling took 1.5 of the 2.2 s of the all-teams assignments
    query; a page's queries are never long enough to repay it."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
