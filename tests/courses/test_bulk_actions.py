"""Bulk actions on Mi equipo and the assignments list: tick people or assignments, choose
assign / change the due date / withdraw / remind, read how many people and emails it
touches, confirm."""

import re
from datetime import timedelta
from http import HTTPStatus

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Assignment, AssignmentEvent
from courses.services import assign_course, complete_step
from people.models import Channel, Notification, Role
from people.notifications import save_preferences

from .conftest import lessons_of

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=14)
LATER = SOON + timedelta(days=7)
URL = reverse("courses:bulk_action")


def summary(response):
    """(people, emails) as the confirmation page states them."""
    html = response.content.decode()
    people = re.search(r'class="bulk-summary__people"><strong>(.*?)</strong>', html, re.S)
    emails = re.search(r'class="bulk-summary__emails"><strong>(.*?)</strong>', html, re.S)
    numbers = [re.findall(r"\d+", m.group(1)) if m else None for m in (people, emails)]
    return (
        int(numbers[0][0]) if numbers[0] else None,
        int(numbers[1][0]) if numbers[1] else 0,
    )


def confirm(client, response):
    """Submit the confirmation form exactly as the page renders it."""
    html = response.content.decode()
    form = re.search(r'<form method="post">(.*?)</form>', html, re.S).group(1)
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        data.setdefault(name, []).append(value)
    return client.post(URL, data)


def test_the_supervisor_extends_the_due_date_of_two_people_after_confirming(
    client, supervisor, agent, teammate, team, course, django_capture_on_commit_callbacks
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    client.force_login(supervisor)
    mail.outbox.clear()
    picked = {"action": "extend", "people": [agent.pk, teammate.pk], "course": course.pk,
              "due_on": LATER.isoformat(), "origin": "team"}  # fmt: skip
    response = client.post(URL, picked)
    assert response.status_code == HTTPStatus.OK
    assert summary(response) == (2, 2)
    assert "Lucía Fernández" in response.content.decode()
    assert set(Assignment.objects.values_list("due_on", flat=True)) == {SOON}  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, response)
    assert done.status_code == HTTPStatus.FOUND
    assert done.url == reverse("certification:team_dashboard")
    assert set(Assignment.objects.values_list("due_on", flat=True)) == {LATER}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([agent.email, teammate.email])
    changed = AssignmentEvent.objects.filter(action="changed", actor=supervisor)
    assert changed.count() == 2


def test_a_repeated_confirmation_acts_once(client, supervisor, agent, team, course):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    client.force_login(supervisor)
    assignment = Assignment.objects.get(person=agent)
    response = client.post(URL, {"action": "withdraw", "assignments": [assignment.pk]})
    assert summary(response) == (1, 0)  # withdrawing emails no one
    confirm(client, response)
    assert confirm(client, response).status_code == HTTPStatus.FOUND
    assert AssignmentEvent.objects.filter(action="withdrawn").count() == 1
    assert not Assignment.objects.active().filter(person=agent).exists()


def test_assigning_counts_only_the_people_who_lack_the_course(
    client, supervisor, agent, teammate, team, course, course_factory
):
    other = course_factory(title="Curso de empatía", lessons=1)
    assign_course(actor=supervisor, course=other, team=team, people=[agent], due_on=SOON)
    client.force_login(supervisor)
    response = client.post(URL, {"action": "assign", "people": [agent.pk, teammate.pk],
                                 "course": other.pk, "due_on": SOON.isoformat()})  # fmt: skip
    assert summary(response) == (1, 1)  # Lucía keeps hers; Javier gets it, and one email
    confirm(client, response)
    assert Assignment.objects.active().filter(course=other).count() == 2


def test_reminders_skip_completed_courses_and_say_so_in_the_count(
    client, supervisor, agent, teammate, team, course_factory, django_capture_on_commit_callbacks
):
    short = course_factory(title="Curso corto", lessons=1)
    assign_course(actor=supervisor, course=short, team=team, due_on=SOON)
    complete_step(person=agent, step=lessons_of(short)[0])
    Assignment.objects.filter(person=teammate).update(due_on=timezone.localdate() - timedelta(1))
    client.force_login(supervisor)
    ids = list(Assignment.objects.values_list("pk", flat=True))
    response = client.post(URL, {"action": "remind", "assignments": ids})
    assert summary(response) == (1, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, response)
    assert [m.to for m in mail.outbox] == [[teammate.email]]
    assert "vencido" in mail.outbox[0].subject.lower()  # overdue: the overdue notice
    reminders = Notification.objects.exclude(kind=Notification.Kind.ASSIGNED)
    told = reminders.get()  # and on the site, in the bell
    assert (told.person, told.kind) == (teammate, Notification.Kind.OVERDUE)
    assert told.params["course"] == "Curso corto"


