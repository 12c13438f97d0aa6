"""The scenario player: a small state machine over a run's frozen graph.

A run sits at one customer line (`current_key`). Choosing one of that line's choices stores
the decision and moves the run on; a choice from any other line (a stale tab, a replayed
form, a tampered post) is refused. Reaching an ending, or making a critical choice, finishes
the run: it is scored, the course step is completed and the attitude profile gets evidence.

Every change of a run (a choice, going back, finishing) holds the run's row lock and reads the
run again inside it, so two requests of one run take turns and the run always stands where
its last step leads. The page posts opaque tokens, never the author's keys: each time the run
arrives at a line its choices are dealt in a random order behind random tokens.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wagtail.models import Page

from attitude.models import ServiceDimension
from attitude.services import Item, record_evidence, rewrite_evidence
from courses import lifecycle

from . import graph as scenario_graph
from .models import Run, RunStep

_shuffler = secrets.SystemRandom()


class ChoiceRefused(Exception):
    """The posted choice is not offered at the run's current line (or the run is over)."""


class AlreadyTaken(ChoiceRefused):
    """The post repeats the decision the run has just taken (a double click)."""


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


def _token():
    return secrets.token_urlsafe(12)


def _same(token, posted):
    """Compare a stored token with a posted one in constant time (any text may be posted)."""
    return secrets.compare_digest(token.encode(), posted.encode())


