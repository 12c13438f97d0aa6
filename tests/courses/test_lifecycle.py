"""Every course step reports its lifecycle through courses.lifecycle: what each flow records
inside its transaction (activity_recorded), and the domain signals sent once after commit —
and not at all when the transaction rolls back."""

from datetime import timedelta

from django.db import transaction

import pytest

from courses import lifecycle
from courses.models import Enrolment, StepCompletion, StepStart
from courses.services import complete_step
from quizzes.models import Attempt
from quizzes.services import save_answer, start_attempt, submit_attempt
from scenarios.models import Run
from scenarios.services import choose, start_run
from tests.quizzes.conftest import category, question_factory, question_id, questions, quiz_factory  # noqa: F401
from tests.quizzes.test_attempts import answer_all_well
from tests.scenarios.conftest import BEST, personality, play, scenario_factory  # noqa: F401

from .conftest import lessons_of

pytestmark = pytest.mark.django_db

AFTER_COMMIT = {
    "started": lifecycle.activity_started,
    "progressed": lifecycle.activity_progressed,
    "finished": lifecycle.activity_finished,
    "course_completed": lifecycle.course_completed,
}


class Boom(Exception):
    pass


@pytest.fixture
def recorded():
    """The events sent through activity_recorded, in order."""
    events = []

    def listen(sender, event, **kwargs):
        events.append(event)

    lifecycle.activity_recorded.connect(listen, dispatch_uid="test_recorded")
    yield events
    lifecycle.activity_recorded.disconnect(dispatch_uid="test_recorded")


@pytest.fixture
def announced():
    """The after-commit signals received, as (name, kwargs without the signal)."""
    heard = []
    for name, signal in AFTER_COMMIT.items():

        def listen(sender, name=name, signal=None, **kwargs):
            heard.append((name, kwargs))

        signal.connect(listen, dispatch_uid=f"test_{name}", weak=False)
    yield heard
    for name, signal in AFTER_COMMIT.items():
        signal.disconnect(dispatch_uid=f"test_{name}")


@pytest.fixture
def quiz(quiz_factory):  # noqa: F811
    return quiz_factory()


@pytest.fixture
def scenario(scenario_factory):  # noqa: F811
    return scenario_factory()


def names(heard):
    return [name for name, _ in heard]


def _finish_lessons(person, course):
    for lesson in lessons_of(course):
        complete_step(person=person, step=lesson)


# Quizzes


def test_a_quiz_attempt_reports_started_each_answer_and_its_end(
    agent, quiz, recorded, announced, django_capture_on_commit_callbacks
):
    course = quiz.get_parent()
    _finish_lessons(agent, course)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = start_attempt(person=agent, quiz=quiz)
    registration = lifecycle.registration_for("quiz-attempt", attempt.pk)
    (started,) = recorded
    assert started.kind == lifecycle.Kind.STARTED
    assert started.key == f"quiz-attempt-{attempt.pk}:started"
    assert started.registration == registration
    assert (started.person_id, started.step_id, started.course_id) == (agent.pk, quiz.pk, course.pk)
    assert started.step_type == "quiz"
    assert started.detail == {"attempt_id": attempt.pk, "number": 1}
    assert names(announced) == ["started"]

    for key, response in answer_all_well(attempt).items():
        save_answer(attempt=attempt, question_id=question_id(attempt, key), response=response)
    recorded.clear(), announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=attempt, refresh_statistics=False)
    attempt.refresh_from_db()

    *answers, finished = recorded
    assert [e.kind for e in answers] == [lifecycle.Kind.PROGRESSED] * len(attempt.questions)
    assert [e.key for e in answers] == [
        f"quiz-attempt-{attempt.pk}:answered:{q['id']}" for q in attempt.questions
    ]
    assert {e.registration for e in recorded} == {registration}
    by_key = {q["key"]: e.detail for q, e in zip(attempt.questions, answers, strict=True)}
    single = by_key["q-single"]
    assert set(single) == {
        "attempt_id", "question_id", "question", "interaction", "choices", "response",
        "score", "success", "critical", "evidence",
    }  # fmt: skip
    assert single["interaction"] == "choice" and single["question"] == "Pregunta q-single"
    assert single["response"] == [c["id"] for c in single["choices"] if c["text"] == "Cortesía"]
    assert single["score"] == 1.0 and single["success"] is True and not single["critical"]
    assert by_key["q-multiple"]["interaction"] == "multiple-choice"
    rating = by_key["q-rating"]
    assert rating["interaction"] == "likert" and rating["success"] is None
    assert set(rating["response"].values()) == {4, 1}
    situational = by_key["q-situational"]
    assert situational["success"] is None
    assert situational["evidence"] == {"cortesia": 1.0, "capacidad-de-respuesta": 1.0}

    assert finished.kind == lifecycle.Kind.FINISHED
    assert finished.key == f"quiz-attempt-{attempt.pk}:finished"
    assert finished.outcome == lifecycle.Outcome(
        status=lifecycle.Status.PASSED,
        score=1.0,
        duration=attempt.submitted_at - attempt.started_at,
    )
    assert finished.detail == {
        "attempt_id": attempt.pk, "number": 1, "critical_count": 0, "auto_submitted": False,
    }  # fmt: skip
    assert names(announced) == ["progressed"] * len(answers) + ["finished", "course_completed"]
    completed = announced[-1][1]
    assert completed["event"] == finished and completed["course"].pk == course.pk
    assert completed["enrolment"] == Enrolment.objects.get(person=agent, course=course)
    assert StepCompletion.objects.filter(person=agent, step=quiz).exists()

    recorded.clear(), announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=attempt, refresh_statistics=False)  # a second click
    assert recorded == [] and announced == []


