"""The supervisor's "Mi equipo" and the agent page with coaching notes."""

from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

import pytest

from certification.models import CoachingNote
from courses.models import Assignment
from courses.services import assign_course
from people.models import Role

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
        with django_assert_max_num_queries(14):
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
