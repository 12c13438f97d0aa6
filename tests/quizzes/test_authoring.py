"""Editors author questions and quizzes in the Wagtail admin, without JSON."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from quizzes.models import Question

pytestmark = pytest.mark.django_db


def question_form(category, kind, options):
    data = {
        "key": "nueva-01",
        "kind": kind,
        "category": category.pk,
        "situation": "Un cliente espera en el mostrador.",
        "text": "¿Qué haces?",
        "explanation": "Saludar primero.",
        "tags": "",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for n, option in enumerate(options):
        prefix = f"options-{n}-"
        data.update(
            {
                prefix + "text": option["text"],
                prefix + "feedback": "Comentario.",
                prefix + "ORDER": str(n + 1),
                prefix + "id": "",
            }
        )
        for name in ("credit", "expert_rating", "critical_reason"):
            data[prefix + name] = option.get(name, "")
        for name in ("is_correct", "is_critical"):
            if option.get(name):
                data[prefix + name] = "on"
        for slug, weight in option.get("weights", {}).items():
            data[f"{prefix}weights__{slug}"] = str(weight)
    return data


def test_the_editor_writes_a_situational_question_with_weights(client, editor, category):
    client.force_login(editor)
    url = reverse("wagtailsnippets_quizzes_question:add")
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert "Capacidad de respuesta" in page.content.decode()  # a select per dimension
    options = [
        {"text": "«Buenos días, enseguida le atiendo.»", "credit": "1", "weights": {"cortesia": 2}},
        {"text": "Sigue tecleando sin mirarle.", "credit": "0", "weights": {"cortesia": -2}},
    ]
    response = client.post(url, question_form(category, "situational", options))
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    question = Question.objects.get(key="nueva-01")
    assert [o.weights for o in question.options.all()] == [{"cortesia": 2}, {"cortesia": -2}]
    assert question.latest_revision is not None


def test_a_single_choice_question_needs_exactly_one_correct_option(client, editor, category):
    client.force_login(editor)
    options = [{"text": "Sí"}, {"text": "No"}]
    response = client.post(
        reverse("wagtailsnippets_quizzes_question:add"), question_form(category, "single", options)
    )
    assert response.status_code == HTTPStatus.OK
    assert "Marca exactamente una opción como correcta." in response.content.decode()
    assert not Question.objects.filter(key="nueva-01").exists()


def test_the_editor_adds_a_quiz_to_a_course(client, editor, course_factory):
    course = course_factory(lessons=1)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", course.pk])
    assert client.get(url).status_code == HTTPStatus.OK


def test_agents_cannot_open_the_question_bank(client, agent):
    client.force_login(agent)
    response = client.get(reverse("wagtailsnippets_quizzes_question:list"))
    assert response.status_code == HTTPStatus.FOUND


def test_a_critical_option_must_say_why_it_is_critical(client, editor, category):
    client.force_login(editor)
    url = reverse("wagtailsnippets_quizzes_question:add")
    options = [
        {"text": "«Le reviso el cobro ahora mismo.»", "credit": "1"},
        {"text": "«Eso se lo ha inventado usted.»", "credit": "0", "is_critical": True},
    ]
    response = client.post(url, question_form(category, "situational", options))
    assert response.status_code == HTTPStatus.OK
    assert "Indica por qué es crítica cada opción crítica." in response.content.decode()
    assert not Question.objects.filter(key="nueva-01").exists()
    options[1]["critical_reason"] = "insult"
    response = client.post(url, question_form(category, "situational", options))
    assert response.status_code == HTTPStatus.FOUND
    question = Question.objects.get(key="nueva-01")
    assert [o.critical_reason for o in question.options.all()] == ["", "insult"]
    assert (
        "Insulto, burla o falta de respeto"
        in client.get(
            reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
        ).content.decode()
    )


def test_the_question_edit_page_shows_its_item_quality_checks(client, editor, questions):
    """q-situational: the keyed option is 76 % longer than the longest other one, and the
    critical option has no weight on capacidad de respuesta."""
    client.force_login(editor)
    situational = next(q for q in questions if q.key == "q-situational")
    html = client.get(
        reverse("wagtailsnippets_quizzes_question:edit", args=[situational.pk])
    ).content.decode()
    assert "Controles de calidad del ítem" in html
    assert "La opción clave es un 76 % más larga" in html
    assert "La opción 3 no tiene peso en capacidad-de-respuesta" in html
    single = next(q for q in questions if q.key == "q-single")
    html = client.get(
        reverse("wagtailsnippets_quizzes_question:edit", args=[single.pk])
    ).content.decode()
    assert "No mide ninguna dimensión." in html
