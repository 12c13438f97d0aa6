"""The supervisor's "Mi equipo" and the agent page with coaching notes."""

import re
from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from attitude.selectors import profile_for
from certification.models import CoachingNote
from courses.models import Assignment, Enrolment
from courses.services import assign_course
from people.models import Membership, Role, Team
from tests.attitude.test_profile import evidence

pytestmark = pytest.mark.django_db


def test_the_team_dashboard_shows_members_assignments_overdue_first(
    client, supervisor, agent, teammate, team, course_factory
):
    course = course_factory(lessons=1)
    assign_course(
        actor=supervisor, course=course, team=team, due_on=timezone.localdate() + timedelta(3)
    )
    Assignment.objects.filter(person=teammate).update(due_on=timezone.localdate() - timedelta(1))
    client.force_login(supervisor)
    html = client.get(reverse("certification:team_dashboard")).content.decode()
    assert html.index("Javier Moreno") < html.index("Lucía Fernández")  # overdue first
    assert "vencido" in html and "sin iniciar" in html
    assert "El perfil de actitud del equipo" in html


def test_dashboard_queries_do_not_grow_with_the_team(
    client, supervisor, team, user_factory, course_factory, django_assert_max_num_queries
):
    course = course_factory(lessons=1)
    client.force_login(supervisor)
    for size in (3, 15):
        while team.memberships.filter(ended_at__isnull=True).count() < size:
            user_factory(roles=[Role.AGENT], team=team)
        assign_course(actor=supervisor, course=course, team=team, due_on=timezone.localdate())
        with django_assert_max_num_queries(16):
            response = client.get(reverse("certification:team_dashboard"))
        assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("agent", HTTPStatus.FORBIDDEN),  # not even their own page: the notes are private
        ("teammate", HTTPStatus.FORBIDDEN),
        ("supervisor", HTTPStatus.OK),
        ("other_supervisor", HTTPStatus.NOT_FOUND),
        ("hr", HTTPStatus.OK),
        ("editor", HTTPStatus.FORBIDDEN),
        (None, HTTPStatus.FOUND),
    ],
)
def test_who_may_open_an_agents_page(request, client_for, agent, viewer, expected):
    person = request.getfixturevalue(viewer) if viewer else None
    response = client_for(person).get(reverse("certification:agent_detail", args=[agent.pk]))
    assert response.status_code == expected


def test_coaching_notes_are_cleaned_kept_with_their_author_and_hidden_from_the_agent(
    client, supervisor, agent
):
    client.force_login(supervisor)
    url = reverse("certification:agent_detail", args=[agent.pk])
    client.post(url, {"text": "<script>x()</script>Muy bien con el cliente <b>irritado</b>."})
    note = CoachingNote.objects.get(person=agent)
    assert note.text == "x()Muy bien con el cliente irritado." and note.author == supervisor
    client.force_login(agent)
    for page in (reverse("attitude:my_profile"), reverse("courses:my_learning")):
        assert "irritado." not in client.get(page).content.decode()


def _rows(html):
    """{first cell: the other cells' text} for every table row: the members' rows (name,
    courses, next due, days overdue, progress, last activity, attitude, trend, critical
    choices) and the team profile's (dimension, mean, spread, people, organisation).
    Text only visible to screen readers, such as "(name)", is left out."""
    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        row = re.sub(r'<span class="visually-hidden">.*?</span>', "", row)
        texts = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if texts:
            cells[texts[0]] = texts[1:]
    return cells


def test_the_dashboard_shows_each_members_attitude_critical_choices_and_the_team_profile(
    client, supervisor, agent, teammate, outsider, team
):
    activity = Page.objects.get(depth=2)
    evidence(agent, activity, "a1", {"cortesia": 0.4, "fiabilidad": 0.8}, critical=2)
    evidence(teammate, activity, "t1", {"cortesia": 0.8})
    evidence(outsider, activity, "o1", {"cortesia": 0.0}, critical=5)  # another team
    client.force_login(supervisor)
    rows = _rows(client.get(reverse("certification:team_dashboard")).content.decode())
    # The attitude and critical choices columns (Mi equipo's last but one and last).
    attitude = {name: [cells[-3], cells[-1]] for name, cells in rows.items()}
    assert attitude["Lucía Fernández"] == [f"{profile_for(agent).overall_percent}%", "2"]
    assert attitude["Javier Moreno"] == ["80%", "0"]
    # Mean, spread and people of the team, then the organisation's mean (Sofía included).
    assert rows["Cortesía"] == ["60%", "±20", "2", "40%"]
    assert rows["Fiabilidad"] == ["80%", "±0", "1", "80%"]
    assert rows["Seguridad"] == ["—", "—", "0", "—"]


