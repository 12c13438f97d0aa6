"""Learners search every kind of course step — lessons, role-plays and quizzes — and each
result says which course it belongs to and what kind of step it is."""

from django.urls import reverse

import pytest

from tests.quizzes.conftest import category, question_factory, questions, quiz_factory  # noqa: F401
from tests.scenarios.conftest import personality, scenario_factory  # noqa: F401

pytestmark = pytest.mark.django_db


def result_items(html):
    start = html.index('<ul class="search-results">')
    return html[start : html.index("</ul>", start)].split("<li")[1:]


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_a_role_play_is_found_by_a_word_of_its_title(request, client, agent, course_factory):
    course = course_factory(title="Personalidades de clientes", lessons=1)
    scenario = request.getfixturevalue("scenario_factory")(course=course)
    publish(scenario, title="Tres transferencias y una maleta perdida")
    client.force_login(agent)
    html = client.get(reverse("courses:search"), {"q": "maleta"}).content.decode()
    [item] = result_items(html)
    assert "Tres transferencias y una maleta perdida" in item
    assert "Juego de rol" in item and "Personalidades de clientes" in item


def test_role_plays_by_situation_and_quizzes_by_introduction(
    request, client, agent, course_factory
):
    course = course_factory(title="Trato telefónico", lessons=1)
    scenario = request.getfixturevalue("scenario_factory")(course=course)
    publish(scenario, situation="Una pasajera pregunta por su equipaje extraviado.")
    quiz = request.getfixturevalue("quiz_factory")(course=course)
    publish(quiz, intro="Mide cómo tratas a la clientela en el mostrador.")
    client.force_login(agent)
    role_play = client.get(reverse("courses:search"), {"q": "equipaje"}).content.decode()
    found_quiz = client.get(reverse("courses:search"), {"q": "mostrador"}).content.decode()
    assert ["Un cobro doble" in i and "Juego de rol" in i for i in result_items(role_play)] == [
        True
    ]
    assert ["Evaluación" in i and "Cuestionario" in i for i in result_items(found_quiz)] == [True]


def test_search_queries_do_not_grow_with_the_results(
    client, agent, course_factory, django_assert_max_num_queries
):
    for n in range(6):
        course_factory(title=f"Curso {n}", lessons=3)  # every lesson is titled "Lección N"
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("courses:search"), {"q": "lección"}).content.decode()
    items = result_items(html)
    assert len(items) == 18
    assert all("Lección</span>" in item and "Curso " in item for item in items)
