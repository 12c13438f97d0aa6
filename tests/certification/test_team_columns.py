"""Mi equipo's columns per member (next due date, days overdue, progress, last activity,
attitude trend) and the team's chart beside the organisation's mean."""

import re
from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from attitude.models import EvidenceRecord, ServiceDimension
from attitude.selectors import overall_trends
from courses.models import Assignment
from courses.services import assign_course, complete_step
from people.models import Membership, Role
from tests.attitude.test_profile import evidence
from tests.certification.test_team_dashboard import _rows

pytestmark = pytest.mark.django_db

COLUMNS = ["courses", "due", "overdue", "progress", "last", "attitude", "trend", "critical"]


def member_rows(html):
    """{name: {column: text}} for the members' rows of Mi equipo."""
    return {
        name: dict(zip(COLUMNS, cells, strict=True))
        for name, cells in _rows(html).items()
        if len(cells) == len(COLUMNS) and name not in ("Nombre", "Name")  # not the header
    }


def dashboard(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("certification:team_dashboard"))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_each_member_shows_next_due_date_days_overdue_progress_and_last_activity(
    client, supervisor, agent, teammate, team, course_factory
):
    today = timezone.localdate()
    four_steps = course_factory(title="Curso de escucha", lessons=4)
    assign_course(actor=supervisor, course=four_steps, team=team, due_on=today + timedelta(9))
    Assignment.objects.filter(person=teammate).update(due_on=today - timedelta(4))
    lessons = [page.specific for page in four_steps.get_children()]
    complete_step(person=agent, step=lessons[0])  # 1 of 4 required steps
    complete_step(person=agent, step=lessons[1])  # 2 of 4
    rows = member_rows(dashboard(client, supervisor))
    lucia, javier = rows["Lucía Fernández"], rows["Javier Moreno"]
    assert lucia["due"] == (today + timedelta(9)).strftime("%d/%m/%Y")
    assert (lucia["overdue"], lucia["progress"]) == ("0", "50%")
    assert lucia["last"] == today.strftime("%d/%m/%Y")  # the steps she just did
    assert (javier["overdue"], javier["progress"]) == ("4", "0%")
    assert "/" not in javier["last"]  # no activity yet: no date


def test_a_completed_course_counts_in_full_and_no_longer_sets_the_due_date(
    client, supervisor, agent, team, course_factory
):
    today = timezone.localdate()
    done = course_factory(title="Curso hecho", lessons=1)
    pending = course_factory(title="Curso pendiente", lessons=3)
    assign_course(actor=supervisor, course=done, team=team, people=[agent], due_on=today)
    assign_course(
        actor=supervisor, course=pending, team=team, people=[agent], due_on=today + timedelta(20)
    )
    complete_step(person=agent, step=done.get_children().first().specific)
    lucia = member_rows(dashboard(client, supervisor))["Lucía Fernández"]
    assert lucia["due"] == (today + timedelta(20)).strftime("%d/%m/%Y")
    assert lucia["progress"] == "25%"  # 1 of the 4 required steps of her two courses


def _age(person, days):
    EvidenceRecord.objects.filter(person=person).update(
        recorded_at=timezone.now() - timedelta(days=days)
    )


def test_the_trend_compares_the_last_30_days_with_the_30_before(
    client, supervisor, agent, teammate, team
):
    activity = Page.objects.get(depth=2)
    other = activity.add_child(instance=Page(title="Otra actividad"))
    evidence(agent, activity, "a-old", {"cortesia": 0.4})
    _age(agent, 40)
    evidence(agent, other, "a-new", {"cortesia": 0.8})
    evidence(teammate, activity, "t-new", {"cortesia": 0.8})  # nothing before: no trend
    rows = member_rows(dashboard(client, supervisor))
    assert rows["Lucía Fernández"]["trend"] == "↑ +40"
    assert rows["Javier Moreno"]["trend"] == "—"


def test_a_trend_only_compares_the_dimensions_measured_in_both_windows(agent, teammate):
    activity = Page.objects.get(depth=2)
    other = activity.add_child(instance=Page(title="Otra actividad"))
    evidence(agent, activity, "old", {"cortesia": 0.5})
    _age(agent, 45)
    # Recent answers on cortesía as before, and a first measure of fiabilidad: steady.
    evidence(agent, other, "new", {"cortesia": 0.5, "fiabilidad": 0.0})
    evidence(teammate, activity, "t-old", {"cortesia": 0.9})
    _age(teammate, 50)
    evidence(teammate, other, "t-new", {"cortesia": 0.6})
    trends = overall_trends([agent.pk, teammate.pk], list(ServiceDimension.objects.all()))
    assert (trends[agent.pk].change, trends[agent.pk].direction) == (0, "steady")
    assert (trends[teammate.pk].change, trends[teammate.pk].direction) == (-30, "down")


def test_the_team_chart_sits_beside_its_table_with_the_organisations_mean(
    client, supervisor, agent, teammate, outsider
):
    activity = Page.objects.get(depth=2)
    evidence(agent, activity, "a1", {"cortesia": 0.4})
    evidence(teammate, activity, "t1", {"cortesia": 0.8})
    evidence(outsider, activity, "o1", {"cortesia": 0.0})  # another team: only in the mean
    html = dashboard(client, supervisor)
    rows = _rows(html)
    assert rows["Cortesía"] == ["60%", "±20", "2", "40%"]  # team mean, spread, people, org
    assert rows["Seguridad"] == ["—", "—", "0", "—"]
    chart = re.search(r'<figure class="chart chart--radar">.*?</figure>', html, re.S).group()
    assert 'class="chart__organisation-dot"' in chart and 'class="chart__dot"' in chart
    assert 'aria-labelledby="team-chart-' in chart


def test_the_dashboard_makes_as_many_queries_for_a_team_of_10_as_of_100(
    client, supervisor, team, user_factory, course_factory, django_assert_max_num_queries
):
    """Each member with an assignment, a step done, recent and older evidence."""
    activity = Page.objects.get(depth=2)
    other = activity.add_child(instance=Page(title="Otra actividad"))
    course = course_factory(lessons=2)
    step = course.get_children().first().specific
    client.force_login(supervisor)
    for size in (10, 100):
        while (
            Membership.objects.current().filter(team=team).exclude(person=supervisor).count() < size
        ):
            person = user_factory(roles=[Role.AGENT], team=team)
            evidence(person, activity, f"old{person.pk}", {"cortesia": 0.3})
            _age(person, 40)
            evidence(person, other, f"new{person.pk}", {"cortesia": 0.7})
        assign_course(actor=supervisor, course=course, team=team, due_on=timezone.localdate())
        for person in team.members.exclude(pk=supervisor.pk)[:5]:
            complete_step(person=person, step=step)
        with django_assert_max_num_queries(16):
            response = client.get(reverse("certification:team_dashboard"))
        assert response.status_code == HTTPStatus.OK
        rows = member_rows(response.content.decode())
        assert len(rows) == size
        assert sum(row["trend"] == "↑ +40" for row in rows.values()) == size