def deal(graph, key):
    """The state of a run arriving at `key`: a fresh `turn`, and the line's choices in a
    random order, each behind a random token (none for an ending). Nothing in it depends on
    the author's keys or order, so the page cannot give the best answer away."""
    line = graph["lines"].get(key)
    indexes = list(range(len(line["choices"]))) if line else []
    _shuffler.shuffle(indexes)
    return {
        "current_key": key,
        "offered": [{"token": _token(), "index": index} for index in indexes],
        "turn": _token(),
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
            run = Run.objects.create(
                person=person,
                scenario=scenario,
                number=(last or 0) + 1,
                snapshot=frozen,
                **deal(frozen["graph"], frozen["graph"]["start"]),
            )
            lifecycle.start(
                person=person,
                step=scenario,
                key=f"{_name(run)}:started",
                registration=_registration(run),
                at=run.started_at,
                detail={"run_id": run.pk, "number": run.number},
            )
            return run
    except IntegrityError:
        return current.get()


def _name(run):
    """The prefix of the run's lifecycle event keys (courses.lifecycle)."""
    return f"scenario-run-{run.pk}"


def _registration(run):
    return lifecycle.registration_for("scenario-run", run.pk)


def _report(run, event, **fields):
    """Report one fact of the run to the course step's lifecycle, with the run's own person,
    step and registration (the step and its course read once per request at most)."""
    return event(
        person=run.person,
        step=run.scenario,
        registration=_registration(run),
        course_id=getattr(run, "course_pk", None),
        **fields,
    )


def outcome_of(run):
    """How a finished run ends for the course step's lifecycle: FAILED after a critical
    choice, otherwise COMPLETED, whatever the ending's outcome (resolved, loyal, escalated or
    lost): a role-play has no pass mark, and how well it went travels as the score (the mean
    of the decisions' scores) and the ending's outcome in the event's detail. Every finished
    run completes the course step, the critical one too (it was played through; the critical
    choice is flagged on the profile and never averaged away): that rule is older than the
    lifecycle and stays."""
    status = lifecycle.Status.FAILED if run.critical else lifecycle.Status.COMPLETED
    duration = run.finished_at - run.started_at if run.finished_at else None
    # A critical run is FAILED and still completes the step.
    completes = True if run.critical else None
    return lifecycle.Outcome(status=status, score=run.score, duration=duration, completes=completes)


def _locked(run):
    """The run as it is now, its row locked until the transaction ends: the one lock every
    change of a run takes (a no-op on SQLite, which lets one writer in at a time)."""
    return Run.objects.select_for_update().get(pk=run.pk)


def _move(run, key):
    for field, value in deal(run.graph, key).items():
        setattr(run, field, value)
    run.save(update_fields=["current_key", "offered", "turn"])


def _take(run, index, token=""):
    """Store the decision `index` of the run's current line (the run is locked) and move on."""
    line_key = run.current_key
    line = run.graph["lines"][line_key]
    choice = line["choices"][index]
    critical = bool(choice.get("critical"))
    step = RunStep.objects.create(
        run=run,
        position=run.steps.count() + 1,
        line_key=line_key,
        choice_key=choice["key"],
        choice_index=index,
        token=token,
        score=scenario_graph.choice_score(line, choice),
    )
    _report(
        run,
        lifecycle.progress,
        key=f"{_name(run)}:decided:{step.position}",
        at=step.taken_at,
        detail={
            "run_id": run.pk,
            "position": step.position,
            "line_key": line_key,
            "line": line.get("text", ""),
            "choice_key": choice["key"],
            "choice": choice.get("text", ""),
            "score": step.score,
            "critical": critical,
            "evidence": scenario_graph.decision_evidence(line, choice),
        },
    )
    if critical:
        return _finish(run, "", critical=True)
    if choice["next"] in run.graph["endings"]:
        return _finish(run, choice["next"], critical=False)
    _move(run, choice["next"])
    return run


def choose(*, run, line_key, choice_key):
    """Take one decision named by the author's keys (the demo, the tests): the run must be at
    `line_key` and the choice offered there, so a repeated post stores it once."""
    with transaction.atomic():
        run = _locked(run)
        line = run.graph["lines"].get(line_key)
        if run.is_finished or line is None or line_key != run.current_key:
            raise ChoiceRefused
        for index, choice in enumerate(line["choices"]):
            if choice["key"] == choice_key:
                return _take(run, index)
    raise ChoiceRefused


class NoOpenRun(ChoiceRefused):
    """The person has no unfinished run of the scenario (or the scenario is not live)."""


def choose_offered(*, run, token):
    """Take the decision behind `token`, one of the tokens the run's current line was dealt.
    A token from any other moment (a stale tab, a tampered post) is refused; the token of the
    decision just taken (a double click) raises AlreadyTaken and stores nothing."""
    with transaction.atomic():
        return _take_offered(_locked(run), token)


def choose_for(*, person, scenario_id, token):
    """choose_offered for the person's unfinished run of the scenario, found and locked in
    one query (the choice's hot path, served outside Wagtail's page routing). The run comes
    back with `page_path`, the scenario page's url_path, to build the next address from.
    Raises NoOpenRun when there is no such run of a live scenario."""
    with transaction.atomic():
        try:  # at most one: one_open_run_per_scenario (no ordering, so no joins for it)
            run = (
                Run.objects.select_for_update(of=("self",))
                .select_related("scenario")
                .annotate(page_path=F("scenario__url_path"), course_pk=_course_pk())
                .get(
                    person_id=person.pk,
                    scenario_id=scenario_id,
                    finished_at__isnull=True,
                    scenario__live=True,
                )
            )
        except Run.DoesNotExist:
            raise NoOpenRun from None
        run.person = person
        return _take_offered(run, token)


def _course_pk():
    """The id of the run's course, the scenario page's parent in the page tree, as a
    subquery of the run's own query (the lifecycle's events name the course)."""
    path = OuterRef("scenario__path")
    parent = Page.objects.filter(path=Substr(path, 1, Length(path) - Page.steplen))
    return Subquery(parent.values("pk")[:1])


def _take_offered(run, token):
    if not run.is_finished:
        for offer in run.offered:
            if _same(offer["token"], token):
                return _take(run, offer["index"], token=token)
    last = run.steps.order_by("-position").only("token").first()
    if token and last is not None and _same(last.token, token):
        raise AlreadyTaken
    raise ChoiceRefused


def go_back(*, run, turn=None):
    """Undo the last decision, where the scenario allows it. With `turn` (what the page
    posts), only from the state the page showed: a repeated "go back" undoes one step."""
    with transaction.atomic():
        run = _locked(run)
        if run.is_finished or not run.snapshot.get("allow_back"):
            raise ChoiceRefused
        if turn is not None and not _same(run.turn, turn):
            raise ChoiceRefused
        last = run.steps.order_by("-position").first()
        if last is None:
            raise ChoiceRefused
        last.delete()
        _move(run, last.line_key)
    return run


def finish(*, run, ending_key, critical=False):
    """Score and close a run. Its score is the mean of its decisions' scores (how good each
    choice was at its own decision, 0..1); a critical choice makes the outcome "perdido"
    whatever the points. Every decision adds evidence on the dimensions it weights (0 on all
    of them for the critical one); finishing completes the course step. A run finishes once."""
    with transaction.atomic():
        run = _locked(run)
        if run.is_finished:
            return run
        return _finish(run, ending_key, critical)


def _finish(run, ending_key, critical):
    steps = list(run.steps.order_by("position"))
    scores = [step.score for step in steps if step.score is not None]
    ending = run.graph["endings"].get(ending_key, {})
    now = timezone.now()
    Run.objects.filter(pk=run.pk).update(
        finished_at=now,
        current_key=ending_key or run.current_key,
        offered=[],
        turn="",
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
        announce=False,  # announced by the run's finished event
    )
    run.refresh_from_db()
    _report(
        run,
        lifecycle.finish,
        key=f"{_name(run)}:finished",
        at=now,
        outcome=outcome_of(run),
        detail={
            "run_id": run.pk,
            "number": run.number,
            "ending_key": ending_key,
            "ending": ending.get("text", ""),
            "outcome": run.outcome,
            "critical": critical,
        },
    )
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
