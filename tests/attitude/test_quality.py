"""The item-quality checker (attitude/quality.py with the quiz and scenario adapters), each flag
pinned on a small synthetic question, bank or scenario."""

import io
from pathlib import Path

from django.utils import translation

import pytest

from attitude import quality
from courses.content import DIMENSIONS
from quizzes import content as quiz_content
from quizzes.content import BankSource
from quizzes.quality import as_decision, bank_flags, content_flags
from scenarios import content as scenario_content
from scenarios.quality import graph_flags

A = "Le explico el cargo y le doy el número de caso."  # 47 characters
B = "Le pido que espere y reviso la factura."  # 39
C = "Le digo que llame mañana a otra línea."  # 38


@pytest.fixture(autouse=True)
def english():
    """Messages as the command lines print them (they are translated for the editor)."""
    with translation.override("en"):
        yield


def situational(key="q-01", **overrides):
    options = overrides.pop("options", None) or [
        {"text": A, "credit": 1, "weights": {"cortesia": 2, "fiabilidad": 1}},
        {"text": B, "credit": 0.5, "weights": {"cortesia": 1, "fiabilidad": 0}},
        {"text": C, "credit": 0, "weights": {"cortesia": -1, "fiabilidad": -1}},
    ]
    return {"key": key, "kind": "situational", "options": options, **overrides}


def codes(flags):
    return sorted({flag.code for flag in flags})


def flags_of(question):
    return quality.decision_flags(as_decision(question))


def test_a_well_written_question_has_no_flags():
    assert flags_of(situational()) == []


def test_the_keyed_option_longer_by_more_than_a_quarter_is_flagged():
    long_key = situational()
    long_key["options"][0]["text"] = A + " Además le confirmo todo por escrito hoy."
    flags = flags_of(long_key)
    assert codes(flags) == [quality.KEY_TOO_LONG]
    assert "longer than the longest other one" in str(flags[0])
    within = situational()
    within["options"][0]["text"] = "x" * int(len(B) * 1.25)  # 25 % exactly is allowed
    assert flags_of(within) == []


def test_true_false_lengths_are_not_compared():
    question = {
        "key": "tf", "kind": "true_false",
        "options": [{"text": "Verdadero", "correct": True, "weights": {"cortesia": 1}},
                    {"text": "Falso", "weights": {"cortesia": 0}}],
    }  # fmt: skip
    assert flags_of(question) == []


def test_weights_that_cannot_count_and_a_question_measuring_nothing():
    same = situational()
    for option in same["options"]:
        option["weights"] = {"cortesia": 1}
    assert codes(flags_of(same)) == [quality.DEAD_WEIGHT, quality.MEASURES_NOTHING]
    bare = situational()
    for option in bare["options"]:
        option["weights"] = {}
    assert codes(flags_of(bare)) == [quality.MEASURES_NOTHING]


def test_an_option_without_a_weight_on_a_measured_dimension_is_flagged():
    implicit = situational()
    del implicit["options"][1]["weights"]["fiabilidad"]
    assert codes(flags_of(implicit)) == [quality.IMPLICIT_ZERO]
    unscored = situational()
    del unscored["options"][0]["weights"]["fiabilidad"]
    assert quality.BEST_UNSCORED in codes(flags_of(unscored))


def test_a_negative_weight_earning_full_marks_is_flagged():
    """The cs-03 pattern: only negative cortesía weights offered."""
    negative = situational()
    for option, weight in zip(negative["options"], (-1, -2, -2), strict=True):
        option["weights"]["cortesia"] = weight
    assert quality.NEGATIVE_FULL_MARKS in codes(flags_of(negative))


def test_credit_and_weights_ranking_the_options_in_opposite_orders_is_flagged():
    opposite = situational()
    opposite["options"][1]["weights"] = {"cortesia": 2, "fiabilidad": 1}
    opposite["options"][0]["weights"] = {"cortesia": 1, "fiabilidad": 0}
    assert codes(flags_of(opposite)) == [quality.OPPOSITE_RANKING]


def test_a_critical_option_without_its_reason_is_flagged():
    critical = situational()
    critical["options"][2]["critical"] = True
    assert codes(flags_of(critical)) == [quality.NO_CRITICAL_REASON]
    critical["options"][2]["critical_reason"] = "lie"
    assert flags_of(critical) == []


def bank(questions):
    return BankSource(path=Path("99-prueba.yaml"), course="c", category="c", quiz={},
                      questions=questions)  # fmt: skip


def test_the_key_longest_in_more_than_a_third_of_a_bank_is_flagged():
    """Three items: the key longest (within 25 %) in one is fine, in two it is not."""
    shorter = situational(key="q-02")
    shorter["options"][0]["credit"], shorter["options"][1]["credit"] = 0.5, 1
    shorter["options"][0]["weights"], shorter["options"][1]["weights"] = (
        shorter["options"][1]["weights"],
        shorter["options"][0]["weights"],
    )
    assert codes(bank_flags(bank([situational(), shorter, {**shorter, "key": "q-03"}]))) == []
    flags = bank_flags(bank([situational(), situational(key="q-02"), shorter]))
    assert codes(flags) == [quality.KEY_OFTEN_LONGEST]
    assert "2 of 3" in str(flags[0]) and str(flags[0]).startswith("99-prueba.yaml")


