"""The role-play result as the learner reads it: the critical box quotes once, the map speaks
in the conversation's words (never the author's keys) and draws arrows under the boxes; the
editor's "Leads to" offers the scenario's keys (issue 11, item 18)."""

import re

import pytest

from scenarios.blocks import AgentChoiceBlock, CustomerLineBlock, EndingBlock

from .conftest import BEST, SOURCE, play

pytestmark = pytest.mark.django_db

KEYS = [item["key"] for item in [*SOURCE["lines"], *SOURCE["endings"]]]


def svg_of(html):
    return re.search(r'<figure class="scenario-map">.*?</figure>', html, re.S).group(0)


def visible_text(svg):
    """The words drawn in the map (text and wrapped paragraphs), without tooltips' titles."""
    svg = re.sub(r"<title[^>]*>.*?</title>", "", svg, flags=re.S)
    return " ".join(re.findall(r">([^<>]+)<", svg))


def finished(client, agent, scenario, moves):
    client.force_login(agent)
    client.post(scenario.url + "empezar/")
    response = play(client, scenario, moves)
    return client.get(response["Location"]).content.decode()


def test_the_critical_box_quotes_the_choice_once(client, agent, scenario):
    html = finished(client, agent, scenario, [("inicio", "insulto")])
    box = re.search(r'<div class="message message--error">(.*?)</div>', html, re.S).group(1)
    assert "«Si no sabe leer una factura, no es mi problema.»" in box
    assert "««" not in box and "»»" not in box


def test_a_choice_written_without_guillemets_is_quoted_in_the_box(client, agent, scenario_factory):
    source = {
        **SOURCE,
        "lines": [
            {
                **SOURCE["lines"][0],
                "choices": [
                    *SOURCE["lines"][0]["choices"][:2],
                    {**SOURCE["lines"][0]["choices"][2], "text": "No es mi problema."},
                ],
            },
            *SOURCE["lines"][1:],
        ],
    }
    scenario = scenario_factory(source=source, slug="sin-comillas")
    html = finished(client, agent, scenario, [("inicio", "insulto")])
    assert "«No es mi problema.»" in html


@pytest.mark.parametrize(
    "moves", [BEST, [("inicio", "insulto")]], ids=["normal ending", "critical ending"]
)
def test_the_learners_map_shows_words_never_keys(client, agent, scenario, moves):
    html = finished(client, agent, scenario, moves)
    words = visible_text(svg_of(html))
    for key in KEYS:
        assert not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", words), key
    assert "¡Me han cobrado dos veces!" in words  # a customer line's first words
    assert "Vale. ¿Y cuándo me lo" in words
    assert "Fidelizado" in words and "Perdido" in words  # the endings' outcome labels
    assert "no se dibuja" not in html and "fidelizado ·" not in words


def test_a_long_customer_line_shows_its_first_six_words(client, agent, scenario_factory):
    long_line = "Llevo tres semanas esperando al técnico y nadie me da una fecha."
    source = {**SOURCE, "lines": [{**SOURCE["lines"][0], "text": long_line}, *SOURCE["lines"][1:]]}
    scenario = scenario_factory(source=source, slug="linea-larga")
    words = visible_text(svg_of(finished(client, agent, scenario, BEST)))
    assert "Llevo tres semanas esperando al técnico…" in words
    assert "nadie me da una fecha" not in words


def test_the_map_draws_every_arrow_before_any_box(client, agent, scenario):
    svg = svg_of(finished(client, agent, scenario, BEST))
    last_edge = max(m.start() for m in re.finditer(r'<path class="map-edge', svg))
    first_node = re.search(r'<g class="map-node', svg).start()
    assert last_edge < first_node  # SVG paints in document order: arrows under the boxes


def test_the_editors_map_still_names_the_keys(client, editor, scenario):
    client.force_login(editor)
    html = client.get(f"/admin/pages/{scenario.pk}/edit/").content.decode()
    assert "inicio" in visible_text(svg_of(html)) and "fin-fiel" in visible_text(svg_of(html))


def test_leads_to_offers_the_keys_of_the_lines_and_endings(client, editor, scenario):
    """The choice's "Leads to" is tied to a datalist that a small script fills from the
    stream's line and ending keys; the graph validation on the server stays the rule."""
    html = AgentChoiceBlock().child_blocks["next"].field.widget.render("next", "calma")
    assert 'list="scenario-keys"' in html and "data-scenario-next" in html
    for block in (CustomerLineBlock(), EndingBlock()):
        assert "data-scenario-key" in block.child_blocks["key"].field.widget.render("k", "x")
    assert "js/scenario-keys.js" in str(AgentChoiceBlock().child_blocks["next"].field.widget.media)
    client.force_login(editor)
    page = client.get(f"/admin/pages/{scenario.pk}/edit/").content.decode()
    assert "js/scenario-keys.js" in page
