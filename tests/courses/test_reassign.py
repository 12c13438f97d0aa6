"""Assigning a course that people already have says who had it and offers to move their due
date; a changed due date is announced to the agent (issue 11, item 16)."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

import pytest

from courses.models import Assignment, AssignmentEvent
from courses.services import assign_course

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=14)
LATER = SOON + timedelta(days=7)


def assign_form(course, team, due_on):
    return {"course": course.pk, "team": team.pk, "due_on": due_on.isoformat(), "note": ""}


def test_assigning_again_names_who_had_it_and_offers_their_due_date(
    client, supervisor, agent, teammate, team, course, django_capture_on_commit_callbacks
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON, people=[agent])
    client.force_login(supervisor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:assign"), assign_form(course, team, LATER))
    html = response.content.decode()
    assert response.status_code == 200  # a page that explains, not a silent redirect
    assert "a 0 personas" not in html
    assert "1 persona recibió" in html  # Javier, newly assigned
    offer = html[html.index('id="already-assigned"') :]
    assert "Lucía Fernández" in offer and SOON.strftime("%d/%m/%Y") in offer
    assert [m.to for m in mail.outbox] == [[teammate.email]]

    existing = Assignment.objects.get(person=agent, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(
            reverse("courses:move_due_dates"),
            {"assignments": [existing.pk], "due_on": LATER.isoformat()},
        )
    assert moved.status_code == 302
    existing.refresh_from_db()
    assert existing.due_on == LATER
    assert AssignmentEvent.objects.filter(
        assignment=existing, action=AssignmentEvent.Action.CHANGED
    ).exists()
    assert [m.to for m in mail.outbox][-1] == [agent.email]
    assert "fecha" in mail.outbox[-1].subject.lower()


def test_nobody_new_says_so_instead_of_zero_people(
    client, supervisor, agent, teammate, team, course
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    client.force_login(supervisor)
    html = client.post(reverse("courses:assign"), assign_form(course, team, SOON)).content
    html = html.decode()
    assert "a 0 personas" not in html
    assert "las 2 personas ya tenían" in html


def test_changing_a_due_date_tells_the_agent(
    client, supervisor, agent, team, course, django_capture_on_commit_callbacks
):
    [assignment] = assign_course(
        actor=supervisor, course=course, team=team, due_on=SOON, people=[agent]
    )
    client.force_login(supervisor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("courses:change_due_date", args=[assignment.pk]),
            {"due_on": LATER.isoformat()},
        )
    assert [m.to for m in mail.outbox] == [[agent.email]]
    with translation.override("es"):
        new_date = date_format(LATER, "j \\d\\e F \\d\\e Y")
    assert f"ahora es el {new_date}" in mail.outbox[0].body


def test_another_teams_supervisor_cannot_move_due_dates(
    client, supervisor, other_supervisor, agent, team, course
):
    [assignment] = assign_course(
        actor=supervisor, course=course, team=team, due_on=SOON, people=[agent]
    )
    client.force_login(other_supervisor)
    response = client.post(
        reverse("courses:move_due_dates"),
        {"assignments": [assignment.pk], "due_on": LATER.isoformat()},
    )
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.due_on == SOON
