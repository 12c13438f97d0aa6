"""Taking a quiz: autosave, resume, the time limit, submitting once, feedback, snapshots."""

import json
import re
from datetime import timedelta
from http import HTTPStatus

from django.utils import timezone

import pytest

from attitude.models import EvidenceRecord
from attitude.selectors import profile_for
from courses.models import StepCompletion
from quizzes.models import AnswerOption, Attempt, AttemptAnswer, Question
from quizzes.services import (
    AttemptClosed,
    NoAttemptsLeft,
    save_answer,
    start_attempt,
    submit_attempt,
)

from .conftest import option_id, question_id

pytestmark = pytest.mark.django_db

SECRETS = ("credit", "critical", "weights", "expert_rating", "Porque sí.", "Sobre «")


def url(quiz, route=""):
    return quiz.url + route


def answer_all_well(attempt):
    """The best answer to each of the five fixture questions."""
    return {
        "q-single": [option_id(attempt, "q-single", "Cortesía")],
        "q-multiple": [
            option_id(attempt, "q-multiple", "Escuchar"),
            option_id(attempt, "q-multiple", "Parafrasear"),
        ],
        "q-true-false": [option_id(attempt, "q-true-false", "Verdadero")],
        "q-situational": [option_id(attempt, "q-situational", "«Entiendo")],
        "q-rating": {
            str(option_id(attempt, "q-rating", "Se disculpa")): 4,
            str(option_id(attempt, "q-rating", "Lee el guion")): 1,
        },
    }


def test_an_agent_answers_reloads_and_finds_the_answer_saved(client, agent, quiz):
    client.force_login(agent)
    response = client.post(url(quiz, "empezar/"))
    assert response["Location"].endswith("pregunta/1/")
    attempt = Attempt.objects.get(person=agent, quiz=quiz)
    chosen = option_id(attempt, "q-single", "Cortesía")
    response = client.post(url(quiz, "pregunta/1/"), {"option": chosen, "action": "next"})
    assert response["Location"].endswith("pregunta/2/")
    page = client.get(url(quiz, "pregunta/1/")).content.decode()
    assert re.search(rf'value="{chosen}"\s+checked', page)
    # Coming back to the quiz resumes at the first question without an answer.
    response = client.post(url(quiz, "empezar/"))
    assert response["Location"].endswith("pregunta/2/")
    assert Attempt.objects.filter(person=agent, quiz=quiz).count() == 1


def test_autosave_keeps_an_answer_without_leaving_the_page(client, agent, quiz):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    picks = [
        option_id(attempt, "q-multiple", "Escuchar"),
        option_id(attempt, "q-multiple", "Interrumpir"),
    ]
    response = client.post(url(quiz, "guardar/2/"), {"option": picks})
    assert response.status_code == HTTPStatus.OK and response.json()["saved"]
    saved = AttemptAnswer.objects.get(
        attempt=attempt, question_id=question_id(attempt, "q-multiple")
    )
    assert sorted(saved.response) == sorted(picks)
    assert not any(secret in response.content.decode() for secret in SECRETS)


def test_before_submission_nothing_on_the_page_reveals_the_key(client, agent, quiz):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    for position in range(1, 6):
        html = client.get(url(quiz, f"pregunta/{position}/")).content.decode()
        assert not any(secret in html for secret in SECRETS), position
    html = client.get(url(quiz, "revisar/")).content.decode()
    assert not any(secret in html for secret in SECRETS)


def test_a_posted_option_that_is_not_offered_is_ignored(client, agent, quiz, questions):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    foreign = questions[1].options.first().pk  # an option of another question
    client.post(url(quiz, "pregunta/1/"), {"option": [foreign, "x"], "action": "next"})
    answer = AttemptAnswer.objects.get(
        attempt=attempt, question_id=question_id(attempt, "q-single")
    )
    assert answer.response == []


def test_submitting_scores_completes_the_step_and_feeds_the_profile(client, agent, quiz):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    for key, response in answer_all_well(attempt).items():
        save_answer(attempt=attempt, question_id=question_id(attempt, key), response=response)
    response = client.post(url(quiz, "enviar/"))
    assert response["Location"].endswith("resultado/1/")
    attempt.refresh_from_db()
    assert attempt.percent == 100 and attempt.passed
    assert StepCompletion.objects.filter(person=agent, step=quiz).exists()
    html = client.get(response["Location"]).content.decode()
    assert "100%" in html  # the key waits for the last attempt: see test_key_visibility
    scores = {d.dimension.slug: d for d in profile_for(agent).dimensions}
    assert scores["cortesia"].percent == 100 and scores["cortesia"].count == 1
    assert scores["comunicacion"].percent == 100


