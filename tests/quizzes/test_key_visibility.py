"""A quiz that counts for certification keeps its key secret while the agent can try again,
the editor hears when the settings say otherwise, and retries draw other questions."""

from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from quizzes import demo
from quizzes.content import load_banks
from quizzes.models import Attempt, FeedbackMode, QuizPage
from quizzes.services import start_attempt, submit_attempt

from .conftest import option_id, question_id

pytestmark = pytest.mark.django_db

# What gives the key away on a result or question page: option feedback, the explanation,
# the "correct" marks, credits and expert ratings, and the score of each question.
KEY = ("Sobre «", "Porque sí.", "is-correct", "correcta", "crédito", "Valoración experta", "· 0%")


def key_on(html):
    return [clue for clue in KEY if clue in html]


def blank_attempt(client, quiz):
    """Start an attempt, submit it without answering, and return its result page."""
    client.post(quiz.url + "empezar/")
    response = client.post(quiz.url + "enviar/", follow=True)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_a_blank_attempt_shows_no_key_while_attempts_remain(client, agent, quiz_factory):
    unlimited = quiz_factory()  # counts for certification by default, no limit
    client.force_login(agent)
    for _ in range(2):
        html = blank_attempt(client, unlimited)
        assert key_on(html) == [] and "0%" in html  # the overall score is shown
        assert "no se muestra mientras puedas volver a intentarlo" in html


