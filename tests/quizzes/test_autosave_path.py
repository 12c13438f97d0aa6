"""The autosave is a quiz's hot path (issue 17): a plain URL outside Wagtail's page routing,
one read of the question and one conditional write, with the refusals of save_answer."""

import re
from http import HTTPStatus

from django.urls import reverse

import pytest

from quizzes.models import Attempt, AttemptAnswer
from quizzes.services import check_answer, save_answer, start_attempt, submit_attempt

from .conftest import option_id, question_id

pytestmark = pytest.mark.django_db


def autosave_url(attempt, position):
    return reverse("quizzes:autosave", args=[attempt.pk, position])


def test_the_question_page_saves_through_the_plain_autosave_url(client, agent, quiz):
    client.force_login(agent)
    client.post(quiz.url + "empezar/")
    attempt = Attempt.objects.get(person=agent)
    page = client.get(quiz.url + "pregunta/2/").content.decode()
    address = re.search(r'data-autosave="([^"]+)"', page).group(1)
    assert address == autosave_url(attempt, 2) and not address.startswith(quiz.url)
    picks = [option_id(attempt, "q-multiple", "Escuchar")]
    response = client.post(address, {"option": picks})
    assert response.status_code == HTTPStatus.OK and response.json()["saved"]
    saved = AttemptAnswer.objects.get(
        attempt=attempt, question_id=question_id(attempt, "q-multiple")
    )
    assert saved.response == picks
    client.post(address, {"option": [option_id(attempt, "q-multiple", "Parafrasear")]})
    saved.refresh_from_db()
    assert saved.response == [option_id(attempt, "q-multiple", "Parafrasear")]


def test_a_rating_question_autosaves_its_ratings(client, agent, quiz):
    client.force_login(agent)
    attempt = start_attempt(person=agent, quiz=quiz)
    position = next(i for i, q in enumerate(attempt.questions, 1) if q["kind"] == "rating")
    option = option_id(attempt, "q-rating", "Se disculpa")
    response = client.post(autosave_url(attempt, position), {f"rating-{option}": "4"})
    assert response.json()["saved"]
    saved = AttemptAnswer.objects.get(attempt=attempt, question_id=question_id(attempt, "q-rating"))
    assert saved.response == {str(option): 4}


def test_after_submission_the_plain_url_refuses_and_points_to_the_result(client, agent, quiz):
    client.force_login(agent)
    attempt = start_attempt(person=agent, quiz=quiz)
    submit_attempt(attempt=attempt)
    response = client.post(
        autosave_url(attempt, 1), {"option": option_id(attempt, "q-single", "Cortesía")}
    )
    assert response.status_code == HTTPStatus.CONFLICT
    data = response.json()
    assert data["saved"] is False and data["redirect"].endswith("resultado/1/")
    graded = AttemptAnswer.objects.get(
        attempt=attempt, question_id=question_id(attempt, "q-single")
    )
    assert graded.response == []


def test_an_autosave_after_the_time_limit_submits_and_refuses(client, agent, quiz_factory):
    from datetime import timedelta

    quiz = quiz_factory(time_limit_minutes=1)
    client.force_login(agent)
    attempt = start_attempt(person=agent, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=attempt.started_at - timedelta(minutes=5),
        deadline=attempt.deadline - timedelta(minutes=5),
    )
    response = client.post(
        autosave_url(attempt, 1), {"option": option_id(attempt, "q-single", "Cortesía")}
    )
    assert response.status_code == HTTPStatus.CONFLICT
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted


def test_a_checked_answer_is_not_changed_by_an_autosave(client, agent, quiz_factory):
    quiz = quiz_factory(feedback_mode="immediate", high_stakes=False)
    client.force_login(agent)
    attempt = start_attempt(person=agent, quiz=quiz)
    first = option_id(attempt, "q-single", "Cortesía")
    save_answer(attempt=attempt, question_id=question_id(attempt, "q-single"), response=[first])
    check_answer(attempt=attempt, question_id=question_id(attempt, "q-single"))
    other = next(o["id"] for o in attempt.questions[0]["options"] if o["id"] != first)
    response = client.post(autosave_url(attempt, 1), {"option": other})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert AttemptAnswer.objects.get(
        attempt=attempt, question_id=question_id(attempt, "q-single")
    ).response == [first]


def test_nobody_saves_into_another_persons_attempt(client, agent, teammate, quiz):
    attempt = start_attempt(person=agent, quiz=quiz)
    client.force_login(teammate)
    response = client.post(
        autosave_url(attempt, 1), {"option": option_id(attempt, "q-single", "Cortesía")}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()


def test_signed_out_the_autosave_sends_to_sign_in(client, agent, quiz):
    attempt = start_attempt(person=agent, quiz=quiz)
    response = client.post(autosave_url(attempt, 1), {"option": 1})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(autosave_url(attempt, 1)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_position_the_attempt_does_not_have_is_a_bad_request(client, agent, quiz):
    client.force_login(agent)
    attempt = start_attempt(person=agent, quiz=quiz)
    assert client.post(autosave_url(attempt, 99), {"option": 1}).status_code == 400
    assert client.post(autosave_url(attempt, 0), {"option": 1}).status_code == 400


@pytest.mark.parametrize("others", [0, 12])
def test_an_autosave_reads_the_question_and_writes_once_whatever_the_volume(
    client, agent, user_factory, quiz, others, django_assert_max_num_queries
):
    """Session, user, the one question of the snapshot, the conditional write: flat in the
    number of attempts, answers and people."""
    for _ in range(others):
        person = user_factory()
        other = start_attempt(person=person, quiz=quiz)
        for question in other.questions[:-1]:
            save_answer(attempt=other, question_id=question["id"], response=[])
        submit_attempt(attempt=other)
        start_attempt(person=person, quiz=quiz)
    client.force_login(agent)
    attempt = start_attempt(person=agent, quiz=quiz)
    pick = {"option": option_id(attempt, "q-single", "Cortesía")}
    client.post(autosave_url(attempt, 1), pick)  # the first save inserts, the next updates
    with django_assert_max_num_queries(4):
        response = client.post(autosave_url(attempt, 1), pick)
    assert response.json()["saved"]
