"""The test-wise heuristics of the content simulation, on small synthetic items (the seeded
content is checked in tests/test_content_quality.py)."""

import random

from attitude.testwise import details, pick, rate
from quizzes.testwise import quiz_score
from scenarios.graph import build
from scenarios.testwise import play, simulate

from ..scenarios.conftest import SOURCE


def test_details_count_numbers_and_names_not_sentence_starts():
    assert details("Le llamo a las 15:30 por el caso 4821. Marta, de Soporte, lo revisa.") == 4
    # 15, 30, 4821 and «Soporte»; «Le» and «Marta» start sentences
    assert details("«Lo siento mucho.»") == 0


def test_pick_and_rate_by_a_cue_or_at_random():
    texts = ["corta", "la más larga de las tres", "mediana de largo"]
    rng = random.Random(1)
    assert pick("longest", texts, rng) == 1
    assert rate("longest", texts, rng) == [1, 4, 3]
    assert all(1 <= r <= 4 for r in rate("random", texts, rng))
    assert 0 <= pick("random", texts, rng) < 3


def test_a_quiz_whose_key_is_the_longest_rewards_picking_the_longest():
    question = {
        "id": 1,
        "kind": "situational",
        "options": [
            {"id": 1, "text": "Le explico el cargo y le doy un número de caso.", "credit": 1},
            {"id": 2, "text": "Le digo que espere.", "credit": 0.2},
        ],
    }
    assert quiz_score([question], "longest", random.Random(0)) == 100
    rating = {
        "id": 2,
        "kind": "rating",
        "options": [
            {"id": 1, "text": "Una respuesta larga y detallada.", "expert_rating": 4},
            {"id": 2, "text": "Corta.", "expert_rating": 1},
        ],
    }
    assert quiz_score([rating], "longest", random.Random(0)) == 100


def test_always_the_longest_choice_in_a_role_play_can_end_on_a_critical_choice():
    graph = build(SOURCE["lines"], SOURCE["endings"])
    # the longest first choice is the insult: the run ends at once, lost
    assert play(graph, "longest", random.Random(0)) == (0.0, "perdido")
    figures = simulate(graph, seeds=range(50))
    assert figures["longest"] == (0.0, ["perdido"])
    assert "fidelizado" in figures["random"][1]
