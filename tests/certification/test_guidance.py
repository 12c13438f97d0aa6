"""“Inicio”, the agent's home: the one next step, due soon, progress toward certification,
and the welcome of someone who has done nothing yet."""

from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

import pytest

from certification.models import Certificate, Programme
from courses.models import Assignment
from courses.selectors import next_step
from courses.services import assign_course, complete_step, record_visit
from people.models import Role
from tests.quizzes.conftest import category, question_factory, questions, quiz_factory  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def english(client):
    """Assert on the English wording: the Spanish of this lane's new strings reaches the
    catalogue when the lead merges it (notes/home.po.tsv)."""
    client.cookies["django_language"] = "en"
    return client


def lessons(course):
    return [page.specific for page in course.get_children().order_by("path")]


def test_an_agent_is_sent_home_to_inicio(client, agent):
    client.force_login(agent)
    response = client.get(reverse("home"))
    assert response.url == reverse("certification:guidance")


def test_the_first_visit_gets_a_welcome_naming_the_three_things_to_do(client, agent):
    english(client).force_login(agent)
    html = client.get(reverse("certification:guidance")).content.decode()
    assert "Welcome to Actitud" in html
    for link in (
        reverse("courses:my_learning"),
        reverse("attitude:my_profile"),
    ):
        assert f'href="{link}"' in html
    assert "Role-plays" in html
    assert "Nothing assigned or in progress right now." in html


def test_the_welcome_goes_once_the_agent_has_opened_a_course(client, agent, course_factory):
    record_visit(person=agent, course=course_factory())
    english(client).force_login(agent)
    html = client.get(reverse("certification:guidance")).content.decode()
    assert "Welcome to Actitud" not in html


def test_the_next_step_is_the_first_unfinished_required_step_of_the_overdue_course(
    client, agent, supervisor, team, course_factory
):
    soon = course_factory(title="Conceptos", lessons=4)
    late = course_factory(title="Quejas", lessons=3)
    assign_course(actor=supervisor, course=soon, team=team, due_on=TODAY() + timedelta(3))
    assign_course(actor=supervisor, course=late, team=team, due_on=TODAY() + timedelta(10))
    Assignment.objects.filter(course=late).update(due_on=TODAY() - timedelta(2))
    first, second, *_ = lessons(late)
    complete_step(person=agent, step=first)
    english(client).force_login(agent)
    html = client.get(reverse("certification:guidance")).content.decode()
    assert "Continue: lesson 2 of Quejas" in html
    assert f'href="{second.url}"' in html
    assert "overdue by 2 days" in html


def test_then_the_soonest_due_then_the_most_recently_visited(
    agent, supervisor, team, course_factory
):
    later = course_factory(title="Conceptos", lessons=2)
    sooner = course_factory(title="Quejas", lessons=2)
    visited_long_ago = course_factory(title="Cierre", lessons=2)
    visited_now = course_factory(title="Escucha", lessons=2)
    assign_course(actor=supervisor, course=later, team=team, due_on=TODAY() + timedelta(9))
    assign_course(actor=supervisor, course=sooner, team=team, due_on=TODAY() + timedelta(3))
    record_visit(person=agent, course=visited_long_ago)
    record_visit(person=agent, course=visited_now)
    order = []
    for _ in range(4):
        step = next_step(agent)
        order.append(step.course.title)
        for lesson in lessons(step.course):
            complete_step(person=agent, step=lesson)
    assert order == ["Quejas", "Conceptos", "Escucha", "Cierre"]
    assert next_step(agent) is None


def test_optional_steps_are_not_the_next_step(agent, course_factory):
    course = course_factory(title="Conceptos", lessons=3, optional=1)
    record_visit(person=agent, course=course)
    for lesson in lessons(course)[:2]:
        complete_step(person=agent, step=lesson)
    assert next_step(agent) is None  # the course is completed: only the optional step is left


def test_due_soon_lists_overdue_and_the_next_two_weeks_only(
    client, agent, supervisor, team, course_factory
):
    for title, days in (("Conceptos", 3), ("Quejas", -1), ("Cierre", 30)):
        course = course_factory(title=title, lessons=1)
        assign_course(actor=supervisor, course=course, team=team, due_on=TODAY() + timedelta(5))
        Assignment.objects.filter(course=course).update(due_on=TODAY() + timedelta(days))
    english(client).force_login(agent)
    response = client.get(reverse("certification:guidance"))
    assert [a.course.title for a in response.context["due_soon"]] == ["Quejas", "Conceptos"]
    html = response.content.decode()
    assert "due in 3 days" in html and "overdue by 1 day" in html