def test_submitting_twice_produces_exactly_one_result(client, agent, quiz):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    first = client.post(url(quiz, "enviar/"))
    second = client.post(url(quiz, "enviar/"))
    assert first["Location"] == second["Location"]
    assert Attempt.objects.filter(person=agent).count() == 1
    assert EvidenceRecord.objects.filter(person=agent).count() == 1
    attempt = Attempt.objects.get(person=agent)
    assert submit_attempt(attempt=attempt).submitted_at == attempt.submitted_at


def test_a_critical_choice_fails_the_question_and_is_reported(client, agent, quiz):
    quiz.high_stakes = False  # a practice quiz: its review shows each answer at once
    quiz.save_revision().publish()
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    bad = option_id(attempt, "q-situational", "«Usted no")
    save_answer(attempt=attempt, question_id=question_id(attempt, "q-situational"), response=[bad])
    response = client.post(url(quiz, "enviar/"))
    attempt.refresh_from_db()
    assert attempt.critical_count == 1
    html = client.get(response["Location"]).content.decode()
    assert "elección crítica" in html
    assert "crítica: Insulto, burla o falta de respeto" in html  # the review says why
    assert profile_for(agent).critical_count == 1


def test_when_time_runs_out_the_attempt_is_submitted_with_what_was_saved(
    client, agent, quiz_factory
):
    quiz = quiz_factory(time_limit_minutes=10)
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=10) + Attempt.GRACE
    good = option_id(attempt, "q-single", "Cortesía")
    client.post(url(quiz, "pregunta/1/"), {"option": good, "action": "next"})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    late = option_id(attempt, "q-true-false", "Verdadero")
    response = client.post(url(quiz, "pregunta/3/"), {"option": late, "action": "next"})
    assert response["Location"].endswith("resultado/1/")
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.percent == 20  # only the saved answer counts
    assert not AttemptAnswer.objects.get(
        attempt=attempt, question_id=question_id(attempt, "q-true-false")
    ).response


