"""Keys a panel can sign: an editor marks a question's key as reviewed; a later revision
makes it unreviewed again; the item analysis lists keys not reviewed and questions with
negative discrimination."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from attitude.services import mark_key_reviewed
from quizzes.models import Question, QuizStatistics
from quizzes.statistics import ATTEMPTS

pytestmark = pytest.mark.django_db


def test_an_editor_marks_a_key_as_reviewed_and_a_later_revision_undoes_it(
    client, editor, agent, questions
):
    question = Question.objects.get(key="q-situational")
    question.save_revision()
    url = reverse("quizzes_review_key", args=[question.pk])
    edit = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
    client.force_login(agent)
    assert client.post(url).status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert Question.objects.get(pk=question.pk).reviewed_on is None

    client.force_login(editor)
    assert "La clave aún no se ha revisado." in client.get(edit).content.decode()
    assert "Confirmas que revisaste la clave de «q-situational»" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == edit
    question = Question.objects.get(pk=question.pk)
    assert question.reviewed_by == editor and question.key_reviewed
    assert f"Clave revisada por {editor}" in client.get(edit).content.decode()

    question.save_revision()  # the key is edited after the review
    question = Question.objects.get(pk=question.pk)
    assert question.reviewed_by == editor and not question.key_reviewed
    assert "Se ha modificado desde entonces" in client.get(edit).content.decode()


def test_the_item_analysis_lists_unreviewed_keys_and_negative_discrimination(
    client, editor, quiz, questions
):
    single = Question.objects.get(key="q-single")
    figures = {
        str(q.pk): {
            "answered": 3, "attempts": 3, "facility": 0.5, "sd": 0.5, "discrimination": -0.4
            if q.pk == single.pk else 0.3, "efficiency": 0.2, "options": {}, "too_easy": False,
            "too_hard": False, "negative": q.pk == single.pk,
        }
        for q in questions
    }  # fmt: skip
    data = {"attempts": 3, "mean_percent": 50, "questions": figures}
    QuizStatistics.objects.create(quiz=quiz, attempts=3, data=dict.fromkeys(ATTEMPTS, data))
    for question in Question.objects.exclude(key="q-rating"):
        mark_key_reviewed(item=question, reviewer=editor)
    client.force_login(editor)
    html = client.get(reverse("quizzes_item_analysis_quiz", args=[quiz.pk])).content.decode()
    assert "1 pregunta con discriminación negativa" in html
    assert "1 pregunta cuya clave no está revisada" in html
    assert html.count("clave sin revisar") == 1
