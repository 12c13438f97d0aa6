"""Wagtail's messages about our snippets and pages read as correct Spanish whatever the
model's gender ("El pregunta no puede ser creado" was Wagtail's own catalogue), and the
admin's blank choice is in Spanish (people/wording.py, site/locale/es)."""

import html
import re
from http import HTTPStatus

from django.urls import reverse

import pytest

from attitude.models import ServiceDimension
from quizzes.models import QuestionCategory
from tests.quizzes.test_authoring import question_form

pytestmark = pytest.mark.django_db


def shown(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_a_feminine_snippet_that_cannot_be_created_is_not_called_el(editor_client):
    response = editor_client.post(reverse("wagtailsnippets_quizzes_questioncategory:add"), {})
    assert response.status_code == HTTPStatus.OK
    page = shown(response)
    assert "Categoría de preguntas: no se ha podido crear porque hay errores." in page
    assert "El categoría" not in page and "creado" not in page


def test_creating_and_deleting_a_category_is_announced_without_gender(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_quizzes_questioncategory:add"), {"name": "Trato"}, follow=True
    )
    assert "Categoría de preguntas «Trato»: se ha creado." in shown(response)
    category = QuestionCategory.objects.get(name="Trato")
    response = editor_client.post(
        reverse("wagtailsnippets_quizzes_questioncategory:delete", args=[category.pk]),
        follow=True,
    )
    assert "Categoría de preguntas «Trato»: se ha eliminado." in shown(response)


def test_a_question_created_is_announced_in_good_spanish(editor_client):
    category = QuestionCategory.objects.create(name="Conceptos")
    options = [{"text": "Sí", "is_correct": True}, {"text": "No"}]
    data = question_form(category, "single", options)
    response = editor_client.post(
        reverse("wagtailsnippets_quizzes_question:add"), data, follow=True
    )
    assert "Pregunta «nueva-01: ¿Qué haces?»: se ha creado." in shown(response)


def test_an_invalid_question_is_reported_without_el(editor_client):
    category = QuestionCategory.objects.create(name="Conceptos")
    data = question_form(category, "single", [{"text": "Sí"}, {"text": "No"}])
    page = shown(editor_client.post(reverse("wagtailsnippets_quizzes_question:add"), data))
    assert "Pregunta: no se ha podido crear porque hay errores." in page
    assert "El pregunta" not in page


def test_saving_a_dimension_is_announced_without_gender(client, superuser):
    client.force_login(superuser)
    dimension = ServiceDimension.objects.get(slug="cortesia")
    url = reverse("wagtailsnippets_attitude_servicedimension:edit", args=[dimension.pk])
    data = {
        "name": "Cortesía",
        "name_en": "Courtesy",
        "description": dimension.description,
        "description_en": dimension.description_en,
        "axis": dimension.axis,
        "axis_weight": "1",
        "self_assessment": dimension.self_assessment,
        "self_assessment_en": dimension.self_assessment_en,
        "sort_order": str(dimension.sort_order),
    }
    page = shown(client.post(url, data, follow=True))
    assert "Dimensión de servicio «Cortesía»: se han guardado los cambios." in page
    invalid = shown(client.post(url, data | {"name": ""}))
    assert (
        "Dimensión de servicio: no se han podido guardar los cambios porque hay errores." in invalid
    )
    assert "El dimensión" not in invalid


def test_the_delete_confirmation_does_not_say_este_pregunta(editor_client):
    category = QuestionCategory.objects.create(name="Trato")
    page = shown(
        editor_client.get(
            reverse("wagtailsnippets_quizzes_questioncategory:delete", args=[category.pk])
        )
    )
    assert "este categoría" not in page


def test_pages_are_announced_as_pages(client, superuser, course_factory):
    course = course_factory(lessons=1)
    client.force_login(superuser)
    lesson = course.get_children().first()
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[lesson.pk]), follow=True)
    page = shown(response)
    assert "Página 'Lección 1'" in page and "despublicado" not in page


def test_choice_blocks_offer_a_spanish_blank_choice(client, editor, course_factory):
    course = course_factory(lessons=1)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["scenarios", "scenariopage", course.pk])
    page = shown(client.get(url))
    # the block definitions travel as JSON, where "ó" is written \u00f3
    page = page.replace("\\u00f3", "ó")
    assert "- Select an option -" not in page
    assert "- Elige una opción -" in page