def test_expired_attempts_are_closed_by_the_scheduler(agent, quiz_factory):
    from django.core.management import call_command

    quiz = quiz_factory(time_limit_minutes=5)
    attempt = start_attempt(person=agent, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    call_command("close_expired_attempts")
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted


def test_attempts_allowed_are_enforced(agent, quiz_factory):
    quiz = quiz_factory(max_attempts=1)
    submit_attempt(attempt=start_attempt(person=agent, quiz=quiz))
    with pytest.raises(NoAttemptsLeft):
        start_attempt(person=agent, quiz=quiz)


def test_editing_a_question_later_never_changes_an_old_result(client, agent, quiz, questions):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    middle = option_id(attempt, "q-situational", "«Llame")
    save_answer(
        attempt=attempt, question_id=question_id(attempt, "q-situational"), response=[middle]
    )
    submit_attempt(attempt=attempt)
    situational = Question.objects.get(key="q-situational")
    situational.text = "Texto nuevo"
    situational.save()
    AnswerOption.objects.filter(pk=middle).update(credit=1, text="Opción reescrita")
    html = client.get(url(quiz, "resultado/1/")).content.decode()
    assert "Pregunta q-situational" in html and "Texto nuevo" not in html
    assert "«Llame mañana.»" in html and "Opción reescrita" not in html
    attempt.refresh_from_db()
    assert attempt.percent == 4  # 0.2 of 5 questions, as graded then


def test_immediate_feedback_locks_the_checked_answer(client, agent, quiz_factory):
    quiz = quiz_factory(feedback_mode="immediate", high_stakes=False)  # a practice quiz
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    wrong = option_id(attempt, "q-single", "Rapidez")
    client.post(url(quiz, "pregunta/1/"), {"option": wrong, "action": "check"})
    html = client.get(url(quiz, "pregunta/1/")).content.decode()
    assert "Sobre «Rapidez»." in html and "Porque sí." in html
    right = option_id(attempt, "q-single", "Cortesía")
    client.post(url(quiz, "pregunta/1/"), {"option": right, "action": "next"})
    answer = AttemptAnswer.objects.get(
        attempt=attempt, question_id=question_id(attempt, "q-single")
    )
    assert answer.response == [wrong] and answer.checked and answer.score == 0


def test_feedback_waits_until_the_quiz_closes_when_set_so(client, agent, quiz_factory):
    quiz = quiz_factory(feedback_mode="after_close", closes_at=timezone.now() + timedelta(days=1))
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    client.post(url(quiz, "enviar/"))
    html = client.get(url(quiz, "resultado/1/")).content.decode()
    assert "Porque sí." not in html and "Sobre «" not in html
    quiz.closes_at = timezone.now() - timedelta(minutes=1)
    quiz.save()
    html = client.get(url(quiz, "resultado/1/")).content.decode()
    assert "Porque sí." in html


def test_questions_are_drawn_at_random_from_a_category(agent, quiz_factory, questions, category):
    quiz = quiz_factory(fixed=questions[:1], draw_category=category, draw_count=2)
    attempt = start_attempt(person=agent, quiz=quiz)
    keys = [q["key"] for q in attempt.questions]
    assert keys[0] == "q-single" and len(keys) == 3 and len(set(keys)) == 3


def test_the_question_page_query_count_does_not_grow_with_the_quiz(
    client, agent, quiz, django_assert_max_num_queries
):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    client.get(url(quiz, "pregunta/2/"))
    with django_assert_max_num_queries(18):
        client.get(url(quiz, "pregunta/2/"))


@pytest.mark.parametrize("route", ["", "pregunta/1/", "revisar/", "resultado/1/"])
def test_anonymous_people_are_sent_to_sign_in(client, quiz, route):
    response = client.get(url(quiz, route))
    assert response.status_code == HTTPStatus.FOUND and "/cuenta/login/" in response["Location"]


def test_nobody_else_sees_an_agents_attempt(client, agent, teammate, supervisor, hr, editor, quiz):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    client.post(url(quiz, "enviar/"))
    for other in (teammate, supervisor, hr, editor):
        client.force_login(other)
        # The result routes are always "my attempt number N": another person has none.
        assert client.get(url(quiz, "resultado/1/")).status_code == HTTPStatus.NOT_FOUND
        response = client.post(url(quiz, "guardar/1/"), {"option": 1})
        assert response.status_code == HTTPStatus.CONFLICT
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_autosave_after_submission_points_to_the_result(client, agent, quiz):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    client.post(url(quiz, "enviar/"))
    response = client.post(url(quiz, "guardar/1/"), {"option": 1})
    assert response.status_code == HTTPStatus.CONFLICT
    data = json.loads(response.content)
    assert data["redirect"].endswith("resultado/1/") and data["saved"] is False
    assert data["message"] == "El intento ya se entregó: esta respuesta no se guardó."


def test_an_answer_posted_after_the_submit_is_refused_not_stored(client, agent, quiz):
    """A tab left open, or the last autosave in flight when the timer submits: the answer
    arrives with the attempt as the request read it, before the submit; it is refused."""
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    stale = Attempt.objects.get(pk=attempt.pk)
    submit_attempt(attempt=attempt)
    with pytest.raises(AttemptClosed):
        save_answer(
            attempt=stale,
            question_id=question_id(attempt, "q-single"),
            response=[option_id(attempt, "q-single", "Cortesía")],
        )
    graded = AttemptAnswer.objects.get(
        attempt=attempt, question_id=question_id(attempt, "q-single")
    )
    assert graded.response == [] and graded.score == 0
    response = client.post(
        url(quiz, "pregunta/1/"),
        {"option": option_id(attempt, "q-single", "Cortesía"), "action": "next"},
        follow=True,
    )
    assert "esta respuesta no se guardó" in response.content.decode()


def test_options_are_shuffled_in_the_snapshot_when_the_quiz_says_so(quiz_factory):
    import random

    from quizzes.services import build_snapshot

    quiz = quiz_factory(shuffle_options=True)
    orders = {
        tuple(
            o["text"]
            for o in build_snapshot(quiz, random.Random(seed)).get("questions")[1]["options"]
        )
        for seed in range(12)
    }
    assert len(orders) > 1  # the multiple-response question came out in several orders
    true_false = {
        tuple(
            o["text"] for o in build_snapshot(quiz, random.Random(seed))["questions"][2]["options"]
        )
        for seed in range(12)
    }
    assert true_false == {("Verdadero", "Falso")}  # true/false keeps its natural order


def test_the_supervisor_sees_an_agents_critical_choices_in_their_profile(
    client, agent, supervisor, quiz
):
    from django.urls import reverse

    attempt = start_attempt(person=agent, quiz=quiz)
    bad = option_id(attempt, "q-situational", "«Usted no")
    save_answer(attempt=attempt, question_id=question_id(attempt, "q-situational"), response=[bad])
    submit_attempt(attempt=attempt)
    client.force_login(supervisor)
    html = client.get(reverse("attitude:person_profile", args=[agent.pk])).content.decode()
    assert "Elecciones críticas" in html and "Lucía Fernández" in html
