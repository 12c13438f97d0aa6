"""Reads for the scenario pages and the analytics report."""

from django.db.models import Avg, Count, Q

from attitude.models import ServiceDimension

from .graph import decision_evidence
from .models import Run, RunStep


def scenario_overview(scenario, person):
    runs = list(Run.objects.filter(scenario=scenario, person=person).order_by("number"))
    return {
        "runs": [run for run in runs if run.is_finished],
        "open_run": next((run for run in runs if not run.is_finished), None),
    }


def offered_choices(run):
    """The current line's choices in the order the run was dealt them: each one's token (what
    the page posts) and text, and nothing else — no key, no feedback, no weights."""
    choices = run.graph["lines"][run.current_key]["choices"]
    return [
        {"token": offer["token"], "text": choices[offer["index"]]["text"]} for offer in run.offered
    ]


def transcript(run):
    """The conversation so far: each customer line with the choice taken and its feedback."""
    graph = run.graph
    entries = []
    for step in run.steps.order_by("position"):
        line = graph["lines"][step.line_key]
        choice = line["choices"][step.choice_index]
        entries.append({"line": line, "choice": choice, "step": step})
    return entries


def dimension_feedback(run):
    """Per dimension this run measured: the mean normalised score of the decisions that
    weighted it, with how many there were."""
    names = dict(ServiceDimension.objects.labels())
    totals = {}
    for entry in transcript(run):
        for slug, value in decision_evidence(entry["line"], entry["choice"]).items():
            totals.setdefault(slug, []).append(value)
    return [
        {
            "name": names.get(slug, slug),
            "percent": round(100 * sum(values) / len(values)),
            "count": len(values),
        }
        for slug, values in sorted(totals.items(), key=lambda item: names.get(item[0], ""))
    ]


def scenario_analytics(scenario):
    """Runs, completion rate, choices per line, where unfinished runs stopped and the mean
    score per ending — each aggregated in the database, in a fixed number of queries."""
    runs = Run.objects.filter(scenario=scenario)
    totals = runs.aggregate(
        total=Count("pk"),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
        learners=Count("person", distinct=True),
    )
    total, finished = totals["total"], totals["finished"]
    choices = {
        (row["line_key"], row["choice_key"]): row["n"]
        for row in RunStep.objects.filter(run__scenario=scenario)
        .values("line_key", "choice_key")
        .annotate(n=Count("pk"))
    }
    drop_off = list(
        runs.filter(finished_at__isnull=True)
        .values("current_key")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    endings = list(
        runs.filter(finished_at__isnull=False)
        .values("ending_key", "outcome")
        .annotate(n=Count("pk"), mean=Avg("score"))
        .order_by("-n")
    )
    return {
        "runs": total,
        "finished": finished,
        "completion": round(100 * finished / total) if total else None,
        "choices": choices,
        "drop_off": drop_off,
        "endings": endings,
        "learners": totals["learners"],
    }
