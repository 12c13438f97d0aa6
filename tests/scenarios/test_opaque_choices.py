"""The play page gives nothing away: no author key, no author order, nothing that follows
a choice's score, and identifiers that mean nothing outside one run's present moment."""

import re

import pytest

from scenarios import graph as scenario_graph
from scenarios.models import Run
from scenarios.services import choose, start_run

from .conftest import BEST, parse_page

pytestmark = pytest.mark.django_db

RUNS = 30


def play_page(client, scenario):
    return client.get(scenario.url + "jugar/").content.decode()


def attributes(page):
    """Every attribute value on the page but the CSRF token's, which every form carries."""
    return {
        value
        for tag, attrs in parse_page(page).elements
        for name, value in attrs.items()
        if value and attrs.get("name") != "csrfmiddlewaretoken"
    }


def test_author_keys_appear_nowhere_on_the_play_page(client, agent, scenario):
    graph = scenario.as_graph()
    keys = {*graph["lines"], *graph["endings"]}
    keys |= {choice["key"] for line in graph["lines"].values() for choice in line["choices"]}
    client.force_login(agent)
    run = start_run(person=agent, scenario=scenario)
    for line_key, choice_key in BEST:
        page = play_page(client, scenario)
        found = {key for key in keys if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", page)}
        assert found == set(), line_key
        assert not any(key in value for key in keys for value in attributes(page)), line_key
        run = choose(run=run, line_key=line_key, choice_key=choice_key)


def test_two_runs_of_one_scenario_show_unrelated_identifiers(client, agent, teammate, scenario):
    seen = []
    for person in (agent, teammate, agent):
        client.force_login(person)
        if person == agent and seen:  # the agent's second run of the same scenario
            run = Run.objects.get(person=agent, finished_at__isnull=True)
            for line_key, choice_key in BEST:
                run = choose(run=run, line_key=line_key, choice_key=choice_key)
        client.post(scenario.url + "empezar/")
        seen.append(attributes(play_page(client, scenario)))
    shared = seen[0] & seen[1] & seen[2]
    for values in seen:
        assert values - shared, "each run shows identifiers of its own"
    assert (seen[0] - shared).isdisjoint(seen[1] - shared)
    assert (seen[0] - shared).isdisjoint(seen[2] - shared)


def test_a_reload_shows_the_same_choices_in_the_same_order(client, agent, scenario):
    client.force_login(agent)
    client.post(scenario.url + "empezar/")
    first = parse_page(play_page(client, scenario)).buttons
    assert parse_page(play_page(client, scenario)).buttons == first


def test_no_attribute_of_the_buttons_puts_the_best_choice_first(client, agent, scenario):
    """Over many runs, ordering a line's buttons by any of their attributes — or taking them
    as the page lists them — puts its best choice first no more often than chance."""
    graph = scenario.as_graph()
    best_text = {
        key: max(line["choices"], key=lambda c: scenario_graph.choice_score(line, c))["text"]
        for key, line in graph["lines"].items()
    }
    client.force_login(agent)
    firsts, chances = {}, {}
    for _ in range(RUNS):
        run = start_run(person=agent, scenario=scenario)
        for line_key, choice_key in BEST:
            buttons = parse_page(play_page(client, scenario)).buttons
            assert [b["text"] for b in buttons] != [], line_key
            chances[line_key] = 1 / len(buttons)
            orderings = {"page order": buttons}
            names = {name for button in buttons for name in button if name != "text"}
            for name in names:
                orderings[name] = sorted(buttons, key=lambda b, n=name: b.get(n, ""))
                orderings[f"{name}, reversed"] = orderings[name][::-1]
            for how, ordered in orderings.items():
                is_best = ordered[0]["text"] == best_text[line_key]
                firsts[line_key, how] = firsts.get((line_key, how), 0) + is_best
            run = choose(run=run, line_key=line_key, choice_key=choice_key)
    # Chance is 1/2 or 1/3 a line; 28 of 30 (1/2) or 24 of 30 (1/3) happen by chance about
    # once in 2.5 million.
    too_often = {
        where: count
        for where, count in firsts.items()
        if count >= (28 if chances[where[0]] == 1 / 2 else 24)
    }
    assert too_often == {}
