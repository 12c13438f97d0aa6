"""The seeded personalities and role-plays: content rules, loading, and playing one."""

from http import HTTPStatus

import pytest

from attitude.selectors import profile_for
from people.models import Role
from scenarios import demo
from scenarios.content import (
    load_personalities,
    load_scenarios,
    personality_problems,
    scenario_problems,
)
from scenarios.models import ClientPersonality, Run, ScenarioPage

from .conftest import play

PERSONALITIES = [
    "agresivo", "quejumbroso", "dominante", "ofensivo", "pregunton", "callado", "miedoso",
    "simpatico", "irritado",
]  # fmt: skip


def test_every_personality_of_the_sources_is_described():
    personalities = load_personalities()
    assert [p["slug"] for p in personalities] == PERSONALITIES
    assert personality_problems(personalities) == []


def test_there_is_a_valid_scenario_for_every_personality():
    scenarios = load_scenarios()
    problems = [p for s in scenarios for p in scenario_problems(s, set(PERSONALITIES))]
    assert problems == []
    assert {s["personality"] for s in scenarios} == set(PERSONALITIES)
    assert len(scenarios) >= 9


@pytest.mark.django_db
def test_seeding_places_the_role_plays_before_the_quiz_and_is_idempotent(
    client, user_factory, demo_content
):
    demo.seed()  # again, on what seed_demo left (tests/snapshots.py)
    assert ClientPersonality.objects.filter(avatar__isnull=False).count() == 9
    scenarios = ScenarioPage.objects.live()
    assert scenarios.count() == len(load_scenarios())
    for scenario in scenarios:
        assert scenario.get_next_siblings().type(ScenarioPage).exists() or (
            scenario.get_next_siblings().first().specific_class.__name__ == "QuizPage"
        )

    # An agent plays the aggressive-client role-play to an ending, always picking the choice
    # the map calls best, and their attitude profile changes.
    aggressive = scenarios.get(personality__slug="agresivo")
    agent = user_factory(roles=[Role.AGENT])  # after seeding: no simulated history
    client.force_login(agent)
    client.post(aggressive.url + "empezar/")
    from scenarios.graph import best_path

    graph = aggressive.as_graph()
    response = play(
        client,
        aggressive,
        [(key, graph["lines"][key]["choices"][index]["key"]) for key, index in best_path(graph)],
    )
    run = Run.objects.get(person=agent, scenario=aggressive)
    assert run.outcome in {"fidelizado", "resuelto"}
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK and "map-edge--taken" in page.content.decode()
    assert profile_for(agent).activity_count == 1


def _follow(graph, pick):
    """The ending reached by always taking `pick(choices)`; None if a critical choice ends the
    run or the walk goes round in a loop."""
    key, seen = graph["start"], set()
    while key in graph["lines"] and key not in seen:
        seen.add(key)
        choice = pick(graph["lines"][key]["choices"])
        if choice["critical"]:
            return None
        key = choice["next"]
    return graph["endings"].get(key, {}).get("outcome")


def _longest(choices):
    return max(choices, key=lambda choice: len(choice["text"]))


def test_the_role_plays_cannot_be_won_by_length_and_leave_room_for_more_than_one_good_way():
    """Issue 16: "always pick the longest" reaches no good ending; at least a quarter of the
    decisions offer a second defensible choice (score ≥ 0.5, not the best); every role-play
    has an "escalado" ending (good work can end there for reasons outside the agent's
    control)."""
    from scenarios.content import as_graph
    from scenarios.graph import GOOD_OUTCOMES, choice_score

    decisions = second = 0
    for source in load_scenarios():
        graph = as_graph(source)
        longest = _follow(graph, _longest)
        assert longest not in GOOD_OUTCOMES, source["slug"]
        assert "escalado" in {e["outcome"] for e in graph["endings"].values()}, source["slug"]
        for line in graph["lines"].values():
            scores = sorted((choice_score(line, c) or 0 for c in line["choices"]), reverse=True)
            decisions += 1
            second += scores[1] >= 0.5
    assert second / decisions >= 0.25
