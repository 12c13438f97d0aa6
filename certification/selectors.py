"""Reads for the coaching pages: an agent's quiz attempt or role-play run laid out for the
supervisor, the first critical choice behind a count, and the retakes an agent was asked for."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils.text import capfirst

from attitude.models import EvidenceRecord, ServiceDimension
from quizzes import grading
from quizzes.models import AttemptAnswer
from scenarios import graph as scenario_graph

from .models import Retake


def _evidence(pairs, names):
    """[(dimension label, percent)] in the dimensions' order, from {slug: 0..1}."""
    order = list(names)
    return [
        {"name": names.get(slug, slug), "percent": round(100 * value)}
        for slug, value in sorted(
            pairs.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    ]


def _options(question, response):
    """The options of a snapshot question with the key, each marked with whether the agent
    chose it (or, in a rating question, the rating they gave)."""
    rating = question["kind"] == "rating"
    chosen = set() if rating else grading.chosen_ids(question, response)
    ratings = grading.ratings_of(question, response) if rating else {}
    return [
        {**option, "chosen": option["id"] in chosen, "rating": ratings.get(option["id"])}
        for option in question["options"]
    ]


def attempt_review(attempt):
    """Each question of a submitted attempt as the agent saw it: the agent's answer beside the
    key (correct options, credits, expert ratings), the feedback of each option, the
    explanation, the score it earned and what it showed on each dimension. Critical answers
    are numbered in order (`critical_number`), so "#critical-1" is always the first one. Read
    from the attempt's snapshot, so a later edit of the question bank changes nothing."""
    answers = {a.question_id: a for a in AttemptAnswer.objects.filter(attempt=attempt)}
    names = dict(ServiceDimension.objects.labels())
    items, critical = [], 0
    for position, question in enumerate(attempt.questions, 1):
        answer = answers.get(question["id"])
        response = answer.response if answer else []
        result = grading.grade(question, response)
        is_critical = bool(answer and answer.critical)
        critical += is_critical
        items.append(
            {
                "position": position,
                "question": question,
                "answered": answer is not None and grading.is_answered(question, response),
                "percent": round(100 * answer.score) if answer and answer.score is not None else 0,
                "critical": is_critical,
                "critical_number": critical if is_critical else None,
                "options": _options(question, response),
                "evidence": _evidence(
                    {slug: earned / possible for slug, earned, possible in result.evidence},
                    names,
                ),
            }
        )
    return items


def run_review(run):
    """The transcript of a finished run: each customer line, the choice the agent took with its
    feedback and what it showed on each dimension, and — when the agent chose otherwise — the
    best choice offered at that line. Critical choices are numbered in order, as in
    `attempt_review`. Read from the run's snapshot."""
    names = dict(ServiceDimension.objects.labels())
    graph = run.graph
    entries, critical = [], 0
    for step in run.steps.order_by("position"):
        line = graph["lines"][step.line_key]
        choice = line["choices"][step.choice_index]
        scores = [scenario_graph.choice_score(line, c) for c in line["choices"]]
        ranked = [s for s in scores if s is not None]
        best = None
        if ranked and scores[step.choice_index] != max(ranked):
            best = line["choices"][scores.index(max(ranked))]
        is_critical = bool(choice.get("critical"))
        critical += is_critical
        entries.append(
            {
                "position": step.position,
                "line": line,
                "choice": choice,
                "critical": is_critical,
                "critical_number": critical if is_critical else None,
                "best": best,
                "evidence": _evidence(scenario_graph.decision_evidence(line, choice), names),
            }
        )
    return entries


def review_url(reference):
    """The review page of an evidence record's reference ("attempt-12", "run-7"), or ""."""
    source, _, pk = (reference or "").partition("-")
    if not pk.isdigit():
        return ""
    if source == "attempt":
        return reverse("certification:attempt_review", args=[int(pk)])
    if source == "run":
        return reverse("certification:run_review", args=[int(pk)])
    return ""


def latest_critical_reference():
    """A subquery for people (OuterRef "person"): the reference of their most recent counted
    attempt or run with a critical choice — where a count of critical choices should lead."""
    return Subquery(
        EvidenceRecord.objects.current()
        .filter(person=OuterRef("person"), critical_count__gt=0)
        .order_by("-recorded_at", "-pk")
        .values("reference")[:1]
    )


@dataclass(frozen=True)
class OpenRetake:
    title: str
    url: str
    due_on: date | None
    requested_by: str
    requested_at: object
    kind_label: str


def open_retakes(person):
    """What `person` was asked to repeat and has not repeated yet (the rule is
    Retake.objects.open()): each quiz or role-play once, with its title, address, due date
    (None for a nudge without one) and who asked; the soonest due first, then the newest.
    Two queries."""
    retakes = (
        Retake.objects.open()
        .filter(person=person)
        .select_related("step", "requested_by")
        .order_by(F("due_on").asc(nulls_last=True), "-created_at")
    )
    seen, result = set(), []
    for retake in retakes:
        if retake.step_id in seen:
            continue
        seen.add(retake.step_id)
        step = retake.step
        result.append(
            OpenRetake(
                title=step.title,
                url=step.url or "",
                due_on=retake.due_on,
                requested_by=retake.requested_by.full_name if retake.requested_by else "",
                requested_at=retake.created_at,
                kind_label=capfirst(step.specific_class._meta.verbose_name),
            )
        )
    return result
