"""The test-wise simulation over a role-play (attitude/testwise.py): the choices shuffled as
the player shows them (views.play), each decision scored by graph.choice_score and the run by
their mean, as services.finish does."""

import random
from statistics import fmean

from attitude import testwise

from . import graph as scenario_graph

MAX_STEPS = 40  # a heuristic caught in a loop stops here, with no ending


def play(graph, heuristic, rng):
    """(score 0..100, outcome) of one run in which every choice is made by the heuristic; a
    critical choice ends it "perdido"; "" when it never reaches an ending."""
    key, scores = graph["start"], []
    for _ in range(MAX_STEPS):
        line = graph["lines"][key]
        choices = list(line["choices"])
        rng.shuffle(choices)
        choice = choices[testwise.pick(heuristic, [c["text"] for c in choices], rng)]
        score = scenario_graph.choice_score(line, choice)
        if score is not None:
            scores.append(score)
        mean = 100 * fmean(scores) if scores else 0.0
        if choice.get("critical"):
            return mean, "perdido"
        key = choice["next"]
        if key in graph["endings"]:
            return mean, graph["endings"][key]["outcome"]
    return (100 * fmean(scores) if scores else 0.0), ""


def simulate(graph, seeds=range(200)):
    """{heuristic: (mean score 0..100, outcomes reached)} over runs with each seed."""
    figures = {}
    for heuristic in testwise.HEURISTICS:
        runs = [play(graph, heuristic, random.Random(f"{seed}:{heuristic}")) for seed in seeds]  # noqa: S311 (a simulation, not security)
        figures[heuristic] = (fmean(s for s, _ in runs), sorted({o for _, o in runs}))
    return figures


def report():
    """One line per live role-play: each heuristic's mean score and the outcomes it reached."""
    from .models import ScenarioPage

    lines = []
    for page in ScenarioPage.objects.live().order_by("path"):
        figures = simulate(page.as_graph())
        shown = ", ".join(f"{h} {s:.1f} {'/'.join(o)}" for h, (s, o) in figures.items())
        lines.append(f"{page.slug}: {shown}")
    return lines