def test_progress_toward_certification_counts_what_is_met_and_links_to_my_certificates(
    client, agent, supervisor, team, course_factory
):
    conceptos = course_factory(title="Conceptos", lessons=1)
    quejas = course_factory(title="Quejas", lessons=1)
    programme = Programme.objects.create(name="Atención telefónica")
    programme.courses.set([conceptos, quejas])
    programme.save()
    assign_course(actor=supervisor, course=conceptos, team=team, due_on=TODAY() + timedelta(3))
    complete_step(person=agent, step=lessons(conceptos)[0])
    Programme.objects.create(name="Ventas")  # none of its courses concern the agent
    english(client).force_login(agent)
    html = client.get(reverse("certification:guidance")).content.decode()
    assert "Atención telefónica" in html and "1 of 2 requirements met" in html
    assert "Ventas" not in html
    assert f'href="{reverse("certification:mine")}"' in html


def test_a_valid_certificate_shows_until_when(client, agent, course_factory):
    course = course_factory(title="Conceptos", lessons=1)
    programme = Programme.objects.create(name="Atención telefónica")
    programme.courses.set([course])
    programme.save()
    now = timezone.now()
    Certificate.objects.create(
        person=agent, programme=programme, issued_at=now, expires_at=now + timedelta(days=200)
    )
    english(client).force_login(agent)
    html = client.get(reverse("certification:guidance")).content.decode()
    assert "certified, valid until" in html


@pytest.mark.parametrize("viewer", ["agent", "supervisor", "hr", "editor"])
def test_everyone_signed_in_sees_only_their_own_home(
    client, request, viewer, agent, supervisor, team, course_factory
):
    course = course_factory(title="Conceptos", lessons=1)
    assign_course(actor=supervisor, course=course, team=team, due_on=TODAY() + timedelta(3))
    person = request.getfixturevalue(viewer)
    english(client).force_login(person)
    response = client.get(reverse("certification:guidance"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    # Only the agent has the course assigned (a supervisor is not a member of the team's
    # assignment unless they are an agent of it).
    assert ("Continue: lesson 1 of Conceptos" in html) is (viewer == "agent")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("certification:guidance"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_home_queries_do_not_grow_with_the_agents_history(
    client, agent, supervisor, team, course_factory, django_assert_max_num_queries
):
    programme = Programme.objects.create(name="Atención telefónica")
    programme.courses.set([course_factory(title="Base", lessons=2)])
    programme.save()
    client.force_login(agent)
    for size in (2, 12):
        while Assignment.objects.filter(person=agent).count() < size:
            n = Assignment.objects.count()
            course = course_factory(title=f"Curso {n}", lessons=3)
            assign_course(actor=supervisor, course=course, team=team, due_on=TODAY() + timedelta(n))
            record_visit(person=agent, course=course)
            complete_step(person=agent, step=lessons(course)[0])
        with django_assert_max_num_queries(12):
            response = client.get(reverse("certification:guidance"))
        assert response.status_code == HTTPStatus.OK
        assert response.context["next"] is not None


def test_the_navigation_has_the_calendar(client, user_factory):
    client.force_login(user_factory(roles=[Role.AGENT]))
    nav = english(client).get(reverse("certification:guidance")).context["nav_items"]
    assert [str(item["label"]) for item in nav] == [
        "My learning",
        "My profile",
        "Calendar",
        "My certificates",
    ]

    assert [str(item["label"]) for item in nav] == [
        "My learning",
        "My profile",
        "Calendar",
        "My certificates",
    ]


@pytest.fixture
def quiz(quiz_factory, course_factory):  # noqa: F811
    return quiz_factory(course=course_factory(title="Trato telefónico", lessons=1))


def test_what_the_supervisor_asked_to_repeat_is_on_inicio_until_it_is_repeated(
    client, agent, supervisor, quiz, django_capture_on_commit_callbacks
):
    from certification.services import request_retake
    from quizzes.services import start_attempt, submit_attempt

    with django_capture_on_commit_callbacks(execute=True):
        request_retake(
            person=agent, step=quiz, requested_by=supervisor, due_on=TODAY() + timedelta(2)
        )
    english(client).force_login(agent)
    html = client.get(reverse("certification:guidance")).content.decode()
    assert "Asked to repeat" in html
    assert f'href="{quiz.url}"' in html
    assert "asked by Marta Ruiz" in html and "due in 2 days" in html
    submit_attempt(attempt=start_attempt(person=agent, quiz=quiz))
    html = client.get(reverse("certification:guidance")).content.decode()
    assert "Asked to repeat" not in html
