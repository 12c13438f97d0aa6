"""Editors author scenarios in the Wagtail admin; a broken graph cannot be published."""

import copy
import json
from http import HTTPStatus

from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest

from scenarios.models import ScenarioPage

from .conftest import SOURCE

pytestmark = pytest.mark.django_db


def listblock(items):
    data = {str(n): {"value": item, "deleted": "", "order": str(n), "id": ""}
            for n, item in enumerate(items)}  # fmt: skip
    data["count"] = str(len(items))
    return data


def graph_form(source):
    items = []
    for line in source["lines"]:
        choices = [
            {
                "text": c["text"],
                "feedback": c.get("feedback", ""),
                "next": c.get("next", ""),
                "critical": "on" if c.get("critical") else "",
                "critical_reason": c.get("critical_reason", ""),
                "key": c.get("key", ""),
                "weights": listblock(
                    [{"dimension": s, "weight": str(w)} for s, w in c.get("weights", {}).items()]
                ),
            }
            for c in line["choices"]
        ]
        items.append(
            (
                "line",
                {
                    "key": line["key"],
                    "mood": line["mood"],
                    "text": line["text"],
                    "choices": listblock(choices),
                },
            )  # fmt: skip
        )
    for ending in source["endings"]:
        items.append(
            ("ending", {k: ending.get(k, "") for k in ("key", "outcome", "text", "debrief")})
        )
    return streamfield(items)


def page_form(scenario, source):
    data = nested_form_data(
        {
            "title": scenario.title,
            "slug": scenario.slug,
            "summary": "Practica con un cliente que grita.",
            "personality": scenario.personality_id,
            "channel": "telefono",
            "situation": scenario.situation,
            "graph": graph_form(source),
            "estimated_minutes": "10",
            "is_required": "on",
        }
    )
    data["action-publish"] = "publish"
    return data


def test_the_editor_sees_the_scenario_map_while_editing(client, editor, scenario):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[scenario.pk]))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "scenario-map" in html and "map-edge--best" in html
    # the item-quality checks: «frio» has no weight on comprensión del cliente
    assert "«inicio»: la opción 2 no tiene peso en comprension-del-cliente" in html


def test_an_editor_breaks_a_link_and_cannot_publish_until_it_is_fixed(
    client, editor, agent, scenario
):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[scenario.pk])
    broken = copy.deepcopy(SOURCE)
    broken["lines"][1]["choices"][0]["next"] = "fin-feliz"  # a typo: that ending does not exist
    broken["lines"][0]["text"] = "Versión rota"
    response = client.post(url, page_form(scenario, broken))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "«calma»" in html and "fin-feliz" in html
    scenario.refresh_from_db()
    assert scenario.as_graph()["lines"]["inicio"]["text"] == "¡Me han cobrado dos veces!"
    fixed = copy.deepcopy(broken)
    fixed["lines"][1]["choices"][0]["next"] = "solucion"
    response = client.post(url, page_form(scenario, fixed))
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    live = ScenarioPage.objects.get(pk=scenario.pk)
    assert live.as_graph()["lines"]["inicio"]["text"] == "Versión rota"


def test_the_editor_adds_a_scenario_to_a_course(client, editor, course_factory, personality):
    course = course_factory(lessons=1)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["scenarios", "scenariopage", course.pk])
    assert client.get(url).status_code == HTTPStatus.OK


def test_the_editor_manages_client_personalities(client, editor, personality):
    client.force_login(editor)
    response = client.get(reverse("wagtailsnippets_scenarios_clientpersonality:list"))
    assert response.status_code == HTTPStatus.OK and "Cliente agresivo" in response.content.decode()


def test_a_critical_choice_must_say_why_before_it_is_published(client, editor, scenario):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[scenario.pk])
    unexplained = copy.deepcopy(SOURCE)
    del unexplained["lines"][0]["choices"][2]["critical_reason"]
    unexplained["lines"][0]["text"] = "Sin motivo"
    response = client.post(url, page_form(scenario, unexplained))
    assert response.status_code == HTTPStatus.OK
    error = response.context["form"].errors.as_data()["graph"][0]
    message = json.dumps(error.as_json_data(), ensure_ascii=False)
    assert "Indica por qué es crítica esta elección." in message
    assert ScenarioPage.objects.get(pk=scenario.pk).as_graph()["lines"]["inicio"]["text"] != (
        "Sin motivo"
    )
    explained = copy.deepcopy(unexplained)
    explained["lines"][0]["choices"][2]["critical_reason"] = "lie"
    response = client.post(url, page_form(scenario, explained))
    assert response.status_code == HTTPStatus.FOUND
    choice = ScenarioPage.objects.get(pk=scenario.pk).as_graph()["lines"]["inicio"]["choices"][2]
    assert choice["critical"] and choice["critical_reason"] == "lie"


def test_an_editor_signs_a_role_plays_key_and_publishing_later_keeps_who_signed(
    client, editor, scenario
):
    client.force_login(editor)
    response = client.post(reverse("scenarios_review_key", args=[scenario.pk]))
    assert response.status_code == HTTPStatus.FOUND
    signed = ScenarioPage.objects.get(pk=scenario.pk)
    assert signed.reviewed_by == editor and signed.key_reviewed
    edit = reverse("wagtailadmin_pages:edit", args=[scenario.pk])
    assert f"Clave revisada por {editor}" in client.get(edit).content.decode()
    changed = copy.deepcopy(SOURCE)
    changed["lines"][0]["text"] = "¡Otra vez el mismo cobro!"
    assert client.post(edit, page_form(scenario, changed)).status_code == HTTPStatus.FOUND
    published = ScenarioPage.objects.get(pk=scenario.pk)
    assert published.reviewed_by == editor  # the revision did not wipe the review …
    assert not published.key_reviewed  # … but the key changed after it
