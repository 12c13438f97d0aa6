"""The graph rules a scenario keeps before it is published, each one named, plus random
graphs checked against an independent brute-force reading of the same rules."""

import copy
import random

from django.utils import translation

import pytest

from scenarios.content import as_graph
from scenarios.graph import best_path, problems

from .conftest import SOURCE


def graph(mutate=None):
    source = copy.deepcopy(SOURCE)
    if mutate:
        mutate(source)
    return as_graph(source)


def messages(g):
    with translation.override("es"):
        return [str(p) for p in problems(g)]


def line(source, key):
    return next(item for item in source["lines"] if item["key"] == key)


def test_the_example_scenario_is_valid_and_its_best_path_is_the_kind_one():
    g = graph()
    assert problems(g) == []
    assert [(k, g["lines"][k]["choices"][i]["key"]) for k, i in best_path(g)] == [
        ("inicio", "escucha"),
        ("calma", "plazo"),
        ("solucion", "extra"),
    ]


def test_a_choice_that_points_nowhere_is_named_with_its_line():
    def break_link(source):
        line(source, "calma")["choices"][0]["next"] = "no-existe"

    assert any("«calma»" in m and "no-existe" in m for m in messages(graph(break_link)))


def test_a_choice_without_a_destination_is_refused():
    def blank(source):
        line(source, "solucion")["choices"][1]["next"] = ""

    assert any("«solucion»" in m for m in messages(graph(blank)))


def test_a_critical_choice_needs_no_destination():
    assert "next" not in line(SOURCE, "inicio")["choices"][2]
    assert messages(graph()) == []


def test_every_decision_offers_two_choices_or_more():
    def single(source):
        line(source, "solucion")["choices"].pop()

    assert any("«solucion»" in m and "dos opciones" in m for m in messages(graph(single)))


def test_every_line_is_reachable_from_the_start():
    def orphan(source):
        source["lines"].append(
            {"key": "huerfana", "mood": "tranquilo", "text": "…", "choices": [
                {"text": "a", "next": "fin-fiel"}, {"text": "b", "next": "fin-perdido"}]}
        )  # fmt: skip

    assert any("«huerfana»" in m and "llegar" in m for m in messages(graph(orphan)))


def test_a_loop_is_allowed_only_with_a_way_out():
    assert messages(graph()) == []  # calma ⇄ tension loops, but both lead on

    def trap(source):
        line(source, "tension")["choices"][1]["next"] = "calma"
        line(source, "calma")["choices"][0]["next"] = "tension"

    found = messages(graph(trap))
    assert any("«calma»" in m and "bucle" in m for m in found)
    assert any("«tension»" in m and "bucle" in m for m in found)


def test_at_least_one_ending_must_be_good():
    def all_bad(source):
        for ending in source["endings"]:
            ending["outcome"] = "perdido"

    assert any("bueno" in m for m in messages(graph(all_bad)))


def test_keys_must_be_unique():
    def duplicate(source):
        source["endings"][1]["key"] = "fin-fiel"

    assert any("«fin-fiel»" in m and "dos veces" in m for m in messages(graph(duplicate)))


def random_graph(rng):
    """A random graph: up to 7 lines, up to 3 endings, choices pointing anywhere."""
    lines = [f"l{n}" for n in range(rng.randint(1, 7))]
    endings = [f"e{n}" for n in range(rng.randint(1, 3))]
    targets = [*lines, *endings, "nada"]
    source = {
        "lines": [
            {
                "key": key,
                "mood": "tranquilo",
                "text": key,
                "choices": [
                    {"text": "x", "next": rng.choice(targets), "critical": rng.random() < 0.1}
                    for _ in range(rng.randint(1, 3))
                ],
            }
            for key in lines
        ],
        "endings": [
            {"key": key, "outcome": rng.choice(["resuelto", "perdido"]), "debrief": "d"}
            for key in endings
        ],
    }
    return as_graph(source)


def brute_force_ok(g):
    """The same rules read differently: depth-first search from every node."""
    lines, endings = g["lines"], g["endings"]

    def nexts(key):
        return [c["next"] for c in lines[key]["choices"] if not c["critical"]]

    def can_reach_ending(key, seen=()):
        if key in endings:
            return True
        if key not in lines or key in seen:
            return False
        if any(c["critical"] for c in lines[key]["choices"]):
            return True
        return any(can_reach_ending(n, (*seen, key)) for n in nexts(key))

    stack, reached = [g["start"]], set()
    while stack:
        key = stack.pop()
        if key in reached or key not in lines:
            reached.add(key) if key in endings else None
            continue
        reached.add(key)
        stack.extend(nexts(key))
    return (
        all(len(lines[k]["choices"]) >= 2 for k in lines)
        and all(n in lines or n in endings for k in lines for n in nexts(k))
        and set(lines) | set(endings) <= reached
        and all(can_reach_ending(k) for k in lines)
        and any(e["outcome"] == "resuelto" for e in endings.values())
    )


@pytest.mark.parametrize("seed", range(400))
def test_random_graphs_agree_with_a_brute_force_check(seed):
    g = random_graph(random.Random(seed))
    assert (problems(g) == []) == brute_force_ok(g)
    if problems(g) == []:
        # a valid graph always has a best path to a good ending
        path = best_path(g)
        assert path and g["lines"][path[-1][0]]["choices"][path[-1][1]]["next"] in g["endings"]
