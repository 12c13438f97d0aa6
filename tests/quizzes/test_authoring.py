"""Editors author questions and quizzes in the Wagtail admin, without JSON."""

import html
import re
from http import HTTPStatus

from django.urls import reverse

from wagtail.models import Revision

import pytest

from quizzes.models import Question
from tests.admin_forms import form_autosaves

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


def test_the_editor_reads_compares_and_reverts_a_question_history(client, editor, category):
    """Wagtail's history, compare and revert views work for questions (they crashed while the
    snippet hid RevisionMixin's `revisions` relation)."""
    client.force_login(editor)
    add = reverse("wagtailsnippets_quizzes_question:add")
    options = [
        {"text": "Saludas y atiendes.", "credit": "1", "weights": {"cortesia": 2}},
        {"text": "Sigues tecleando.", "credit": "0", "weights": {"cortesia": -2}},
    ]
    assert client.post(add, question_form(category, "situational", options)).status_code == 302
    question = Question.objects.get(key="nueva-01")
    data = question_form(category, "situational", options)
    data["text"] = "¿Qué harías?"
    for n, option in enumerate(question.options.all()):
        data[f"options-{n}-id"] = str(option.pk)
    data["options-INITIAL_FORMS"] = "2"
    edit = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
    assert client.post(edit, data).status_code == 302
    first, second = Revision.objects.for_instance(question).order_by("created_at", "pk")
    assert second.content["text"] == "¿Qué harías?"

    history = client.get(reverse("wagtailsnippets_quizzes_question:history", args=[question.pk]))
    compare = client.get(
        reverse(
            "wagtailsnippets_quizzes_question:revisions_compare",
            args=[question.pk, first.pk, second.pk],
        )
    )
    revert = client.get(
        reverse("wagtailsnippets_quizzes_question:revisions_revert", args=[question.pk, first.pk])
    )
    editor_page = client.get(edit).content.decode()
    ping_url = re.search(r'data-w-swap-src-value="([^"]+)"', editor_page).group(1)
    ping = client.post(html.unescape(ping_url), {"revision_id": second.pk})
    assert (history.status_code, compare.status_code, revert.status_code) == (200, 200, 200)
    assert ping.status_code == 200
    assert "¿Qué haces?" in revert.content.decode()  # the form holds the first revision


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


AUTOSAVE = {"HTTP_ACCEPT": "application/json"}  # how Wagtail's w-autosave controller posts


@pytest.mark.parametrize("order", ["autosave first", "save first"])
def test_an_autosave_in_flight_does_not_duplicate_an_option(client, editor, category, order):
    """The editor adds a third option; an autosave fires and they save before its answer has
    given the new row its id: the question ends with the three options they see (issue 11,
    item 2)."""
    client.force_login(editor)
    two = [{"text": "Saludas.", "credit": "1"}, {"text": "Sigues tecleando.", "credit": "0"}]
    client.post(
        reverse("wagtailsnippets_quizzes_question:add"), question_form(category, "situational", two)
    )
    question = Question.objects.get(key="nueva-01")
    three = [*two, {"text": "Le pides que espere.", "credit": "0.5"}]
    data = question_form(category, "situational", three)
    for n, option in enumerate(question.options.all()):
        data[f"options-{n}-id"] = str(option.pk)
    data["options-INITIAL_FORMS"] = "2"
    edit = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
    form_page = client.get(edit).content.decode()
    requests = [AUTOSAVE, {}]
    if order == "save first":
        requests.reverse()
    for headers in requests:
        client.post(edit, data, **headers)

    assert [o.text for o in question.options.all()] == [o["text"] for o in three]
    assert not form_autosaves(form_page)


def test_an_autosave_of_a_new_question_does_not_block_its_save(client, editor, category):
    """Typing into a new question must not store it behind the editor's back: the save that
    follows creates it once, with its options once."""
    client.force_login(editor)
    add = reverse("wagtailsnippets_quizzes_question:add")
    form_page = client.get(add).content.decode()
    options = [{"text": "Saludas.", "credit": "1"}, {"text": "Sigues tecleando.", "credit": "0"}]
    data = question_form(category, "situational", options)
    client.post(add, data, **AUTOSAVE)
    response = client.post(add, data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    question = Question.objects.get(key="nueva-01")
    assert [o.text for o in question.options.all()] == ["Saludas.", "Sigues tecleando."]
    assert not form_autosaves(form_page)
