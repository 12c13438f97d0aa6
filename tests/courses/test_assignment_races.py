"""Assigning the same course twice at once (real threads on PostgreSQL): one active
assignment, one email, no server error."""

from datetime import timedelta
from http import HTTPStatus

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Assignment
from courses.services import assign_course
from tests.people.test_races import TRIALS
from tests.threads import race

requires_postgresql = pytest.mark.postgresql  # SQLite serialises writers
SOON = timezone.localdate() + timedelta(days=14)


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("chosen", [True, False], ids=["chosen-people", "whole-team"])
def test_simultaneous_assignments_give_one_assignment_and_one_email(
    supervisor, agent, team, course_factory, chosen
):
    failed = []
    for trial in range(TRIALS):
        course = course_factory(title=f"Curso {trial}", slug=f"curso-{trial}", lessons=1)
        mail.outbox.clear()

        def assign(course=course):
            people = [agent] if chosen else None
            return assign_course(
                actor=supervisor, course=course, team=team, due_on=SOON, people=people
            )

        outcomes = race(*[assign] * 4)
        errors = [o for o in outcomes if isinstance(o, Exception)]
        assignments = Assignment.objects.active().filter(person=agent, course=course).count()
        emails = [m for m in mail.outbox if m.to == [agent.email]]
        if errors or assignments != 1 or len(emails) != 1:
            failed.append((trial, assignments, len(emails), errors[:1]))
    assert failed == [], f"{len(failed)} of {TRIALS} trials: {failed[:2]}"


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_on_assign_never_answers_a_server_error(supervisor, agent, team, course):
    clients = []
    for _ in range(4):
        client = Client(raise_request_exception=False)
        client.force_login(supervisor)
        clients.append(client)
    data = {"course": course.pk, "team": team.pk, "due_on": SOON.isoformat(), "people": [agent.pk]}
    outcomes = race(*[lambda c=c: c.post(reverse("courses:assign"), data) for c in clients])
    # The first click assigns (302); a later one either finds nothing new to do (302) or
    # arrives after it and is told the agent already had the course (200, issue 11 item 16).
    codes = [o.status_code for o in outcomes]
    assert all(code in (HTTPStatus.FOUND, HTTPStatus.OK) for code in codes), codes
    assert HTTPStatus.FOUND in codes
    assert Assignment.objects.active().filter(person=agent, course=course).count() == 1
    assert len([m for m in mail.outbox if m.to == [agent.email]]) == 1
