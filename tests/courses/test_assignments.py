"""Assignments: who may assign what to whom, derived status, newcomers, the audit log."""

from datetime import date, timedelta
from http import HTTPStatus

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Assignment, AssignmentEvent, AssignmentStatus, Enrolment
from courses.selectors import learner_assignments, managed_assignments
from courses.services import (
    AssignmentRefused,
    assign_course,
    change_due_date,
    complete_step,
    withdraw,
)
from people.models import Role
from people.services import move_to_team

from .conftest import lessons_of

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=14)


def status_of(person, course, today=None):
    return learner_assignments(person, today).get(course=course).status


def test_a_supervisor_assigns_a_course_to_the_whole_team(
    supervisor, agent, teammate, outsider, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = assign_course(
            actor=supervisor, course=course, team=agent.current_team, due_on=SOON
        )
    assert {a.person for a in created} == {agent, teammate}
    assert not Assignment.objects.filter(person=outsider).exists()
    assert AssignmentEvent.objects.filter(action="created").count() == 2
    assert len(mail.outbox) == 2 and course.title in mail.outbox[0].subject


def test_a_team_assignment_reaches_people_who_join_later(
    supervisor, agent, user_factory, team, course
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    newcomer = user_factory(roles=[Role.AGENT])
    move_to_team(person=newcomer, team=team)
    assignment = Assignment.objects.get(person=newcomer, course=course)
    assert assignment.due_on == SOON  # the team's due date, whatever day the newcomer joins
    assert assignment.team_assignment is not None


def test_assigning_to_chosen_people_does_not_reach_newcomers(
    supervisor, agent, teammate, user_factory, team, course
):
    created = assign_course(actor=supervisor, course=course, team=team, due_on=SOON, people=[agent])
    assert [a.person for a in created] == [agent]
    newcomer = user_factory(roles=[Role.AGENT], team=team)
    assert not Assignment.objects.filter(person=newcomer).exists()


def test_a_supervisor_cannot_assign_to_another_team(supervisor, other_team, outsider, course):
    with pytest.raises(AssignmentRefused):
        assign_course(actor=supervisor, course=course, team=other_team, due_on=SOON)
    with pytest.raises(AssignmentRefused):
        assign_course(
            actor=supervisor, course=course, team=supervisor.supervised_teams.first(),
            due_on=SOON, people=[outsider],
        )  # fmt: skip


def test_hr_assigns_to_any_team(hr, outsider, other_team, course):
    assert len(assign_course(actor=hr, course=course, team=other_team, due_on=SOON)) == 1


def test_an_agent_cannot_assign(agent, team, course):
    with pytest.raises(AssignmentRefused):
        assign_course(actor=agent, course=course, team=team, due_on=SOON)


def test_status_is_derived_from_progress_and_dates(supervisor, agent, team, course):
    assign_course(actor=supervisor, course=course, team=team, due_on=date(2027, 3, 1))
    assert status_of(agent, course, date(2027, 2, 1)) == AssignmentStatus.NOT_STARTED
    assert status_of(agent, course, date(2027, 3, 2)) == AssignmentStatus.OVERDUE
    Enrolment.objects.create(person=agent, course=course)
    assert status_of(agent, course, date(2027, 2, 1)) == AssignmentStatus.IN_PROGRESS
    assert status_of(agent, course, date(2027, 3, 1)) == AssignmentStatus.IN_PROGRESS
    for lesson in lessons_of(course):
        complete_step(person=agent, step=lesson)
    assert status_of(agent, course, date(2027, 3, 2)) == AssignmentStatus.COMPLETED
    assert AssignmentEvent.objects.filter(action="completed").count() == 1


def test_due_dates_change_and_assignments_are_withdrawn_with_an_audit_trail(
    supervisor, agent, team, course
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    assignment = Assignment.objects.get(person=agent)
    change_due_date(actor=supervisor, assignment=assignment, due_on=SOON + timedelta(days=7))
    withdraw(actor=supervisor, assignment=assignment)
    actions = list(assignment.events.order_by("at").values_list("action", "actor"))
    assert actions == [("created", supervisor.pk), ("changed", supervisor.pk),
                       ("withdrawn", supervisor.pk)]  # fmt: skip
    assert not learner_assignments(agent).exists()


def test_another_teams_supervisor_cannot_touch_an_assignment(
    supervisor, other_supervisor, agent, team, course
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    assignment = Assignment.objects.get(person=agent)
    with pytest.raises(AssignmentRefused):
        withdraw(actor=other_supervisor, assignment=assignment)


def test_my_learning_shows_assignments_first_by_due_date(
    client, supervisor, agent, team, course_factory
):
    later = course_factory(title="Curso tardío", lessons=1)
    sooner = course_factory(title="Curso urgente", lessons=1)
    assign_course(actor=supervisor, course=later, team=team, due_on=SOON + timedelta(days=30))
    assign_course(actor=supervisor, course=sooner, team=team, due_on=SOON)
    client.force_login(agent)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assigned = html[html.index("Asignados a mí") : html.index("Cursos")]
    assert assigned.index("Curso urgente") < assigned.index("Curso tardío")
    assert "sin iniciar" in assigned


def test_the_supervisor_assigns_through_the_form(client, supervisor, agent, teammate, team, course):
    client.force_login(supervisor)
    response = client.post(
        reverse("courses:assign"),
        {
            "course": course.pk,
            "team": team.pk,
            "due_on": SOON.isoformat(),
            "note": "Antes del cierre.",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Assignment.objects.filter(course=course).count() == 2
    html = client.get(reverse("courses:team_assignments")).content.decode()
    assert "Lucía Fernández" in html and "Javier Moreno" in html


def test_the_form_refuses_a_past_date(client, supervisor, team, course):
    client.force_login(supervisor)
    response = client.post(
        reverse("courses:assign"),
        {"course": course.pk, "team": team.pk, "due_on": "2020-01-01"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "no puede ser una fecha pasada" in response.content.decode()


def test_withdrawing_asks_for_confirmation(client, supervisor, agent, team, course):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    assignment = Assignment.objects.get(person=agent)
    client.force_login(supervisor)
    url = reverse("courses:withdraw", args=[assignment.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    assert Assignment.objects.active().filter(pk=assignment.pk).exists()
    client.post(url)
    assert not Assignment.objects.active().filter(pk=assignment.pk).exists()


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("agent", HTTPStatus.NOT_FOUND),
        ("supervisor", HTTPStatus.OK),
        ("other_supervisor", HTTPStatus.NOT_FOUND),
        ("hr", HTTPStatus.OK),
        ("editor", HTTPStatus.NOT_FOUND),
        (None, HTTPStatus.FOUND),
    ],
)
def test_who_may_change_an_assignment(
    request, client_for, supervisor, agent, team, course, viewer, expected
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    assignment = Assignment.objects.get(person=agent)
    person = request.getfixturevalue(viewer) if viewer else None
    response = client_for(person).get(reverse("courses:change_due_date", args=[assignment.pk]))
    assert response.status_code == expected


def test_the_team_list_query_count_does_not_grow_with_the_team(
    client, supervisor, team, user_factory, course, django_assert_max_num_queries
):
    client.force_login(supervisor)
    for size in (3, 15):
        while team.members.count() < size:
            user_factory(roles=[Role.AGENT], team=team)
        assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
        with django_assert_max_num_queries(11):
            response = client.get(reverse("courses:team_assignments"))
        # One status badge per row (the status filter lists "sin iniciar" once more).
        assert response.content.decode().count("badge--status-sin-iniciar") == size
        assert managed_assignments(supervisor).count() == size