def test_a_failed_quiz_finishes_failed_and_leaves_the_step_open(
    agent, quiz, recorded, announced, django_capture_on_commit_callbacks
):
    attempt = start_attempt(person=agent, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=attempt, refresh_statistics=False)  # nothing answered
    finished = recorded[-1]
    assert finished.outcome.status == lifecycle.Status.FAILED and finished.outcome.score == 0.0
    assert all(e.detail["success"] in (False, None) for e in recorded[1:-1])
    assert "course_completed" not in names(announced)
    assert not StepCompletion.objects.filter(person=agent, step=quiz).exists()


def test_a_rolled_back_submission_records_but_announces_nothing(
    agent, quiz, recorded, announced, django_capture_on_commit_callbacks
):
    _finish_lessons(agent, quiz.get_parent())
    attempt = start_attempt(person=agent, quiz=quiz)
    recorded.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                submit_attempt(attempt=attempt, refresh_statistics=False)
                raise Boom
        except Boom:
            pass
    assert recorded and recorded[-1].kind == lifecycle.Kind.FINISHED  # in the transaction
    assert callbacks == [] and announced == []
    assert not Attempt.objects.submitted().exists()
    assert not Enrolment.objects.filter(completed_at__isnull=False).exists()


# Role-plays


def test_a_role_play_run_reports_started_each_decision_and_its_end(
    agent, scenario, recorded, announced, django_capture_on_commit_callbacks
):
    course = scenario.get_parent()
    _finish_lessons(agent, course)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(person=agent, scenario=scenario)
        for line, choice in BEST:
            run = choose(run=run, line_key=line, choice_key=choice)
    run.refresh_from_db()
    name = f"scenario-run-{run.pk}"
    assert [e.key for e in recorded] == [
        f"{name}:started", f"{name}:decided:1", f"{name}:decided:2", f"{name}:decided:3",
        f"{name}:finished",
    ]  # fmt: skip
    assert {e.registration for e in recorded} == {
        lifecycle.registration_for("scenario-run", run.pk)
    }
    assert {(e.step_id, e.course_id, e.step_type) for e in recorded} == {
        (scenario.pk, course.pk, "scenario")
    }
    started, first, *_, finished = recorded
    assert started.detail == {"run_id": run.pk, "number": 1}
    assert first.detail == {
        "run_id": run.pk,
        "position": 1,
        "line_key": "inicio",
        "line": "¡Me han cobrado dos veces!",
        "choice_key": "escucha",
        "choice": "«Entiendo su enfado; déjeme revisarlo.»",
        "score": 1.0,
        "critical": False,
        "evidence": {"cortesia": 1.0, "comprension-del-cliente": 1.0},
    }
    assert finished.outcome == lifecycle.Outcome(
        status=lifecycle.Status.COMPLETED, score=1.0, duration=run.finished_at - run.started_at
    )
    assert finished.detail == {
        "run_id": run.pk, "number": 1, "ending_key": "fin-fiel", "ending": "¡Qué buen trato!",
        "outcome": "fidelizado", "critical": False,
    }  # fmt: skip
    assert names(announced) == [
        "started", "progressed", "progressed", "progressed", "finished", "course_completed",
    ]  # fmt: skip
    assert announced[-1][1]["event"] == finished
    assert StepCompletion.objects.filter(person=agent, step=scenario).exists()


