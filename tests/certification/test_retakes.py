"""From the review of an attempt or run the supervisor asks the agent to repeat it — by a due
date (re-assign) or as a nudge — and the agent is told in the site and by email; the request
is done once the agent repeats it. Coaching notes written there stay beside the question."""

import re
from datetime import timedelta
from http import HTTPStatus

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from certification.models import CoachingNote, NoteKind, Retake
from certification.selectors import open_retakes
from people.models import Notification
from quizzes.services import start_attempt, submit_attempt
from scenarios.services import choose, start_run
from tests.certification.activities import es, submitted_attempt
from tests.quizzes.conftest import category, question_factory, questions, quiz_factory  # noqa: F401
from tests.scenarios.conftest import personality, scenario_factory  # noqa: F401

pytestmark = pytest.mark.django_db

IN_A_WEEK = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def course(course_factory):
    return course_factory(title="Trato telefónico", slug="trato-telefonico", lessons=1)


@pytest.fixture
def quiz(quiz_factory, course):  # noqa: F811
    return quiz_factory(course=course)


@pytest.fixture
def scenario(scenario_factory, course):  # noqa: F811
    return scenario_factory(course=course)


@pytest.fixture
def attempt(agent, quiz):
    return submitted_attempt(agent, quiz)


def token(html):
    return re.search(r'name="submit_token" value="([^"]+)"', html).group(1)


def post(client, url, data, capture):
    with capture(execute=True):
        return client.post(url, data)


