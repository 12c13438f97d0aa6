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


def chart_geometry(html):
    """The team chart's viewBox height and, per row, the bottom edge of its bar and label."""
    import re

    svg = html[html.index("<svg", html.index('id="teams-heading"')) :]
    svg = svg[: svg.index("</svg>")]
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    bars = [
        float(y) + 20 for y in re.findall(r'<rect x="140" y="(\d+)"[^>]*class="bar-track"', svg)
    ]
    labels = [float(y) for y in re.findall(r'<text x="0" y="(\d+)"', svg)]
    return height, bars, labels


@pytest.mark.parametrize("teams", [1, 3, 12])
def test_every_row_of_the_team_chart_is_inside_its_viewbox(client, hr, teams, programme):
    from people.models import Team

    Team.objects.all().delete()
    for n in range(teams):
        Team.objects.create(name=f"Equipo {n:02d}")
    client.force_login(hr)
    html = client.get(reverse("certification:hr_dashboard")).content.decode()
    height, bars, labels = chart_geometry(html)
    assert len(bars) == len(labels) == teams
    assert all(bottom <= height for bottom in bars + labels)
    assert height - max(bars) < 30  # sized from its rows, not padded with empty space


def test_the_rate_always_means_valid_certificates_whatever_the_status_filter(
    agent, teammate, outsider, programme
):
    certify(agent, programme, 20)
    certify(teammate, programme, -5)
    for status in ("", "vigente", "vencido", "revocado"):
        data = dashboard_data({"status": status})
        assert data["per_programme"][0]["certified"] == 1, status
        assert data["per_programme"][0]["rate"] == 33, status
        assert {r["name"]: r["rate"] for r in data["per_team"]} == {
            "Equipo Norte": 50,
            "Equipo Sur": 0,
        }, status
        assert [row["count"] for row in data["expiring"]] == [1, 1, 1], status


def test_the_status_filter_counts_the_certificates_in_that_status(
    client, hr, agent, teammate, outsider, programme
):
    certify(agent, programme, 20)
    certify(teammate, programme, -5)
    certify(outsider, programme, -9)
    assert dashboard_data({"status": "vencido"})["per_programme"][0]["in_status"] == 2
    client.force_login(hr)
    html = client.get(reverse("certification:hr_dashboard"), {"status": "vencido"}).content.decode()
    assert "Tasa de certificación" in html and "Certificados vencidos" in html


def test_see_the_certificates_keeps_every_filter(client, hr, team, agent, teammate, programme):
    import re
    from urllib.parse import parse_qs, urlsplit

    kept = certify(agent, programme, -5)
    kept.issued_at = timezone.now() - timedelta(days=30)
    kept.save()
    certify(teammate, programme, -5)  # issued today: outside the dates
    client.force_login(hr)
    filters = {
        "team": str(team.pk),
        "programme": str(programme.pk),
        "status": "vencido",
        "issued_from": (timezone.localdate() - timedelta(days=40)).isoformat(),
        "issued_to": (timezone.localdate() - timedelta(days=20)).isoformat(),
    }
    html = client.get(reverse("certification:hr_dashboard"), filters).content.decode()
    link = re.search(r'href="([^"]*)">Ver los certificados', html).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == reverse("certification:hr_list")
    assert parse_qs(urlsplit(link).query) == {k: [v] for k, v in filters.items()}
    listed = client.get(link).content.decode()
    assert "Lucía Fernández" in listed and "Javier Moreno" not in listed


def test_see_the_certificates_without_a_status_lists_the_valid_ones(client, hr):
    client.force_login(hr)
    html = client.get(reverse("certification:hr_dashboard")).content.decode()
    assert f'href="{reverse("certification:hr_list")}?status=vigente"' in html