def test_the_key_shows_after_the_last_attempt_or_once_the_quiz_closes(
    client, agent, quiz_factory, course_factory
):
    limited = quiz_factory(max_attempts=2)
    client.force_login(agent)
    html = blank_attempt(client, limited)
    assert key_on(html) == [] and "después de tu último intento" in html
    html = blank_attempt(client, limited)  # the last one
    assert "Porque sí." in html and "Sobre «" in html
    assert "Porque sí." in client.get(limited.url + "resultado/1/").content.decode()

    closing = quiz_factory(
        course=course_factory(slug="otro"), closes_at=timezone.now() + timedelta(days=1)
    )
    html = blank_attempt(client, closing)
    assert key_on(html) == [] and "cuando el cuestionario cierre" in html
    QuizPage.objects.filter(pk=closing.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert "Porque sí." in client.get(closing.url + "resultado/1/").content.decode()


def test_a_practice_quiz_shows_the_key_after_each_attempt(client, agent, quiz_factory):
    practice = quiz_factory(high_stakes=False)
    client.force_login(agent)
    html = blank_attempt(client, practice)
    assert "Porque sí." in html and "Sobre «" in html and "is-correct" in html


def test_checking_answers_one_by_one_waits_for_the_last_attempt(
    client, agent, quiz_factory, course_factory
):
    quiz = quiz_factory(feedback_mode=FeedbackMode.IMMEDIATE)  # certification, no limit
    client.force_login(agent)
    client.post(quiz.url + "empezar/")
    attempt = Attempt.objects.get(person=agent)
    wrong = option_id(attempt, "q-single", "Rapidez")
    page = client.get(quiz.url + "pregunta/1/").content.decode()
    assert 'value="check"' not in page
    client.post(quiz.url + "pregunta/1/", {"option": wrong, "action": "check"})
    html = client.get(quiz.url + "pregunta/1/").content.decode()
    assert key_on(html) == [] and "Puntuación de esta pregunta" not in html
    assert not attempt.answers.get(question_id=question_id(attempt, "q-single")).checked

    last_chance = quiz_factory(
        course=course_factory(slug="otro"), feedback_mode=FeedbackMode.IMMEDIATE, max_attempts=1
    )
    client.post(last_chance.url + "empezar/")
    attempt = Attempt.objects.get(person=agent, quiz=last_chance)
    wrong = option_id(attempt, "q-single", "Rapidez")
    client.post(last_chance.url + "pregunta/1/", {"option": wrong, "action": "check"})
    html = client.get(last_chance.url + "pregunta/1/").content.decode()
    assert "Sobre «Rapidez»." in html and "Porque sí." in html  # no retry to answer from it


def test_the_key_rule_warns_about_settings_that_contradict_it():
    def warnings(**settings):
        return QuizPage(title="x", **settings).key_rule_warnings()

    assert len(warnings(feedback_mode=FeedbackMode.AFTER_SUBMIT)) == 2  # retries; never shown
    assert len(warnings(feedback_mode=FeedbackMode.IMMEDIATE, max_attempts=3)) == 1
    assert warnings(feedback_mode=FeedbackMode.AFTER_LAST_ATTEMPT, max_attempts=3) == []
    assert warnings(feedback_mode=FeedbackMode.AFTER_SUBMIT, max_attempts=1) == []
    assert warnings(feedback_mode=FeedbackMode.AFTER_CLOSE, closes_at=timezone.now()) == []
    assert warnings(high_stakes=False, feedback_mode=FeedbackMode.AFTER_SUBMIT) == []
    assert len(warnings(high_stakes=False, feedback_mode=FeedbackMode.AFTER_CLOSE)) == 1


def quiz_form(quiz, **rules):
    data = nested_form_data(
        {
            "title": quiz.title,
            "slug": quiz.slug,
            "summary": "",
            "intro": rich_text(""),
            "fixed_questions": inline_formset(
                [{"question": item.question_id} for item in quiz.fixed_questions.all()]
            ),
            "draw_category": "",
            "draw_count": "0",
            "pass_mark": "60",
            "max_attempts": "0",
            "time_limit_minutes": "",
            "feedback_mode": FeedbackMode.AFTER_SUBMIT,
            "closes_at": "",
            "estimated_minutes": "10",
            "high_stakes": "on",
            **rules,
        }
    )
    data["action-publish"] = "publish"
    return data


def test_the_editor_is_warned_on_the_edit_page_and_when_publishing(client, editor, quiz):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[quiz.pk])
    html = client.get(url).content.decode()
    assert "cuenta para la certificación y permite más de un intento" in html
    response = client.post(url, quiz_form(quiz), follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "cuenta para la certificación y permite más de un intento" in response.content.decode()
    assert QuizPage.objects.get(pk=quiz.pk).live  # warned, not refused: the key stays held

    safe = {"feedback_mode": FeedbackMode.AFTER_LAST_ATTEMPT, "max_attempts": "3"}
    response = client.post(url, quiz_form(quiz, **safe), follow=True)
    assert "permite más de un intento" not in response.content.decode()
    assert "Cuándo verán" not in client.get(url).content.decode()
    assert QuizPage.objects.get(pk=quiz.pk).max_attempts == 3


def test_the_demo_quizzes_keep_their_key_until_the_last_attempt(demo_content):
    for bank in load_banks():
        quiz = QuizPage(title=bank.quiz["title"], **demo.quiz_rules(bank.quiz))
        assert quiz.high_stakes and quiz.max_attempts, bank.path.name
        assert quiz.key_rule_warnings() == [], bank.path.name
    for quiz in QuizPage.objects.all():  # as seed_demo leaves them
        assert quiz.high_stakes and quiz.max_attempts and quiz.key_rule_warnings() == []


def test_a_retry_draws_other_questions_when_the_category_has_more(
    agent, quiz_factory, questions, category
):
    quiz = quiz_factory(fixed=questions[:1], draw_category=category, draw_count=2)  # 4 to draw from
    drawn = []
    for _ in range(3):
        attempt = start_attempt(person=agent, quiz=quiz)
        drawn.append({q["key"] for q in attempt.questions[1:]})
        submit_attempt(attempt=attempt)
    assert len(drawn[0]) == len(drawn[1]) == 2 and drawn[0].isdisjoint(drawn[1])
    assert drawn[0] | drawn[1] == {q.key for q in questions[1:]}
    assert len(drawn[2]) == 2  # every question seen once: any two


def test_a_retry_draws_the_same_when_the_category_has_no_more(
    agent, quiz_factory, questions, category
):
    quiz = quiz_factory(fixed=questions[:1], draw_category=category, draw_count=4)
    first = start_attempt(person=agent, quiz=quiz)
    submit_attempt(attempt=first)
    second = start_attempt(person=agent, quiz=quiz)
    assert {q["key"] for q in first.questions} == {q["key"] for q in second.questions}