def test_the_email_count_leaves_out_people_who_turned_that_email_off(
    client, supervisor, agent, teammate, team, course, django_capture_on_commit_callbacks
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    save_preferences(
        person=agent, choices={(Notification.Kind.DUE_DATE_CHANGED, Channel.EMAIL): False}
    )
    client.force_login(supervisor)
    ids = list(Assignment.objects.values_list("pk", flat=True))
    response = client.post(
        URL, {"action": "extend", "assignments": ids, "due_on": LATER.isoformat()}
    )
    assert summary(response) == (2, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, response)
    assert [m.to for m in mail.outbox] == [[teammate.email]]
    assert Notification.objects.filter(kind=Notification.Kind.DUE_DATE_CHANGED).count() == 2


def test_a_missing_date_or_nobody_ticked_is_said_clearly_and_changes_nothing(
    client, supervisor, agent, team, course
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    client.force_login(supervisor)
    response = client.post(URL, {"action": "extend", "people": [agent.pk], "course": course.pk})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'id="id_due_on_error"' in html and 'name="people"' in html  # the ticks are kept
    response = client.post(URL, {"action": "remind"})
    assert 'class="form-errors" role="alert"' in response.content.decode()
    assert set(Assignment.objects.values_list("due_on", flat=True)) == {SOON}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("agent", HTTPStatus.FORBIDDEN),
        ("editor", HTTPStatus.FORBIDDEN),
        (None, HTTPStatus.FOUND),
        ("supervisor", HTTPStatus.OK),
        ("hr", HTTPStatus.OK),
    ],
)
def test_who_may_open_a_bulk_action(request, client_for, supervisor, agent, team, course,
                                    viewer, expected):  # fmt: skip
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    person = request.getfixturevalue(viewer) if viewer else None
    response = client_for(person).post(
        URL, {"action": "withdraw", "assignments": [Assignment.objects.get(person=agent).pk]}
    )
    assert response.status_code == expected
    if expected == HTTPStatus.OK:
        assert summary(response) == (1, 0)


def test_another_teams_people_and_assignments_cannot_be_ticked(
    client, supervisor, other_supervisor, outsider, other_team, course
):
    assign_course(actor=other_supervisor, course=course, team=other_team, due_on=SOON)
    theirs = Assignment.objects.get(person=outsider)
    client.force_login(supervisor)
    for data in (
        {"action": "withdraw", "assignments": [theirs.pk], "confirm": "1"},
        {"action": "assign", "people": [outsider.pk], "course": course.pk,
         "due_on": LATER.isoformat(), "confirm": "1"},
    ):  # fmt: skip
        response = client.post(URL, data)
        assert response.status_code == HTTPStatus.OK
        assert 'id="bulk-summary"' not in response.content.decode()  # an error, no plan
    assert Assignment.objects.active().filter(person=outsider).count() == 1


def test_a_get_goes_back_to_the_list(client, supervisor):
    client.force_login(supervisor)
    assert client.get(URL).url == reverse("courses:team_assignments")


def test_both_lists_offer_the_bulk_bar_with_a_checkbox_per_row(
    client, supervisor, agent, team, course
):
    assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
    client.force_login(supervisor)
    for page, name in (("certification:team_dashboard", "people"),
                       ("courses:team_assignments", "assignments")):  # fmt: skip
        html = client.get(reverse(page)).content.decode()
        assert f'action="{URL}"' in html
        assert f'<select-all name="{name}"' in html
        assert re.search(rf'type="checkbox" name="{name}" value="\d+"[^>]*aria-label=', html)


def test_confirming_makes_as_many_queries_for_10_as_for_100_people(
    client, supervisor, team, user_factory, course, django_assert_max_num_queries
):
    client.force_login(supervisor)
    for size in (10, 100):
        while team.members.filter(groups__name=Role.AGENT).count() < size:
            user_factory(roles=[Role.AGENT], team=team)
        assign_course(actor=supervisor, course=course, team=team, due_on=SOON)
        ids = list(Assignment.objects.active().values_list("pk", flat=True))
        with django_assert_max_num_queries(12):
            response = client.post(URL, {"action": "remind", "assignments": ids})
        assert summary(response) == (size, size)
