"""Journey 1: an agent signs in, opens an assigned course, reads a lesson, takes a quiz with
a reload in the middle, plays a role-play to an ending and opens Mi perfil — checking every
page with axe-core."""

import re
from datetime import date, timedelta

import pytest

from courses.models import StepCompletion
from courses.services import assign_course
from quizzes.models import Attempt

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def course_with_steps(course_factory, quiz_factory, scenario_factory):
    course = course_factory(title="Trato telefónico", slug="trato-telefonico", lessons=1)
    quiz = quiz_factory(course=course)
    scenario = scenario_factory(course=course)
    return course, quiz, scenario


def assert_accessible(page):
    assert axe_violations(page) == [], page.url


def test_agent_learns_practises_and_sees_the_profile(
    page, agent, supervisor, team, course_with_steps
):
    course, quiz, scenario = course_with_steps
    assign_course(actor=supervisor, course=course, team=team, due_on=date.today() + timedelta(7))
    sign_in(page, agent)
    page.goto("/aprendizaje/")
    assert_accessible(page)
    assigned = page.locator("section", has=page.get_by_role("heading", name="Asignados a mí"))
    assigned.get_by_role("link", name="Trato telefónico").click()
    assert_accessible(page)
    page.get_by_role("link", name="Lección 1").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lección 1"
    assert_accessible(page)
    page.get_by_role("button", name="Marcar como completada").click()
    assert StepCompletion.objects.filter(person=agent).count() == 1

    # The quiz: answer, reload, the answer is still there.
    page.goto(quiz.url)
    assert_accessible(page)
    page.get_by_role("button", name="Empezar el cuestionario").click()
    page.get_by_label("Cortesía").check()
    page.get_by_text("Respuesta guardada.").wait_for()
    page.reload()
    assert page.get_by_label("Cortesía").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Guardar y seguir").click()
    page.get_by_label("Escuchar").check()
    page.get_by_label("Parafrasear").check()
    page.get_by_role("button", name="Guardar y seguir").click()
    page.get_by_label("Verdadero").check()
    page.get_by_role("button", name="Guardar y seguir").click()
    page.get_by_label("«Entiendo su enfado; lo reviso ahora mismo.»").check()
    page.get_by_role("button", name="Guardar y seguir").click()
    page.locator("input[name^=rating-]").nth(3).check()  # 4 for the apology
    page.locator("input[name^=rating-]").nth(4).check()  # 1 for reading the script
    assert_accessible(page)
    page.get_by_role("button", name="Guardar y revisar").click()
    assert_accessible(page)
    page.get_by_role("button", name="Enviar el cuestionario").click()
    page.get_by_text("Aprobado. El paso está completado.").wait_for()
    assert_accessible(page)
    assert Attempt.objects.get(person=agent).percent == 100

    # The role-play, to an ending.
    page.goto(scenario.url)
    assert_accessible(page)
    page.get_by_role("button", name="Empezar el juego de rol").click()
    assert_accessible(page)
    for text in ("Entiendo su enfado", "Lo anulo ahora", "Le dejo además mi extensión"):
        page.get_by_role("button", name=re.compile(text)).click()
    page.get_by_role("heading", name="Cómo terminó la partida 1").wait_for()
    assert page.locator(".map-edge--taken").count() == 3
    assert_accessible(page)

    page.get_by_role("link", name="Mi perfil").first.click()
    assert page.locator("svg[role=img]").count() == 2
    assert_accessible(page)
