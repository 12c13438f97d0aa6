"""Stored evidence follows the scoring rule: `manage.py recompute_evidence` re-derives it from
each attempt's and run's snapshot, on records stored under the old rule (an unweighted option
was "not measured", so a single weight counted for nothing)."""

import io

from django.core.management import call_command

import pytest

from attitude.models import EvidenceRecord
from attitude.selectors import profile_for
from attitude.services import evidence_rewritten
from quizzes.services import save_answer, start_attempt, submit_attempt

from .conftest import option, question_id

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


def test_an_attempt_stored_under_the_old_rule_is_rescored_once(
    agent, question_factory, quiz_factory, rescored
):
    # Only the rude option weighs cortesía: under the old rule the question measured nothing.
    question = question_factory(
        "q-neutral",
        "situational",
        [
            option("«Le reviso el cobro ahora.»", credit=1),
            option("«Vuelva mañana.»", credit=0.3),
            option("«No me haga perder el tiempo.»", credit=0, weights={"cortesia": -2}),
        ],
        situation="Un cliente pregunta por un cobro.",
    )
    quiz = quiz_factory(fixed=[question])
    attempt = start_attempt(person=agent, quiz=quiz)
    good = next(o["id"] for o in attempt.questions[0]["options"] if o["text"].startswith("«Le"))
    save_answer(attempt=attempt, question_id=question_id(attempt, "q-neutral"), response=[good])
    submit_attempt(attempt=attempt, refresh_statistics=False)
    record = EvidenceRecord.objects.get(reference=f"attempt-{attempt.pk}")
    record.items.all().delete()  # what the old rule stored: nothing
    assert profile_for(agent).activity_count == 1
    before = next(d for d in profile_for(agent).dimensions if d.dimension.slug == "cortesia")
    assert before.count == 0

    assert "quizzes: 1 of 1 rescored" in recompute()
    assert stored(record) == [("cortesia", 1.0)]  # 0 in −2…0
    after = next(d for d in profile_for(agent).dimensions if d.dimension.slug == "cortesia")
    assert (after.count, after.percent) == (1, 100)
    assert rescored == [agent.pk]
    assert "quizzes: 0 of 1 rescored" in recompute()  # idempotent
    assert stored(record) == [("cortesia", 1.0)] and rescored == [agent.pk]
