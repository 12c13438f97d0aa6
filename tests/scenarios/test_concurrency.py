"""A run's state always follows its steps, whatever order "Volver" and a choice arrive in
(real threads on PostgreSQL; the same calls one after the other on SQLite)."""

from functools import partial
from http import HTTPStatus

import pytest

from scenarios.models import Run
from scenarios.services import ChoiceRefused, choose, go_back, start_run
from tests.threads import race

requires_postgresql = pytest.mark.postgresql  # SQLite serialises writers

TRIALS = 10


def unexpected(outcomes):
    """The exceptions among race outcomes that are not a refusal (a refused stale move is the
    lock doing its work)."""
    return [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ChoiceRefused)]


def inconsistencies(run):
    """What in the run does not follow from its steps: positions 1..n, each step taken at the
    line the previous one led to, and the run standing where the last one leads."""
    run = Run.objects.get(pk=run.pk)
    graph = run.graph
    found, key, critical = [], graph["start"], False
    steps = list(run.steps.order_by("position"))
    if [step.position for step in steps] != list(range(1, len(steps) + 1)):
        found.append(f"positions {[step.position for step in steps]}")
    for step in steps:
        if step.line_key != key:
            found.append(f"step {step.position} taken at {step.line_key}, run was at {key}")
        choice = graph["lines"][step.line_key]["choices"][step.choice_index]
        critical = bool(choice.get("critical"))
        key = step.line_key if critical else choice["next"]
    if run.is_finished:
        if not (critical or key == run.ending_key):
            found.append(f"finished at {run.ending_key!r}, steps lead to {key}")
    elif run.current_key != key:
        found.append(f"run at {run.current_key}, its steps lead to {key}")
    return found


def next_move_answers(client, scenario):
    """The agent carries on from wherever the run is: the page and the next choice work."""
    page = client.get(scenario.url + "jugar/")
    if page.status_code != HTTPStatus.OK:
        return [page.status_code]
    run = Run.objects.get(person=page.wsgi_request.user, finished_at__isnull=True)
    token = run.offered[0]["token"]
    response = client.post(scenario.url + "elegir/", {"choice": token})
    return [] if response.status_code == HTTPStatus.FOUND else [response.status_code]


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_going_back_while_a_choice_is_taken_leaves_a_run_that_follows_its_steps(
    client, agent, scenario_factory
):
    scenario = scenario_factory(allow_back=True)
    client.raise_request_exception = False  # a server error is counted, not raised
    client.force_login(agent)
    inconsistent, server_errors = [], []
    for _ in range(TRIALS):
        run = start_run(person=agent, scenario=scenario)
        run = choose(run=run, line_key="inicio", choice_key="escucha")  # now at «calma»
        stale_a, stale_b = Run.objects.get(pk=run.pk), Run.objects.get(pk=run.pk)
        errors = unexpected(
            race(
                partial(choose, run=stale_a, line_key="calma", choice_key="no-se"),
                partial(go_back, run=stale_b),
            )
        )
        assert errors == []
        after_race = inconsistencies(run)
        server_errors += next_move_answers(client, scenario)
        if after_race or inconsistencies(run):
            inconsistent.append(after_race or inconsistencies(run))
        Run.objects.filter(pk=run.pk).delete()
    assert inconsistent == [] and server_errors == []  # before: 3 of 10 runs, three 500s


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_going_backs_at_once_undo_one_step_each_at_most(agent, scenario_factory):
    scenario = scenario_factory(allow_back=True)
    inconsistent = []
    for _ in range(TRIALS):
        run = start_run(person=agent, scenario=scenario)
        run = choose(run=run, line_key="inicio", choice_key="frio")
        run = choose(run=run, line_key="tension", choice_key="disculpa")
        stale = [Run.objects.get(pk=run.pk) for _ in range(3)]
        errors = unexpected(
            race(
                *(partial(go_back, run=stale_run) for stale_run in stale),
                partial(
                    choose, run=Run.objects.get(pk=run.pk), line_key="calma", choice_key="plazo"
                ),
            )
        )
        assert errors == []
        if found := inconsistencies(run):
            inconsistent.append(found)
        Run.objects.filter(pk=run.pk).delete()
    assert inconsistent == []  # before: 4 of 10 runs


def test_the_same_calls_one_after_the_other_keep_the_run_consistent(agent, scenario_factory):
    scenario = scenario_factory(allow_back=True)
    for order in ("choice first", "back first"):
        run = start_run(person=agent, scenario=scenario)
        run = choose(run=run, line_key="inicio", choice_key="escucha")
        stale_a, stale_b = Run.objects.get(pk=run.pk), Run.objects.get(pk=run.pk)
        calls = [
            partial(choose, run=stale_a, line_key="calma", choice_key="no-se"),
            partial(go_back, run=stale_b),
        ]
        for call in calls if order == "choice first" else calls[::-1]:
            try:
                call()
            except ChoiceRefused:
                pass
        assert inconsistencies(run) == [], order
        Run.objects.filter(pk=run.pk).delete()
