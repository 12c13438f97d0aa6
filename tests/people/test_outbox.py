"""The outbox: a task exists exactly when the work that asked for it was committed, waits while
the broker is down, keeps its time, and every enqueue in the code goes through it."""

import re
from datetime import timedelta
from pathlib import Path

from django.core import mail
from django.db import transaction
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from people import outbox
from people.models import OutboxTask, OutgoingEmail, Role
from people.services import create_person
from people.tasks import send_email
from tests.faults import REFUSED_REDIS, redis_queue

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ["people", "courses", "quizzes", "scenarios", "attitude", "certification"]


@pytest.fixture(autouse=True)
def broker_back_off_reset(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)


def test_every_task_in_the_code_is_enqueued_through_the_outbox():
    direct = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name != "outbox.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\.(a?enqueue)\(", line)
    ]
    assert direct == [], "enqueue with people.outbox.enqueue instead"


class Refused(Exception):
    pass


@pytest.mark.parametrize("queue", ["database", "redis", "immediate"])
def test_work_that_is_rolled_back_leaves_no_task_and_sends_nothing(settings, team, queue):
    if queue == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    elif queue == "redis":
        redis_queue(settings, REFUSED_REDIS)
    with pytest.raises(Refused), transaction.atomic():
        create_person(email="nadie@empresa.es", full_name="Nadie", role=Role.AGENT, team=team)
        raise Refused
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists() and not OutboxTask.objects.exists()
    assert mail.outbox == []


def test_a_deferred_task_waits_in_the_outbox_until_its_time(settings):
    redis_queue(settings, REFUSED_REDIS)
    later = timezone.now() + timedelta(minutes=4)
    row = outbox.enqueue(send_email, run_after=later, email_id=1)
    assert outbox.relay() == 0  # not due: nothing is even tried
    assert OutboxTask.objects.get(pk=row.pk).tries == 0
    assert outbox.relay() == 0
    OutboxTask.objects.filter(pk=row.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    assert outbox.relay() == 0  # due now, but the broker refuses: it stays
    row.refresh_from_db()
    assert row.tries == 1 and row.sent_at is None and row.claimed_until is None


def test_rows_handed_over_a_week_ago_are_pruned(settings):
    redis_queue(settings, REFUSED_REDIS)
    old = outbox.enqueue(send_email, email_id=1)
    recent = outbox.enqueue(send_email, email_id=2)
    OutboxTask.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=8))
    OutboxTask.objects.filter(pk=recent.pk).update(sent_at=timezone.now() - timedelta(days=1))
    assert outbox.prune_sent() == 1
    assert list(OutboxTask.objects.values_list("pk", flat=True)) == [recent.pk]
