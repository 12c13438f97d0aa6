"""The seeded questions and role-plays measure attitude (issue 16): the item-quality checker
passes on them, every dimension meets its minimum, and a test-wise learner who does not read
the situation — picking the longest option, the one with most numbers and names, rating by
length, or guessing — does no better than random + 10 points, passes no quiz and reaches no
good ending in any role-play."""

import pytest

from attitude import quality
from quizzes import quality as quiz_quality
from quizzes import testwise as quiz_testwise
from quizzes.models import QuizPage
from scenarios import quality as scenario_quality
from scenarios import testwise as scenario_testwise
from scenarios.graph import GOOD_OUTCOMES
from scenarios.models import ScenarioPage

MARGIN = 10  # points over random guessing a heuristic may reach


def test_the_checker_passes_on_every_seeded_question():
    assert [str(flag) for flag in quiz_quality.content_flags()] == []


def test_the_checker_passes_on_every_seeded_role_play():
    assert [str(flag) for flag in scenario_quality.content_flags()] == []


def test_every_dimension_is_measured_by_8_questions_and_5_role_play_decisions():
    questions, decisions = quiz_quality.seeded_coverage(), scenario_quality.seeded_coverage()
    assert {d: questions[d] for d in quality.DIMENSIONS if questions[d] < 8} == {}
    assert {d: decisions[d] for d in quality.DIMENSIONS if decisions[d] < 5} == {}


_figures = {}


@pytest.fixture
def simulated(demo_content):
    """The seeded quizzes and role-plays played by every heuristic, as plain figures:
    simulated once, on the first test that asks (each test's database is rolled back)."""
    if not _figures:
        _figures["quizzes"] = {
            quiz.slug: (quiz.pass_mark, quiz_testwise.simulate(quiz))
            for quiz in QuizPage.objects.live().order_by("path")
        }
        _figures["role-plays"] = {
            page.slug: scenario_testwise.simulate(page.as_graph())
            for page in ScenarioPage.objects.live().order_by("path")
        }
    return _figures


def test_no_heuristic_beats_random_by_more_than_10_points_or_passes_a_quiz(simulated):
    assert len(simulated["quizzes"]) >= 4
    lowest_pass_mark = min(pass_mark for pass_mark, _ in simulated["quizzes"].values())
    beaten = {}
    for slug, (_, scores) in simulated["quizzes"].items():
        for heuristic, score in scores.items():
            if heuristic == "random":
                continue
            if score > scores["random"] + MARGIN or score >= lowest_pass_mark:
                beaten[f"{slug} {heuristic}"] = (round(score, 1), round(scores["random"], 1))
    assert beaten == {}


def test_no_heuristic_beats_random_by_more_than_10_points_in_a_role_play(simulated):
    assert len(simulated["role-plays"]) >= 11
    beaten = {
        f"{slug} {heuristic}": (round(score, 1), round(figures["random"][0], 1))
        for slug, figures in simulated["role-plays"].items()
        for heuristic, (score, _) in figures.items()
        if score > figures["random"][0] + MARGIN
    }
    assert beaten == {}


def test_always_picking_the_longest_choice_reaches_no_good_ending(simulated):
    good = {
        slug: outcomes
        for slug, figures in simulated["role-plays"].items()
        if GOOD_OUTCOMES & set(outcomes := figures["longest"][1])
    }
    assert good == {}
