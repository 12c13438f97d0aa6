"""The scenario player: a small state machine over a run's frozen graph.

A run sits at one customer line (`current_key`). Choosing one of that line's choices stores
the decision and moves the run on; a choice from any other line (a stale tab, a replayed
form, a tampered post) is refused. Reaching an ending, or making a critical choice, finishes
the run: it is scored, the course step is completed and the attitude profile gets evidence.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from attitude.models import ServiceDimension
from attitude.services import Item, record_evidence, rewrite_evidence
from courses.services import complete_step

from . import graph as scenario_graph
from .models import Run, RunStep


class ChoiceRefused(Exception):
    """The posted choice is not offered at the run's current line (or the run is over)."""


def snapshot(scenario):
    personality = scenario.personality
    return {
        "title": scenario.title,
        "allow_back": scenario.allow_back,
        "graph": scenario.as_graph(),
        "personality": {
            "name": personality.name,
            "do": personality.do_items,
            "dont": personality.dont_items,
        },
    }


def start_run(*, person, scenario):
    """Resume the agent's unfinished run, or start a new one (a replay is a new run)."""
    current = Run.objects.filter(person=person, scenario=scenario, finished_at__isnull=True)
    if run := current.first():
        return run
    frozen = snapshot(scenario)
    last = Run.objects.filter(person=person, scenario=scenario).aggregate(n=Max("number"))["n"]
    try:
        with transaction.atomic():
            return Run.objects.create(
                person=person,
                scenario=scenario,
                number=(last or 0) + 1,
                current_key=frozen["graph"]["start"],
                snapshot=frozen,
            )
    except IntegrityError:
        return current.get()


def offered_choice(run, line_key, choice_key):
    line = run.graph["lines"].get(line_key)
    if run.is_finished or line is None or line_key != run.current_key:
        raise ChoiceRefused
    for index, choice in enumerate(line["choices"]):
        if choice["key"] == choice_key:
            return line, index, choice
    raise ChoiceRefused


def choose(*, run, line_key, choice_key):
    """Take one decision. The run must be at `line_key` and the choice offered there; two
    posts of the same decision (double click, two tabs) store it once."""
    line, index, choice = offered_choice(run, line_key, choice_key)
    critical = bool(choice.get("critical"))
    target = None if critical else choice["next"]
    with transaction.atomic():
        moved = Run.objects.filter(
            pk=run.pk, current_key=line_key, finished_at__isnull=True
        ).update(current_key=target or line_key)
        if not moved:
            raise ChoiceRefused
        position = run.steps.count() + 1
        RunStep.objects.create(
            run=run,
            position=position,
            line_key=line_key,
            choice_key=choice["key"],
            choice_index=index,
            score=scenario_graph.choice_score(line, choice),
        )
        run.refresh_from_db()
        if critical:
            return finish(run=run, ending_key="", critical=True)
        if target in run.graph["endings"]:
            return finish(run=run, ending_key=target)
    return run


def go_back(*, run):
    """Undo the last decision, where the scenario allows it."""
    if run.is_finished or not run.snapshot.get("allow_back"):
        raise ChoiceRefused
    with transaction.atomic():
        last = run.steps.order_by("-position").first()
        if last is None:
            raise ChoiceRefused
        last.delete()
        Run.objects.filter(pk=run.pk).update(current_key=last.line_key)
    run.refresh_from_db()
    return run


def finish(*, run, ending_key, critical=False):
    """Score and close a run. Its score is the mean of its decisions' scores (how good each
    choice was at its own decision, 0..1); a critical choice makes the outcome "perdido"
    whatever the points. Every decision adds evidence on the dimensions it weights (0 on all
    of them for the critical one); finishing completes the course step."""
    steps = list(run.steps.order_by("position"))
    scores = [step.score for step in steps if step.score is not None]
    ending = run.graph["endings"].get(ending_key, {})
    Run.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        ending_key=ending_key,
        outcome="perdido" if critical else ending.get("outcome", ""),
        score=sum(scores) / len(scores) if scores else 0.0,
        critical=critical,
    )
    record_evidence(
        person=run.person,
        activity=run.scenario,
        source="scenario",
        reference=f"run-{run.pk}",
        items=run_evidence(run, steps),
        critical_count=1 if critical else 0,
    )
    complete_step(person=run.person, step=run.scenario)
    run.refresh_from_db()
    return run


def run_evidence(run, steps):
    """The evidence of a run: every decision's, on the dimensions measured at its line."""
    items = []
    for step in steps:
        line = run.graph["lines"][step.line_key]
        evidence = scenario_graph.decision_evidence(line, line["choices"][step.choice_index])
        items += [Item(slug, value) for slug, value in evidence.items()]
    return items


def recompute_evidence():
    """Re-derive every finished run's decision scores, run score and attitude evidence from
    its frozen graph under today's scoring rule (attitude.scoring), so profiles and
    certificates follow a change of the rule. Idempotent: returns (runs looked at, runs
    changed)."""
    dimensions = dict(ServiceDimension.objects.values_list("slug", "pk"))
    seen = changed = 0
    runs = Run.objects.filter(finished_at__isnull=False).prefetch_related("steps").order_by("pk")
    for run in runs.iterator(chunk_size=200):
        seen += 1
        steps = sorted(run.steps.all(), key=lambda step: step.position)
        touched = False
        with transaction.atomic():
            for step in steps:
                line = run.graph["lines"][step.line_key]
                score = scenario_graph.choice_score(line, line["choices"][step.choice_index])
                if score != step.score:
                    RunStep.objects.filter(pk=step.pk).update(score=score)
                    step.score, touched = score, True
            scores = [step.score for step in steps if step.score is not None]
            score = sum(scores) / len(scores) if scores else 0.0
            if score != run.score:
                Run.objects.filter(pk=run.pk).update(score=score)
                touched = True
            touched |= rewrite_evidence(
                source="scenario",
                reference=f"run-{run.pk}",
                items=run_evidence(run, steps),
                dimensions=dimensions,
            )
        changed += touched
    return seen, changed
