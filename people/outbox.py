"""Every background task is enqueued here, never with `task.enqueue()` directly.

The rule: a task is recorded in the same database transaction as the work that asks for it,
so it exists exactly when that work was committed, and a broker outage delays it but never
fails the request or loses the task.

- With the database queue (django-tasks-db) the task row itself is written in the caller's
  transaction: nothing else is needed.
- With a queue elsewhere (Redis through RQ) an `OutboxTask` row is written instead; once the
  transaction commits, this process tries to hand it over at once, and `manage.py relay_tasks`
  (run beside the worker) hands over whatever is left, oldest first. A hand-over may, after a
  crash at the wrong moment, happen twice; tasks are written to be harmless when repeated.
- Backends that run tasks in this process (the tests' ImmediateBackend) run them once the
  transaction commits, so work that is rolled back sends nothing.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import OutboxTask, OutgoingEmail

logger = logging.getLogger(__name__)

# After a failed hand-over this process stops trying during requests for a while; the relay
# command keeps trying on its own schedule.
BROKER_RETRY_AFTER = 30
_broker_down_until = 0.0
HAND_OVER_LEASE = timedelta(minutes=5)


def _runs_in_process(backend):
    return isinstance(backend, ImmediateBackend | DummyBackend)


def _when_committed(func):
    """Run `func` once the caller's transaction commits (now, when there is none). The
    transactions a test case wraps around each test count as committed, so in tests a task
    runs at once unless the work is inside its own transaction, as it would in production."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    ):
        transaction.on_commit(func)
    else:
        func()


def enqueue(task, *args, run_after=None, **kwargs):
    """Queue `task(*args, **kwargs)` to run after `run_after` (when given) — inside the
    caller's transaction. Returns the OutboxTask row, the backend's result when the task went
    straight into the database queue, or None when it runs in this process."""
    backend = task_backends[task.backend]
    if run_after is not None and not backend.supports_defer:
        run_after = None  # a backend without deferral runs it now
    if isinstance(backend, DatabaseBackend):
        return task.using(run_after=run_after).enqueue(*args, **kwargs)
    if _runs_in_process(backend):
        _when_committed(lambda: task.using(run_after=run_after).enqueue(*args, **kwargs))
        return None
    row = OutboxTask.objects.create(
        task_path=task.module_path,
        args_kwargs={"args": list(args), "kwargs": kwargs},
        backend=task.backend,
        queue_name=task.queue_name,
        priority=task.priority,
        run_after=run_after,
    )
    if run_after is None:
        transaction.on_commit(lambda: relay(ids=[row.pk], from_request=True))
    return row


def relay(*, ids=None, limit=500, from_request=False):
    """Hand due outbox tasks to their queue, oldest first, and stamp each one sent. Stops at
    the first failure (the broker is down: the rest wait for the next run). Returns how many
    were handed over."""
    global _broker_down_until
    if from_request and time.monotonic() < _broker_down_until:
        return 0
    now = timezone.now()
    rows = OutboxTask.objects.due(now)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    relayed = 0
    for row in rows[:limit]:
        # Claim the row first (portable: a conditional update), so two relays never hand over
        # the same row at once; a relay that dies mid-way leaves a claim that expires.
        claimed = (
            OutboxTask.objects.due(now)
            .filter(pk=row.pk)
            .update(claimed_until=now + HAND_OVER_LEASE, tries=F("tries") + 1)
        )
        if not claimed:
            continue
        try:
            task = import_string(row.task_path).using(
                queue_name=row.queue_name, priority=row.priority, backend=row.backend
            )
            result = task.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        except Exception as error:  # noqa: BLE001 — any broker error leaves the row waiting
            OutboxTask.objects.filter(pk=row.pk).update(
                claimed_until=None, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
            logger.warning("Task queue unavailable, %s waits in the outbox: %s", row, error)
            break
        OutboxTask.objects.filter(pk=row.pk).update(
            sent_at=timezone.now(), task_id=str(result.id)[:64], claimed_until=None
        )
        relayed += 1
    return relayed


def reclaim_stuck_tasks(now=None):
    """Database-queue tasks RUNNING for longer than TASK_LEASE_SECONDS belong to a worker that
    died (kill -9, a lost machine): they are made READY again, so another worker runs them.
    Returns how many."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - lease)
        .update(status="READY", started_at=None)
    )


def requeue_stale_emails(now=None):
    """Emails whose sending task was lost or whose worker died are queued again (sending one
    twice is prevented by its claim, see people.tasks.send_email). Returns how many."""
    from .tasks import send_email

    now = now or timezone.now()
    lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
    count = 0
    for email_id in OutgoingEmail.objects.stale(lease, now).values_list("pk", flat=True):
        with transaction.atomic():
            # Pushed forward, so the same email is queued again only after another lease.
            OutgoingEmail.objects.filter(pk=email_id).update(next_attempt_at=now)
            enqueue(send_email, email_id=email_id)
        count += 1
    return count


def prune_sent(days=7, now=None):
    """Outbox rows handed over more than `days` days ago are deleted."""
    now = now or timezone.now()
    deleted, _ = OutboxTask.objects.filter(sent_at__lt=now - timedelta(days=days)).delete()
    return deleted


def backlog(now=None):
    """How many tasks wait in the outbox and for how many seconds the oldest has waited."""
    now = now or timezone.now()
    waiting = OutboxTask.objects.pending().filter(created_at__lte=now)
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "waiting": waiting.count(),
        "oldest_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }
