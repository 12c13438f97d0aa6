"""Grading of every question kind, the critical rule and the weights that become evidence."""

import pytest

from quizzes.grading import grade, public_question


def question(kind, options):
    return {"id": 1, "kind": kind, "text": "¿?", "options": options}


def opt(oid, **fields):
    return {"id": oid, "text": f"opción {oid}", **fields}


SINGLE = question("single", [opt(1, correct=True), opt(2), opt(3)])
MULTIPLE = question(
    "multiple", [opt(1, correct=True), opt(2, correct=True), opt(3), opt(4), opt(5)]
)
SITUATIONAL = question(
    "situational",
    [
        opt(1, credit=1.0, weights={"cortesia": 2, "fiabilidad": 1}),
        opt(2, credit=0.5, weights={"cortesia": 0}),
        opt(3, credit=0.0, critical=True, weights={"cortesia": -2, "fiabilidad": -2}),
    ],
)
RATING = question(
    "rating",
    [
        opt(1, expert_rating=4, weights={"comunicacion": 2}),
        opt(2, expert_rating=1, weights={"comunicacion": -2}),
        opt(3, expert_rating=2, critical=True),
    ],
)


@pytest.mark.parametrize(
    ("response", "score"), [([1], 1.0), ([2], 0.0), ([], 0.0), ([99], 0.0), ("1", 0.0)]
)
def test_single_choice_scores_the_correct_option_only(response, score):
    assert grade(SINGLE, response).score == score


@pytest.mark.parametrize(
    ("response", "score"),
    [
        ([1, 2], 1.0),
        ([1], 0.5),
        ([1, 2, 3], 1 - 1 / 3),  # a wrong pick costs 1 / (number of wrong options)
        ([1, 3, 4], 0.0),  # 1/2 − 2/3 is below zero
        ([3, 4, 5], 0.0),  # never below zero
        ([], 0.0),
    ],
)
def test_multiple_response_gives_partial_credit_and_wrong_picks_cost(response, score):
    assert grade(MULTIPLE, response).score == pytest.approx(score)


def test_situational_judgement_scores_the_credit_of_the_chosen_option():
    assert grade(SITUATIONAL, [2]).score == 0.5
    assert grade(SITUATIONAL, [1]).score == 1.0


def test_a_critical_option_fails_the_question_and_is_flagged():
    result = grade(SITUATIONAL, [3])
    assert result.score == 0 and result.critical
    assert result.evidence == [("cortesia", 0.0, 1.0), ("fiabilidad", 0.0, 1.0)]


@pytest.mark.parametrize(
    ("ratings", "score"),
    [
        ({"1": 4, "2": 1, "3": 2}, 1.0),
        ({"1": 3, "2": 1, "3": 2}, (2 / 3 + 1 + 1) / 3),  # one step off costs a third
        ({"1": 1, "2": 4, "3": 1}, (0 + 0 + 2 / 3) / 3),
        ({"1": 4}, 1 / 3),  # unrated responses earn nothing
    ],
)
def test_rating_scores_by_distance_to_the_expert_key(ratings, score):
    assert grade(RATING, ratings).score == pytest.approx(score)


def test_rating_a_critical_response_as_effective_fails_the_question():
    result = grade(RATING, {"1": 4, "2": 1, "3": 3})
    assert result.critical and result.score == 0


def test_weights_are_normalised_by_the_range_offered_at_the_decision():
    """cortesia ranges −2…+2 here, fiabilidad −2…+1: every decision counts equally."""
    assert grade(SITUATIONAL, [1]).evidence == [("cortesia", 1.0, 1.0), ("fiabilidad", 1.0, 1.0)]
    # option 2 weights cortesia 0 (the middle of −2…+2) and has no fiabilidad weight, which
    # counts as 0 in −2…+1 (attitude.scoring)
    assert grade(SITUATIONAL, [2]).evidence == [
        ("cortesia", 0.5, 1.0),
        ("fiabilidad", pytest.approx(2 / 3), 1.0),
    ]


def test_an_unanswered_question_earns_nothing_on_the_dimensions_it_measures():
    assert grade(SITUATIONAL, []).evidence == [("cortesia", 0.0, 1.0), ("fiabilidad", 0.0, 1.0)]


def test_rating_questions_give_their_score_as_evidence():
    result = grade(RATING, {"1": 3, "2": 1, "3": 2})
    assert result.evidence == [("comunicacion", pytest.approx(result.score), 1.0)]


def test_the_public_question_carries_no_key():
    public = public_question({**SITUATIONAL, "explanation": "Porque…"})
    text = str(public)
    for secret in ("credit", "critical", "weights", "correct", "feedback", "explanation"):
        assert secret not in text
