"""The item analysis pages read a fixed number of queries whatever the number of quizzes,
questions and options they list (issue 17: every page's query count flat in data size)."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from quizzes.models import QuizStatistics

pytestmark = pytest.mark.django_db


def figures(questions):
    """Statistics as the background task stores them, for `questions`."""
    return {
        str(question.pk): {
            "answered": 30,
            "facility": 0.5,
            "sd": 0.25,
            "discrimination": 0.4,
            "efficiency": 0.6,
            "too_easy": False,
            "too_hard": False,
            "negative": False,
            "options": {str(o.pk): {"top": 0.5, "bottom": 0.25} for o in question.options.all()},
        }
        for question in questions
    }


def test_the_item_analysis_reads_as_many_queries_for_one_question_as_for_all(
    client, editor, questions, quiz_factory, django_assert_max_num_queries
):
    quiz = quiz_factory()
    statistics = QuizStatistics.objects.create(quiz=quiz, attempts=30, data={})
    client.force_login(editor)
    url = reverse("quizzes_item_analysis_quiz", args=[quiz.pk])
    for listed in (questions[:1], questions):
        statistics.data = {"first": {"attempts": 30, "questions": figures(listed)}}
        statistics.save()
        with django_assert_max_num_queries(14):
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert response.content.decode().count("Tercio superior") == sum(
            1 for q in listed if q.kind != "rating"
        )


def test_the_quiz_list_reads_as_many_queries_for_one_quiz_as_for_four(
    client, editor, course_factory, quiz_factory, django_assert_max_num_queries
):
    client.force_login(editor)
    for n in range(4):
        quiz = quiz_factory(course=course_factory(title=f"Curso {n}"))
        QuizStatistics.objects.create(quiz=quiz, attempts=10 + n, data={})
        if n in (0, 3):
            with django_assert_max_num_queries(11):
                response = client.get(reverse("quizzes_item_analysis"))
            assert response.content.decode().count("Evaluación") == n + 1
