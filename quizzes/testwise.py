"""The test-wise simulation over a quiz (attitude/testwise.py), with the platform's own
shuffling (services.build_snapshot) and grading (grading.grade)."""

import random
from statistics import fmean

from attitude import testwise

from . import grading
from .services import build_snapshot


def respond(question, heuristic, rng):
    """A response to one snapshot question, chosen by the heuristic from the texts alone."""
    options = question["options"]
    texts = [o["text"] for o in options]
    if question["kind"] == "rating":
        ratings = testwise.rate(heuristic, texts, rng)
        return {str(o["id"]): r for o, r in zip(options, ratings, strict=True)}
    if question["kind"] == "multiple" and heuristic == "random":
        return [o["id"] for o in options if rng.random() < 0.5]
    return [options[testwise.pick(heuristic, texts, rng)]["id"]]


def quiz_score(questions, heuristic, rng):
    """The quiz score (0..100) this heuristic earns, as submit_attempt computes it."""
    scores = [grading.grade(q, respond(q, heuristic, rng)).score for q in questions]
    return 100 * fmean(scores) if scores else 0.0


def simulate(quiz, seeds=range(100)):
    """{heuristic: mean score 0..100} over attempts shuffled with each seed."""
    totals = {heuristic: [] for heuristic in testwise.HEURISTICS}
    for seed in seeds:
        questions = build_snapshot(quiz, rng=random.Random(seed))["questions"]  # noqa: S311 (a simulation, not security)
        for heuristic in testwise.HEURISTICS:
            rng = random.Random(f"{seed}:{heuristic}")  # noqa: S311 (a simulation, not security)
            totals[heuristic].append(quiz_score(questions, heuristic, rng))
    return {heuristic: fmean(values) for heuristic, values in totals.items()}


def report():
    """One line per live quiz: what each heuristic scores, beside its pass mark."""
    from .models import QuizPage

    lines = []
    for quiz in QuizPage.objects.live().order_by("path"):
        figures = simulate(quiz)
        shown = ", ".join(f"{h} {v:.1f}" for h, v in figures.items())
        lines.append(f"{quiz.slug} (pass mark {quiz.pass_mark}): {shown}")
    return lines