def test_a_critical_choice_fails_the_run_and_still_completes_the_step(
    agent, scenario, recorded, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(person=agent, scenario=scenario)
        choose(run=run, line_key="inicio", choice_key="insulto")
    decided, finished = recorded[-2:]
    assert decided.detail["critical"] is True and decided.detail["score"] == 0.0
    assert finished.outcome.status == lifecycle.Status.FAILED
    assert finished.detail["outcome"] == "perdido" and finished.detail["critical"] is True
    assert finished.outcome.counts
    assert names(announced)[:3] == ["started", "progressed", "finished"]
    assert StepCompletion.objects.filter(person=agent, step=scenario).exists()


def test_a_choice_posted_by_the_page_names_the_course(
    client, agent, scenario, recorded, announced, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    client.post(scenario.url + "empezar/")
    with django_capture_on_commit_callbacks(execute=True):
        play(client, scenario, BEST[:1])
    decided = recorded[-1]
    assert decided.key == f"scenario-run-{Run.objects.get().pk}:decided:1"
    assert (decided.course_id, decided.person_id) == (scenario.get_parent().pk, agent.pk)
    assert names(announced) == ["progressed"]


def test_a_rolled_back_decision_announces_nothing(
    agent, scenario, recorded, announced, django_capture_on_commit_callbacks
):
    run = start_run(person=agent, scenario=scenario)
    recorded.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                choose(run=run, line_key="inicio", choice_key="escucha")
                raise Boom
        except Boom:
            pass
    assert [e.kind for e in recorded] == [lifecycle.Kind.PROGRESSED]
    assert callbacks == [] and announced == []


# Lessons


def test_a_lesson_reports_its_first_opening_once_and_its_completion(
    client, agent, course_factory, recorded, announced, django_capture_on_commit_callbacks
):
    course = course_factory(lessons=2)
    first, last = lessons_of(course)
    complete_step(person=agent, step=first)
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(last.url)
        client.get(last.url)  # opening it again reports nothing new
    enrolment = Enrolment.objects.get(person=agent, course=course)
    registration = lifecycle.registration_for("enrolment", enrolment.pk)
    (started,) = recorded
    assert started.key == f"lesson-{last.pk}-person-{agent.pk}:started"
    assert (started.kind, started.registration) == (lifecycle.Kind.STARTED, registration)
    assert (started.step_id, started.course_id, started.step_type) == (last.pk, course.pk, "lesson")
    assert started.detail == {}
    assert StepStart.objects.filter(person=agent, step=last).count() == 1
    assert names(announced) == ["started"]

    recorded.clear(), announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(last.url + "completar/")
    assert response.status_code == 302
    (finished,) = recorded
    assert finished.key == f"lesson-{last.pk}-person-{agent.pk}:completed"
    assert finished.registration == registration
    assert finished.outcome.status == lifecycle.Status.COMPLETED
    assert finished.outcome.score is None
    assert timedelta(0) <= finished.outcome.duration < timedelta(minutes=5)
    assert names(announced) == ["finished", "course_completed"]
    assert announced[-1][1]["event"] == finished
    assert announced[-1][1]["enrolment"].completed_at is not None

    recorded.clear(), announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(last.url + "completar/")  # again: the same fact, the course once
    assert [e.key for e in recorded] == [finished.key]
    assert names(announced) == ["finished"]


def test_a_rolled_back_completion_announces_nothing(
    agent, course_factory, recorded, announced, django_capture_on_commit_callbacks
):
    from courses.services import complete_lesson

    (lesson,) = lessons_of(course_factory(lessons=1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                complete_lesson(person=agent, lesson=lesson)
                raise Boom
        except Boom:
            pass
    assert [e.kind for e in recorded] == [lifecycle.Kind.FINISHED]
    assert callbacks == [] and announced == []
    assert not StepCompletion.objects.exists()