def test_members_without_overdue_courses_are_in_spanish_alphabetical_order(
    client, supervisor, team, user_factory
):
    for name in ("Beatriz Soto", "Álvaro Ruiz", "Óscar Díaz", "Nuria Gil", "Ñoño Pérez"):
        user_factory(roles=[Role.AGENT], team=team, full_name=name)
    client.force_login(supervisor)
    html = client.get(reverse("certification:team_dashboard")).content.decode()
    names = [
        name for name in _rows(html) if name.endswith(("Soto", "Ruiz", "Díaz", "Gil", "Pérez"))
    ]
    assert names == ["Álvaro Ruiz", "Beatriz Soto", "Nuria Gil", "Ñoño Pérez", "Óscar Díaz"]


def test_dashboard_queries_do_not_grow_with_members_teams_or_evidence(
    client, supervisor, user_factory, course_factory, django_assert_max_num_queries
):
    """5 members in one team, then 50 in three teams, each with assignments and evidence."""
    activity = Page.objects.get(depth=2)
    course = course_factory(lessons=1)
    client.force_login(supervisor)
    teams = [Team.objects.create(name=f"Equipo {n}") for n in range(3)]
    for team in teams:
        team.supervisors.add(supervisor)
    for size, used in ((5, teams[:1]), (50, teams)):
        while Membership.objects.current().filter(team__in=teams).count() < size:
            team = used[Membership.objects.current().filter(team__in=teams).count() % len(used)]
            person = user_factory(roles=[Role.AGENT], team=team)
            evidence(person, activity, f"r{person.pk}", {"cortesia": 0.5}, critical=1)
        for team in used:
            assign_course(actor=supervisor, course=course, team=team, due_on=timezone.localdate())
        with django_assert_max_num_queries(16):
            response = client.get(reverse("certification:team_dashboard"))
        assert response.status_code == HTTPStatus.OK
        assert response.content.decode().count("badge--status-") == size


def test_the_agent_page_and_profile_read_as_many_queries_for_a_long_history(
    client, supervisor, agent, team, course_factory, django_assert_max_num_queries
):
    """One course, note and activity, then three courses, twelve notes and five activities."""
    activity = Page.objects.get(depth=2)
    client.force_login(supervisor)
    for courses, notes, activities in ((1, 1, 1), (3, 12, 5)):
        for n in range(courses):
            course = course_factory(title=f"Curso {courses}-{n}", lessons=2)
            assign_course(
                actor=supervisor,
                course=course,
                team=team,
                people=[agent],
                due_on=timezone.localdate(),
            )
            Enrolment.objects.create(person=agent, course=course)
        for n in range(notes):
            CoachingNote.objects.create(person=agent, author=supervisor, text=f"Nota {n}")
        for n in range(activities):
            other = activity.add_child(instance=Page(title=f"Actividad {courses}-{n}"))
            evidence(agent, other, f"e{courses}-{n}", {"cortesia": 0.5})
        for url in (
            reverse("certification:agent_detail", args=[agent.pk]),
            reverse("attitude:person_profile", args=[agent.pk]),
        ):
            # 14: the notes are paginated (a count) with their revisions (one prefetch), the
            # requests to repeat (one query), and the header's unread count is read on a cold
            # cache.
            with django_assert_max_num_queries(14):
                response = client.get(url)
            assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("viewer", ["supervisor", "hr"])
def test_the_agent_page_breadcrumb_leads_somewhere_the_viewer_may_open(
    request, client, agent, viewer
):
    """The breadcrumb goes back to the viewer's own list: Mi equipo for a supervisor, the HR
    list for HR (who has no Mi equipo: that link was a 403 for them)."""
    client.force_login(request.getfixturevalue(viewer))
    html = client.get(reverse("certification:agent_detail", args=[agent.pk])).content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    links = re.findall(r'href="([^"]+)"', crumbs)
    assert links
    for link in links:
        assert client.get(link).status_code == HTTPStatus.OK, link
