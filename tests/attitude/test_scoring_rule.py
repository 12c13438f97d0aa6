"""The scoring rule (attitude/scoring.py), pinned with hand-computed examples for every
question kind and for role-play choices: at a decision, an option without a weight on a
dimension some option weights is neutral 0 there, and s = (w − min) / (max − min)."""

import pytest

from attitude import scoring
from quizzes.grading import grade
from scenarios.graph import choice_score, decision_evidence


def question(kind, *options):
    return {
        "id": 1,
        "kind": kind,
        "text": "¿?",
        "options": [{"id": n, "text": f"opción {n}", **o} for n, o in enumerate(options, 1)],
    }


def evidence(result):
    return {slug: pytest.approx(earned) for slug, earned, possible in result.evidence}


def test_an_unweighted_option_is_neutral_and_equal_options_give_no_evidence():
    offered = [{"cortesia": -2}, {}, {"cortesia": 1, "fiabilidad": 1}, {"fiabilidad": 1}]
    # cortesia: −2, 0, 1, 0 → −2…1; fiabilidad: 0, 0, 1, 1 → 0…1
    assert scoring.weight_ranges(offered) == {"cortesia": (-2, 1), "fiabilidad": (0, 1)}
    assert scoring.normalised(offered, [{}]) == {"cortesia": 2 / 3, "fiabilidad": 0.0}
    assert scoring.weight_ranges([{"cortesia": 1}, {"cortesia": 1}]) == {}
    assert scoring.weight_ranges([{"cortesia": 0}, {}]) == {}
    assert scoring.normalised(offered, []) == {}


def test_single_choice():
    q = question("single", {"correct": True, "weights": {"cortesia": 2}}, {},
                 {"weights": {"cortesia": -1}})  # fmt: skip
    # cortesia offered 2, 0, −1 → range −1…2 (3 wide)
    assert grade(q, [1]).score == 1 and evidence(grade(q, [1])) == {"cortesia": 1.0}
    assert grade(q, [2]).score == 0 and evidence(grade(q, [2])) == {"cortesia": 1 / 3}
    assert evidence(grade(q, [3])) == {"cortesia": 0.0}


def test_true_false_with_one_weighted_option_is_evidence():
    """Under the old rule a single weight was dropped: this question measured nothing."""
    q = question("true_false", {"weights": {"profesionalismo": -2}}, {"correct": True})
    assert evidence(grade(q, [2])) == {"profesionalismo": 1.0}  # 0 in −2…0
    assert evidence(grade(q, [1])) == {"profesionalismo": 0.0}


def test_multiple_response_averages_the_picks_an_unweighted_pick_counting_zero():
    q = question(
        "multiple",
        {"correct": True, "weights": {"comunicacion": 2}},
        {"correct": True, "weights": {"comunicacion": 1, "fiabilidad": 2}},
        {"weights": {"fiabilidad": -2}},
        {},
    )
    # comunicacion: 2, 1, 0, 0 → 0…2; fiabilidad: 0, 2, −2, 0 → −2…2
    both = grade(q, [1, 2])
    assert both.score == 1
    assert evidence(both) == {"comunicacion": 1.5 / 2, "fiabilidad": (1 + 2) / 4}
    first_and_blank = grade(q, [1, 4])  # 1/2 right − 1/2 wrong = 0
    assert first_and_blank.score == 0
    assert evidence(first_and_blank) == {"comunicacion": 0.5, "fiabilidad": 0.5}


def test_situational_a_negative_weight_no_longer_earns_full_marks():
    """The cs-03 pattern: only negative cortesía weights were offered, so the option that
    interrupts the customer (−1) scored 100 % on cortesía. With the unweighted option at 0,
    cortesía ranges −2…0 and −1 is half-way."""
    q = question(
        "situational",
        {"credit": 0.5, "weights": {"cortesia": -1}},
        {"credit": 1, "weights": {"capacidad-de-respuesta": 2}},
        {"credit": 0, "weights": {"cortesia": -2}},
    )
    assert evidence(grade(q, [1])) == {"capacidad-de-respuesta": 0.0, "cortesia": 0.5}
    assert evidence(grade(q, [2])) == {"capacidad-de-respuesta": 1.0, "cortesia": 1.0}
    assert evidence(grade(q, [3])) == {"capacidad-de-respuesta": 0.0, "cortesia": 0.0}
    assert grade(q, [1]).score == 0.5


def test_rating_gives_its_score_on_every_dimension_a_response_weights():
    q = question(
        "rating",
        {"expert_rating": 4, "weights": {"comunicacion": 2}},
        {"expert_rating": 1},
        {"expert_rating": 2, "weights": {"cortesia": -1}},
    )
    result = grade(q, {"1": 4, "2": 2, "3": 2})  # (1 + 2/3 + 1) / 3
    assert result.score == pytest.approx(8 / 9)
    assert evidence(result) == {"comunicacion": 8 / 9, "cortesia": 8 / 9}


def test_role_play_choices():
    line = {
        "choices": [
            {"key": "x", "weights": {"cortesia": 2}},
            {"key": "y", "weights": {"fiabilidad": 1}},
            {"key": "z", "weights": {"cortesia": -2}, "critical": True},
        ]
    }
    x, y, z = line["choices"]
    # cortesia: 2, 0, −2 → −2…2; fiabilidad: 0, 1, 0 → 0…1
    assert decision_evidence(line, x) == {"cortesia": 1.0, "fiabilidad": 0.0}
    assert decision_evidence(line, y) == {"cortesia": 0.5, "fiabilidad": 1.0}
    assert decision_evidence(line, z) == {"cortesia": 0.0, "fiabilidad": 0.0}
    assert (choice_score(line, x), choice_score(line, y), choice_score(line, z)) == (
        0.5,
        0.75,
        0.0,
    )