def rating(key, ratings):
    return {
        "key": key,
        "kind": "rating",
        "options": [
            {"text": f"Respuesta número {n} del agente", "expert_rating": r,
             "weights": {"comunicacion": r - 2}}
            for n, r in enumerate(ratings)
        ],
    }  # fmt: skip


def test_rating_keys_a_permutation_in_every_item_of_a_bank_are_flagged():
    permutations = [rating("r-1", [4, 1, 3, 2]), rating("r-2", [2, 3, 1, 4])]
    assert quality.RATING_PERMUTATIONS in codes(bank_flags(bank(permutations)))
    repeated = [rating("r-1", [4, 1, 3, 2]), rating("r-2", [4, 3, 1, 4])]
    assert quality.RATING_PERMUTATIONS not in codes(bank_flags(bank(repeated)))


def test_coverage_counts_questions_whose_weights_vary_and_flags_a_dimension_under_the_minimum():
    questions = [situational(key=f"q-{n}") for n in range(8)]
    questions[0]["options"][2]["weights"]["seguridad"] = -1  # one −2…0: counts
    counts = quality.coverage(as_decision(q) for q in questions)
    assert counts["cortesia"] == 8 and counts["seguridad"] == 1
    flags = content_flags([bank(questions)])
    short = {f.where for f in flags if f.code == quality.UNDER_MINIMUM}
    assert short == DIMENSIONS - {"cortesia", "fiabilidad"}
    assert set(quality.DIMENSIONS) == DIMENSIONS


GRAPH = {
    "start": "inicio",
    "lines": {
        "inicio": {"choices": [
            {"key": "a", "text": A, "weights": {"cortesia": 2, "seguridad": 1}, "next": "fin"},
            {"key": "b", "text": B, "weights": {"cortesia": 0, "seguridad": 2}, "next": "fin"},
            {"key": "c", "text": C, "weights": {"cortesia": -2, "seguridad": 0},
             "critical": True, "critical_reason": "insult"},
        ]},
        "sigue": {"choices": [
            {"key": "d", "text": C, "weights": {"fiabilidad": 2}, "next": "fin"},
            {"key": "e", "text": A, "weights": {"fiabilidad": 0}, "next": "fin"},
        ]},
        "otra": {"choices": [
            {"key": "f", "text": B, "weights": {"comunicacion": 1}, "next": "fin"},
            {"key": "g", "text": A, "weights": {"comunicacion": -1}, "next": "fin"},
        ]},
    },
    "endings": {"fin": {"outcome": "resuelto"}},
}  # fmt: skip


def test_role_play_decisions_are_checked_with_the_best_choice_as_key():
    assert graph_flags(GRAPH) == []
    import copy

    broken = copy.deepcopy(GRAPH)
    broken["lines"]["inicio"]["choices"][0]["text"] = A * 2  # the best choice, twice as long
    del broken["lines"]["inicio"]["choices"][2]["critical_reason"]
    del broken["lines"]["sigue"]["choices"][1]["weights"]["fiabilidad"]
    broken["lines"]["sigue"]["choices"][0]["text"] = A + "."  # the best, and longest by little
    flags = graph_flags(broken, "99-prueba.yaml")
    assert codes(flags) == [
        quality.IMPLICIT_ZERO, quality.KEY_OFTEN_LONGEST, quality.KEY_TOO_LONG,
        quality.NO_CRITICAL_REASON,
    ]  # fmt: skip
    assert all(str(f).startswith("99-prueba.yaml") for f in flags)
    assert "«inicio»" in str(next(f for f in flags if f.code == quality.KEY_TOO_LONG))


def test_the_command_lines_print_the_coverage_table_and_fail_on_problems(tmp_path):
    good = tmp_path / "01-bien.yaml"
    good.write_text(
        "course: c\ncategory: c\nquiz: {title: T, slug: t, intro: I, pass_mark: 70}\n"
        "questions: []\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert quiz_content.main([str(good)], out) == 1  # 0 questions (12 wanted)
    assert "| seguridad | 0 |" in out.getvalue()
    out = io.StringIO()
    assert scenario_content.main([], out) in (0, 1)
    assert "| Dimension | decisions |" in out.getvalue() or "| Dimensión |" in out.getvalue()


def test_the_minimums_are_those_of_the_content_rules():
    assert (quality.MIN_QUESTIONS, quality.MIN_DECISIONS, quality.LONGER_BY) == (8, 5, 0.25)


def test_the_content_report_prints_the_readme_table_of_questions_and_decisions():
    from django.core.management import call_command

    out = io.StringIO()
    call_command("content_report", stdout=out)
    table = out.getvalue()
    assert "| Dimension | Preguntas | Decisiones de juego de rol |" in table
    for slug in quality.DIMENSIONS:
        assert f"| {slug} | " in table
