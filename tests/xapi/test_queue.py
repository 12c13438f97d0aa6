"""Every lifecycle event is queued as one statement in the event's transaction."""

from datetime import timedelta

from django.db import transaction

import pytest

from courses import lifecycle
from xapi.models import Statement


def quiz_events(person, quiz, attempt_pk=7):
    registration = lifecycle.registration_for("quiz-attempt", attempt_pk)
    common = {"person": person, "step": quiz, "registration": registration}
    prefix = f"quiz-attempt-{attempt_pk}"
    lifecycle.start(
        key=f"{prefix}:started", detail={"attempt_id": attempt_pk, "number": 1}, **common
    )
    lifecycle.progress(
        key=f"{prefix}:answered:55",
        detail={
            "attempt_id": attempt_pk,
            "question_id": 55,
            "question": "¿Qué valora más el cliente?",
            "interaction": "choice",
            "choices": [{"id": 1, "text": "Cortesía"}, {"id": 2, "text": "Rapidez"}],
            "response": [1],
            "score": 1.0,
            "success": True,
            "critical": False,
            "evidence": {"cortesia": 1.0},
        },
        **common,
    )
    lifecycle.finish(
        key=f"{prefix}:finished",
        outcome=lifecycle.Outcome(
            lifecycle.Status.PASSED, score=0.8, duration=timedelta(minutes=3, seconds=5)
        ),
        detail={
            "attempt_id": attempt_pk,
            "number": 1,
            "critical_count": 0,
            "auto_submitted": False,
        },
        **common,
    )
    return registration


def test_each_event_is_queued_once_in_its_transaction(agent, quiz):
    registration = quiz_events(agent, quiz)
    quiz_events(agent, quiz)  # the same facts reported again

    statements = Statement.objects.filter(registration=registration)
    assert [s.verb for s in statements] == ["attempted", "answered", "passed"]
    assert {s.state for s in statements} == {Statement.State.PENDING}  # no LRS configured
    assert {s.person_id for s in statements} == {agent.pk}
    assert {s.course_id for s in statements} == {quiz.course.pk}
    assert {s.step_id for s in statements} == {quiz.pk}


def test_a_rolled_back_event_leaves_no_statement(agent, quiz):
    with pytest.raises(RuntimeError), transaction.atomic():
        quiz_events(agent, quiz)
        raise RuntimeError("the submission failed")

    assert not Statement.objects.exists()


def test_the_statement_id_is_the_events_stable_uuid(agent, quiz):
    registration = lifecycle.registration_for("quiz-attempt", 7)
    event = lifecycle.start(
        person=agent, step=quiz, key="quiz-attempt-7:started", registration=registration
    )

    statement = Statement.objects.get()
    assert statement.pk == event.uuid
    assert statement.data["id"] == str(event.uuid)
    assert statement.data["context"]["registration"] == str(registration)


def test_an_event_costs_one_query(agent, quiz, django_assert_num_queries):
    registration = lifecycle.registration_for("quiz-attempt", 7)
    lifecycle.start(
        person=agent, step=quiz, key="quiz-attempt-7:started", registration=registration
    )
    with django_assert_num_queries(1):  # the insert: titles are cached, the actor is derived
        lifecycle.progress(
            person=agent,
            step=quiz,
            key="quiz-attempt-7:answered:1",
            registration=registration,
            course_id=quiz.course.pk,
            detail={"question_id": 1, "question": "¿?", "response": [1], "score": 0.5},
        )
    assert Statement.objects.count() == 2


def test_the_actor_name_is_opaque_and_stable(settings, agent, teammate):
    from xapi.queue import actor_name

    assert actor_name(agent.pk) == actor_name(agent.pk)
    assert actor_name(agent.pk) != actor_name(teammate.pk)
    before = actor_name(agent.pk)
    settings.XAPI_ACTOR_KEY = "another-organisation-key"
    assert actor_name(agent.pk) != before