def test_a_supervisor_reassigns_a_quiz_by_a_date_and_the_agent_is_told_once(
    client, supervisor, agent, attempt, quiz, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    url = reverse("certification:attempt_retake", args=[attempt.pk])
    page = client.get(url).content.decode()
    assert agent.full_name in page and "Evaluación" in page
    assert "1" in page and es("Due date") in page
    response = post(
        client,
        url,
        {"due_on": IN_A_WEEK.isoformat(), "submit_token": token(page)},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("certification:attempt_review", args=[attempt.pk])
    retake = Retake.objects.get()
    assert (retake.person, retake.step_id, retake.due_on, retake.requested_by) == (
        agent,
        quiz.pk,
        IN_A_WEEK,
        supervisor,
    )
    notification = Notification.objects.get(person=agent)
    assert notification.kind == Notification.Kind.RETAKE_REQUESTED
    assert notification.url == quiz.url
    assert notification.params["author"] == "Marta Ruiz"
    assert notification.params["step"] == "Evaluación"
    assert notification.params["due_on"] == IN_A_WEEK.isoformat()
    (email,) = mail.outbox
    assert email.to == [agent.email]
    assert "Evaluación" in email.subject and "Marta Ruiz" in email.body
    assert quiz.url in email.body
    # The same form sent again (a double click) tells nobody twice.
    post(
        client,
        url,
        {"due_on": IN_A_WEEK.isoformat(), "submit_token": token(page)},
        django_capture_on_commit_callbacks,
    )
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_a_nudge_tells_the_agent_without_a_date(
    client, hr, agent, scenario, django_capture_on_commit_callbacks
):
    run = start_run(person=agent, scenario=scenario)
    choose(run=run, line_key="inicio", choice_key="insulto")
    client.force_login(hr)
    url = reverse("certification:run_nudge", args=[run.pk])
    page = client.get(url).content.decode()
    post(client, url, {"submit_token": token(page)}, django_capture_on_commit_callbacks)
    retake = Retake.objects.get()
    assert retake.due_on is None and retake.step_id == scenario.pk
    notification = Notification.objects.get(person=agent)
    assert notification.kind == Notification.Kind.NUDGE
    assert "Rocío Sanz" in notification.message and "Un cobro doble" in notification.message
    assert len(mail.outbox) == 1 and scenario.url in mail.outbox[0].body


def test_the_request_is_done_once_the_agent_repeats_the_quiz(
    client, supervisor, agent, attempt, quiz, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    url = reverse("certification:attempt_retake", args=[attempt.pk])
    post(client, url, {"due_on": IN_A_WEEK.isoformat()}, django_capture_on_commit_callbacks)
    (retake,) = open_retakes(agent)
    assert (retake.title, retake.url, retake.due_on) == ("Evaluación", quiz.url, IN_A_WEEK)
    assert retake.requested_by == "Marta Ruiz"
    review = client.get(reverse("certification:attempt_review", args=[attempt.pk]))
    assert (
        "not repeated yet" in review.content.decode()
        or es("Asked on %(date)s to repeat it by %(due)s; not repeated yet.").split("%")[0]
        in review.content.decode()
    )
    started = start_attempt(person=agent, quiz=quiz)
    assert open_retakes(agent)  # starting is not repeating
    submit_attempt(attempt=started, refresh_statistics=False)
    assert open_retakes(agent) == []
    assert Retake.objects.with_done().get().done


def test_a_role_play_request_is_done_once_a_new_run_finishes(
    client, supervisor, agent, scenario, django_capture_on_commit_callbacks
):
    run = start_run(person=agent, scenario=scenario)
    choose(run=run, line_key="inicio", choice_key="insulto")
    client.force_login(supervisor)
    post(
        client,
        reverse("certification:run_retake", args=[run.pk]),
        {"due_on": IN_A_WEEK.isoformat()},
        django_capture_on_commit_callbacks,
    )
    assert [r.title for r in open_retakes(agent)] == ["Un cobro doble"]
    again = start_run(person=agent, scenario=scenario)
    choose(run=again, line_key="inicio", choice_key="insulto")
    assert open_retakes(agent) == []


def test_asking_again_moves_the_open_requests_date_and_a_nudge_keeps_it(
    client, supervisor, agent, attempt, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    retake_url = reverse("certification:attempt_retake", args=[attempt.pk])
    later = IN_A_WEEK + timedelta(days=7)
    post(client, retake_url, {"due_on": IN_A_WEEK.isoformat()}, django_capture_on_commit_callbacks)
    post(client, retake_url, {"due_on": later.isoformat()}, django_capture_on_commit_callbacks)
    post(
        client,
        reverse("certification:attempt_nudge", args=[attempt.pk]),
        {},
        django_capture_on_commit_callbacks,
    )
    assert Retake.objects.get().due_on == later
    assert [r.due_on for r in open_retakes(agent)] == [later]
    kinds = list(Notification.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["retake_requested", "retake_requested", "nudge"]
    assert len(mail.outbox) == 3


def test_a_past_due_date_is_refused_and_nothing_is_told(
    client, supervisor, attempt, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = post(
        client,
        reverse("certification:attempt_retake", args=[attempt.pk]),
        {"due_on": yesterday.isoformat()},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == HTTPStatus.OK
    assert es("The due date cannot be in the past.") in response.content.decode()
    assert not Retake.objects.exists() and not Notification.objects.exists()
    assert mail.outbox == []


def test_a_quiz_without_attempts_left_cannot_be_reassigned(
    client,
    supervisor,
    agent,
    quiz_factory,  # noqa: F811
    course_factory,
    django_capture_on_commit_callbacks,
):
    quiz = quiz_factory(course=course_factory(title="Otro", slug="otro"), max_attempts=1)
    attempt = submitted_attempt(agent, quiz)
    client.force_login(supervisor)
    review = client.get(reverse("certification:attempt_review", args=[attempt.pk]))
    retake_url = reverse("certification:attempt_retake", args=[attempt.pk])
    assert retake_url not in review.content.decode()
    refusal = es("%(name)s has no attempts left at “%(title)s”.") % {
        "name": agent.full_name,
        "title": quiz.title,
    }
    assert refusal in review.content.decode()
    post(client, retake_url, {"due_on": IN_A_WEEK.isoformat()}, django_capture_on_commit_callbacks)
    assert not Retake.objects.exists() and mail.outbox == []


def test_open_retakes_reads_the_same_queries_for_one_or_many(
    agent,
    supervisor,
    quiz_factory,  # noqa: F811
    course_factory,
    django_assert_max_num_queries,
):
    from certification.services import request_retake

    for number in range(1, 7):
        course = course_factory(title=f"Curso {number}", slug=f"curso-{number}")
        quiz = quiz_factory(course=course)
        request_retake(person=agent, step=quiz, requested_by=supervisor, due_on=IN_A_WEEK)
        if number in (1, 6):
            with django_assert_max_num_queries(3):
                assert len(open_retakes(agent)) == number


def test_a_shared_note_written_on_the_review_stays_beside_its_question(
    client, supervisor, agent, attempt, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    review_url = reverse("certification:attempt_review", args=[attempt.pk])
    page = client.get(review_url + "?position=4").content.decode()
    add_note = reverse("certification:add_note", args=[agent.pk])
    assert f'action="{add_note}"' in page
    assert re.search(r'<option value="4" selected>', page)
    response = post(
        client,
        add_note,
        {
            "text": "Nunca culpes al cliente: reconoce su enfado primero.",
            "kind": NoteKind.SHARED,
            "attempt": attempt.pk,
            "position": 4,
            "next": review_url,
            "submit_token": token(page),
        },
        django_capture_on_commit_callbacks,
    )
    assert response.url == review_url
    note = CoachingNote.objects.get()
    assert (note.attempt, note.position, note.kind) == (attempt, 4, NoteKind.SHARED)
    html = client.get(review_url).content.decode()
    question = html[html.index('id="question-4"') : html.index('id="question-5"')]
    assert "Nunca culpes al cliente" in question
