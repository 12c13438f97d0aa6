"""What the agent reads while answering and after submitting: unrated rating rows, the time
running out, review stems, and the result page's jump list, per-dimension summary and retry
(issue 11, item 15)."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from quizzes.models import Attempt

from .conftest import option, option_id

pytestmark = pytest.mark.django_db


def url(quiz, route=""):
    return quiz.url + route


def position_of(attempt, key):
    return next(i for i, q in enumerate(attempt.questions, 1) if q["key"] == key)


def rate_one_row(client, quiz, attempt):
    """Rate the first row of the rating question only, leaving "Lee el guion…" unrated."""
    position = position_of(attempt, "q-rating")
    first = option_id(attempt, "q-rating", "Se disculpa")
    client.post(url(quiz, f"pregunta/{position}/"), {f"rating-{first}": "4", "action": "next"})
    return position


def test_a_partly_rated_question_is_not_answered_and_names_the_rows_left(client, agent, quiz):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    position = rate_one_row(client, quiz, attempt)

    page = client.get(url(quiz, f"pregunta/{position}/")).content.decode()
    still = re.search(r'<div class="rating-left"[^>]*>(.*?)</div>', page, re.S)
    assert still, "the question page says which rows are still to rate"
    assert "Lee el guion sin escuchar." in still.group(1)
    assert "Se disculpa y propone una solución." not in still.group(1)
    current = re.search(r'<button[^>]*aria-current="step"[^>]*>', page).group(0)
    assert "is-answered" not in current

    review = client.get(url(quiz, "revisar/")).content.decode()
    assert "5 preguntas no tienen respuesta todavía" in review  # 4 untouched + this one
    assert "falta valorar 1 de 2" in review


def test_a_fully_rated_question_counts_as_answered(client, agent, quiz):
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    position = position_of(attempt, "q-rating")
    first = option_id(attempt, "q-rating", "Se disculpa")
    second = option_id(attempt, "q-rating", "Lee el guion")
    client.post(
        url(quiz, f"pregunta/{position}/"),
        {f"rating-{first}": "4", f"rating-{second}": "1", "action": "next"},
    )
    page = client.get(url(quiz, f"pregunta/{position}/")).content.decode()
    assert 'class="rating-left"' not in page
    review = client.get(url(quiz, "revisar/")).content.decode()
    assert "4 preguntas no tienen respuesta todavía" in review
    assert "falta valorar" not in review


def test_the_timer_submitting_at_zero_lands_on_a_result_that_says_time_ran_out(
    client, agent, quiz_factory
):
    quiz = quiz_factory(time_limit_minutes=10)
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(person=agent)
    # The countdown reached 0; the browser posts within the grace period the server allows.
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + Attempt.GRACE - timedelta(seconds=1)
    )
    response = client.post(url(quiz, "pregunta/1/"), {"action": "submit"}, follow=True)
    html = response.content.decode()
    assert "Se acabó el tiempo" in html
    attempt.refresh_from_db()
    assert attempt.auto_submitted


def test_submitting_with_time_left_does_not_say_time_ran_out(client, agent, quiz_factory):
    quiz = quiz_factory(time_limit_minutes=10)
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    html = client.post(url(quiz, "enviar/"), follow=True).content.decode()
    assert "Se acabó el tiempo" not in html


def test_the_review_list_tells_questions_with_the_same_stem_apart(
    client, agent, quiz_factory, question_factory
):
    same = [
        question_factory(
            f"q-harias-{n}",
            "situational",
            [option("«Lo reviso.»", credit=1), option("«Llame mañana.»", credit=0)],
            text="¿Qué harías?",
            situation=situation,
        )
        for n, situation in enumerate(
            [
                "Una clienta mayor no encuentra la factura en la aplicación del móvil.",
                "Un cliente exige hablar con el gerente porque el técnico no vino.",
            ]
        )
    ]
    quiz = quiz_factory(fixed=same)
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    review = client.get(url(quiz, "revisar/")).content.decode()
    listed = re.search(r'<ol class="review-list">(.*?)</ol>', review, re.S).group(1)
    items = re.findall(r"<li><a [^>]*>(.*?)</a>", listed, re.S)
    assert len(items) == 2 and items[0] != items[1]
    assert "Una clienta mayor no encuentra" in items[0]
    assert "Un cliente exige hablar" in items[1]


def submit_with_one_wrong_and_one_critical(client, quiz):
    client.post(url(quiz, "empezar/"))
    attempt = Attempt.objects.get(quiz=quiz, submitted_at__isnull=True)
    single = position_of(attempt, "q-single")
    situational = position_of(attempt, "q-situational")
    client.post(
        url(quiz, f"pregunta/{single}/"),
        {"option": option_id(attempt, "q-single", "Rapidez"), "action": "next"},
    )
    client.post(
        url(quiz, f"pregunta/{situational}/"),
        {"option": option_id(attempt, "q-situational", "«Usted no"), "action": "next"},
    )
    response = client.post(url(quiz, "enviar/"), follow=True)
    return attempt, single, situational, response.content.decode()


def jump_links(html):
    nav = re.search(r'<nav class="result-jump"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r'href="#(question-\d+)"', nav.group(1)) if nav else None


def test_the_result_jumps_to_wrong_and_critical_answers(client, agent, quiz_factory):
    quiz = quiz_factory(high_stakes=False)
    client.force_login(agent)
    attempt, single, situational, html = submit_with_one_wrong_and_one_critical(client, quiz)
    links = jump_links(html)
    assert links is not None, "the result lists the answers to look at"
    assert f"question-{single}" in links and f"question-{situational}" in links
    for anchor in links:
        assert f'id="{anchor}"' in html  # each link lands on its question
    nav = re.search(r'<nav class="result-jump"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert "crítica" in nav  # the critical one is marked as such


def test_the_result_summarises_this_attempt_per_dimension(client, agent, quiz_factory):
    quiz = quiz_factory(high_stakes=False)
    client.force_login(agent)
    _attempt, _single, _situational, html = submit_with_one_wrong_and_one_critical(client, quiz)
    table = re.search(r'<section[^>]*aria-labelledby="dimensions-heading".*?</section>', html, re.S)
    assert table, "a per-dimension summary of this attempt"
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)\s*%</td>', table.group(0)))
    # The critical option scores 0 on courtesy; rating and "capacidad" come from other items.
    assert rows.get("Cortesía") == "0"
    assert "Comunicación" in rows


def test_a_retry_button_shows_while_attempts_remain(client, agent, quiz_factory):
    quiz = quiz_factory(max_attempts=2, high_stakes=False)
    client.force_login(agent)
    client.post(url(quiz, "empezar/"))
    html = client.post(url(quiz, "enviar/"), follow=True).content.decode()
    assert f'action="{url(quiz, "empezar/")}"' in html and "Volver a intentarlo" in html
    client.post(url(quiz, "empezar/"))
    html = client.post(url(quiz, "enviar/"), follow=True).content.decode()
    assert "Volver a intentarlo" not in html  # no attempts left


def test_while_the_key_is_hidden_the_result_gives_only_overall_and_per_dimension(
    client, agent, quiz_factory
):
    quiz = quiz_factory(high_stakes=True)  # certification quiz, unlimited attempts
    client.force_login(agent)
    _attempt, _single, _situational, html = submit_with_one_wrong_and_one_critical(client, quiz)
    assert jump_links(html) is None  # no list of which answers were wrong
    assert "result-question--critical" not in html and "badge--danger" not in html
    assert re.search(r"Pregunta \d+ · \d+%", html) is None  # no per-question marks
    assert 'aria-labelledby="dimensions-heading"' in html  # the summary is no key
    assert "Volver a intentarlo" in html


def test_the_result_page_query_count_does_not_grow_with_the_quiz(
    client, agent, quiz_factory, questions, course_factory, django_assert_max_num_queries
):
    client.force_login(agent)
    for n, size in enumerate((1, len(questions))):
        course = course_factory(slug=f"curso-{n}")
        quiz = quiz_factory(course=course, fixed=questions[:size], high_stakes=False)
        client.post(url(quiz, "empezar/"))
        client.post(url(quiz, "enviar/"))
        with django_assert_max_num_queries(20):  # 20 measured with five questions
            client.get(url(quiz, "resultado/1/"))
