"""HR's certification dashboard: rates, expiries, overdue work, filters in the URL."""

from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

import pytest

from certification.hr_dashboard import dashboard_data
from certification.models import Certificate, Programme
from courses.models import Assignment
from courses.services import assign_course
from people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(course_factory):
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(lessons=1)])
    return programme


def certify(person, programme, days_left):
    return Certificate.objects.create(
        person=person,
        programme=programme,
        expires_at=timezone.now() + timedelta(days=days_left),
    )


def test_rates_per_programme_and_team(agent, teammate, outsider, team, programme):
    certify(agent, programme, 20)
    certify(outsider, programme, -3)  # expired: does not count
    data = dashboard_data({})
    assert data["per_programme"] == [
        {"name": "Agente certificado", "certified": 1, "total": 3, "rate": 33}
    ]
    rates = {row["name"]: row["rate"] for row in data["per_team"]}
    assert rates == {"Equipo Norte": 50, "Equipo Sur": 0}
    assert [row["count"] for row in data["expiring"]] == [1, 1, 1]
    assert dashboard_data({"team": team})["per_programme"][0]["rate"] == 50


def test_overdue_assignments_are_listed(supervisor, agent, team, programme):
    course = programme.courses.first()
    assign_course(actor=supervisor, course=course, team=team, due_on=timezone.localdate())
    Assignment.objects.update(due_on=timezone.localdate() - timedelta(days=2))
    data = dashboard_data({})
    assert data["overdue_count"] == 1 and data["overdue"][0].person == agent


def test_the_dashboard_is_for_hr_and_keeps_filters_in_the_url(
    client, hr, supervisor, team, programme
):
    client.force_login(supervisor)
    assert client.get(reverse("certification:hr_dashboard")).status_code == HTTPStatus.FORBIDDEN
    client.force_login(hr)
    response = client.get(reverse("certification:hr_dashboard"), {"team": team.pk})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK and f"team={team.pk}" in html
    response = client.get(
        reverse("certification:hr_dashboard"),
        {"issued_from": "2026-05-01", "issued_to": "2026-01-01"},
    )
    assert "anterior a la fecha de inicio" in response.content.decode()


def test_dashboard_queries_do_not_grow_with_the_organisation(
    client, hr, team, programme, user_factory, django_assert_max_num_queries
):
    client.force_login(hr)
    for size in (3, 20):
        while team.memberships.filter(ended_at__isnull=True).count() < size:
            certify(user_factory(roles=[Role.AGENT], team=team), programme, 40)
        with django_assert_max_num_queries(16):
            assert client.get(reverse("certification:hr_dashboard")).status_code == HTTPStatus.OK


def test_the_status_filter_counts_holders_of_expired_certificates(agent, teammate, programme):
    certify(agent, programme, 20)
    certify(teammate, programme, -5)
    assert dashboard_data({})["per_programme"][0]["certified"] == 1
    assert dashboard_data({"status": "vencido"})["per_programme"][0]["certified"] == 1
    assert dashboard_data({"status": "revocado"})["per_programme"][0]["certified"] == 0
