"""Journey: an agent plays a role-play to a critical ending and then to a normal one, and reads
the result as a learner: the critical box quotes once, the map speaks in the conversation's
words, never the author's keys, and its boxes sit above the arrows; the editor's "Lleva a"
offers the scenario's keys (issue 11, item 18)."""

import re

import pytest

from tests.scenarios.conftest import SOURCE

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KEYS = {item["key"] for item in [*SOURCE["lines"], *SOURCE["endings"]]}


def map_words(page):
    """What each box of the map says, as drawn."""
    return page.locator(".scenario-map .map-node").evaluate_all(
        "(nodes) => nodes.map((node) => node.textContent.replace(/\\s+/g, ' ').trim())"
    )


def assert_boxes_above_arrows(page):
    """At the centre of each box, the topmost element belongs to the box, not to an arrow."""
    on_top = page.evaluate(
        """() => [...document.querySelectorAll('.scenario-map .map-node rect')].map((rect) => {
            const box = rect.getBoundingClientRect();
            rect.scrollIntoView({block: 'center', inline: 'center'});
            const again = rect.getBoundingClientRect();
            const hit = document.elementFromPoint(again.x + 4, again.y + again.height / 2);
            return Boolean(hit && hit.closest('.map-node')) || box.width === 0;
        })"""
    )
    assert on_top and all(on_top)


def assert_no_keys(words):
    for text in words:
        for key in KEYS:
            assert not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text), (key, text)


def test_an_agent_reads_a_critical_and_a_normal_ending(page, agent, scenario_factory):
    scenario = scenario_factory()
    sign_in(page, agent)

    page.goto(scenario.url)
    page.get_by_role("button", name="Empezar el juego de rol").click()
    page.get_by_role("button", name=re.compile("Si no sabe leer una factura")).click()
    page.get_by_role("heading", name="Cómo terminó la partida 1").wait_for()
    box = page.locator(".result-summary .message--error").inner_text()
    assert "«Si no sabe leer una factura, no es mi problema.»" in box
    assert "««" not in box and "»»" not in box
    words = map_words(page)
    assert_no_keys(words)
    assert any("¡Me han cobrado dos veces!" in text for text in words)
    assert any("Respuesta crítica" in text for text in words)  # the answer that ended it
    assert page.locator(".map-edge--taken").count() == 1
    caption = page.locator(".scenario-map figcaption").inner_text()
    assert "no se dibuja" not in caption
    assert_boxes_above_arrows(page)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Jugar de nuevo").click()
    for text in ("Entiendo su enfado", "Lo anulo ahora", "Le dejo además mi extensión"):
        page.get_by_role("button", name=re.compile(text)).click()
    page.get_by_role("heading", name="Cómo terminó la partida 2").wait_for()
    words = map_words(page)
    assert_no_keys(words)
    assert any("Vale. ¿Y cuándo me lo devuelven?" in text for text in words)
    assert any(text.startswith("Fidelizado") for text in words)  # an ending's outcome label
    assert not any("Respuesta crítica" in text for text in words)
    assert page.locator(".map-edge--taken").count() == 3
    assert_boxes_above_arrows(page)
    assert axe_violations(page) == []


def test_leads_to_offers_the_scenarios_keys_in_the_editor(page, editor, scenario_factory):
    scenario = scenario_factory()
    sign_in(page, editor)
    page.goto(f"/admin/pages/{scenario.pk}/edit/")
    leads_to = page.locator("input[data-scenario-next]").first
    leads_to.wait_for(state="attached")
    leads_to.scroll_into_view_if_needed()
    leads_to.focus()
    options = page.locator("datalist#scenario-keys option")
    values = options.evaluate_all("(options) => options.map((o) => o.value)")
    assert set(values) == KEYS
    labels = options.evaluate_all("(options) => options.map((o) => o.label)")
    assert any(label.startswith("inicio — ¡Me han cobrado") for label in labels)
    assert leads_to.get_attribute("list") == "scenario-keys"
