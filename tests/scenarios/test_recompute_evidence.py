"""Stored evidence follows the scoring rule: `manage.py recompute_evidence` re-derives it from
each attempt's and run's snapshot, on records stored under the old rule (an unweighted option
was "not measured", so a single weight counted for nothing)."""

import io

from django.core.management import call_command

import pytest

from attitude.models import Evidence, EvidenceRecord
from attitude.services import evidence_rewritten
from scenarios.models import Run
from scenarios.services import choose, start_run

pytestmark = pytest.mark.django_db


def stored(record):
    return sorted(
        (e.dimension.slug, round(e.earned, 4)) for e in record.items.select_related("dimension")
    )


def recompute():
    out = io.StringIO()
    call_command("recompute_evidence", stdout=out)
    return out.getvalue()


@pytest.fixture
def rescored(db):
    """The people whose evidence was rewritten, as certification hears it."""
    heard = []

    def listen(sender, person_id, **kwargs):
        heard.append(person_id)

    evidence_rewritten.connect(listen, dispatch_uid="test-rescored")
    yield heard
    evidence_rewritten.disconnect(dispatch_uid="test-rescored")


def test_a_run_stored_under_the_old_rule_gets_new_decision_scores_and_evidence(
    agent, scenario, rescored
):
    """«frio» weighs cortesía −1 and nothing on comprensión, which «escucha» weighs +1: the old
    rule scored «frio» 0.25 (cortesía only), the new one (0.25 + 0) / 2 = 0.125."""
    run = start_run(person=agent, scenario=scenario)
    run = choose(run=run, line_key="inicio", choice_key="frio")
    run = choose(run=run, line_key="tension", choice_key="cuelga")
    assert run.is_finished and run.outcome == "perdido"
    # As the old rule stored it:
    run.steps.filter(position=1).update(score=0.25)
    Run.objects.filter(pk=run.pk).update(score=0.125)
    record = EvidenceRecord.objects.get(reference=f"run-{run.pk}")
    Evidence.objects.filter(record=record, dimension__slug="comprension-del-cliente").delete()
    assert stored(record) == [("cortesia", 0.0), ("cortesia", 0.25)]

    assert "scenarios: 1 of 1 rescored" in recompute()
    run.refresh_from_db()
    assert [s.score for s in run.steps.order_by("position")] == [0.125, 0.0]
    assert run.score == pytest.approx(0.0625)
    assert stored(record) == [
        ("comprension-del-cliente", 0.0),
        ("cortesia", 0.0),
        ("cortesia", 0.25),
    ]
    assert rescored == [agent.pk]
    assert "scenarios: 0 of 1 rescored" in recompute()
