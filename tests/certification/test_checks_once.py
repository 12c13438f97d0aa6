"""Certification hears each change of progress once, through the course steps' lifecycle: a
quiz submission or a role-play run that also completes the course checks the programmes once
(it was twice, once per model saved), and the certificate is issued."""

import pytest

from attitude.services import Item, record_evidence
from certification import services
from certification.models import Certificate, Programme
from courses.services import complete_lesson, complete_step
from quizzes.services import save_answer, start_attempt, submit_attempt
from scenarios.services import choose, start_run
from tests.courses.conftest import lessons_of
from tests.quizzes.conftest import category, question_factory, question_id, questions, quiz_factory  # noqa: F401
from tests.quizzes.test_attempts import answer_all_well
from tests.scenarios.conftest import BEST, personality, scenario_factory  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(course_factory):
    return course_factory(title="Cortesía", slug="cortesia", lessons=1)


@pytest.fixture
def programme(course):
    programme = Programme.objects.create(name="Agente certificado", validity_months=12)
    programme.courses.set([course])
    programme.save()
    return programme


@pytest.fixture
def quiz(quiz_factory, course):  # noqa: F811
    return quiz_factory(course=course)


@pytest.fixture
def scenario(scenario_factory, course):  # noqa: F811
    return scenario_factory(course=course)


@pytest.fixture
def checks(monkeypatch):
    """The people whose programmes were checked, in order (the real check runs)."""
    checked = []
    real = services.check_person

    def check_person(person):
        checked.append(person.pk)
        return real(person)

    monkeypatch.setattr(services, "check_person", check_person)
    return checked


def _lesson_done(person, course):
    for lesson in lessons_of(course):
        complete_step(person=person, step=lesson)


def test_a_quiz_that_completes_the_course_checks_the_programmes_once(
    agent, course, programme, quiz, checks, django_capture_on_commit_callbacks
):
    _lesson_done(agent, course)
    attempt = start_attempt(person=agent, quiz=quiz)
    for key, response in answer_all_well(attempt).items():
        save_answer(attempt=attempt, question_id=question_id(attempt, key), response=response)
    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=attempt, refresh_statistics=False)
    assert checks == [agent.pk]
    assert Certificate.objects.filter(person=agent, programme=programme).count() == 1


def test_a_failed_quiz_checks_once_too(
    agent, course, programme, quiz, checks, django_capture_on_commit_callbacks
):
    attempt = start_attempt(person=agent, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=attempt, refresh_statistics=False)
    assert checks == [agent.pk]  # its evidence may change the attitude requirements
    assert not Certificate.objects.exists()


def test_a_role_play_that_completes_the_course_checks_once(
    agent, course, programme, scenario, checks, django_capture_on_commit_callbacks
):
    _lesson_done(agent, course)
    run = start_run(person=agent, scenario=scenario)
    with django_capture_on_commit_callbacks(execute=True):
        for line, choice in BEST:
            run = choose(run=run, line_key=line, choice_key=choice)
    assert checks == [agent.pk]
    assert Certificate.objects.filter(person=agent).count() == 1


def test_a_lesson_checks_only_when_it_completes_the_course(
    agent, course_factory, programme, checks, django_capture_on_commit_callbacks
):
    course = course_factory(title="Escucha", slug="escucha", lessons=2)
    programme.courses.set([course])
    programme.save()
    first, last = lessons_of(course)
    with django_capture_on_commit_callbacks(execute=True):
        complete_lesson(person=agent, lesson=first)
    assert checks == []  # nothing a programme reads has changed
    with django_capture_on_commit_callbacks(execute=True):
        complete_lesson(person=agent, lesson=last)
    assert checks == [agent.pk]
    assert Certificate.objects.filter(person=agent).count() == 1


def test_evidence_recorded_outside_an_activity_checks_once(
    agent, course, programme, checks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_evidence(
            person=agent, activity=course, source="quiz", reference="a1",
            items=[Item("cortesia", 0.9)] * 6,
        )  # fmt: skip
    assert checks == [agent.pk]


def test_nothing_is_checked_when_the_submission_rolls_back(
    agent, course, programme, quiz, checks, django_capture_on_commit_callbacks
):
    from django.db import transaction

    attempt = start_attempt(person=agent, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                submit_attempt(attempt=attempt, refresh_statistics=False)
                raise RuntimeError
        except RuntimeError:
            pass
    assert checks == []
