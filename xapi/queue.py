"""Every learning event is queued as an xAPI statement in the event's own transaction, so a
statement exists exactly when its event was committed: a rolled-back event leaves none, and
nothing waits in memory for an LRS that may be down."""

from django.conf import settings
from django.db import transaction

from wagtail.models import Page

from people.models import User
from people.outbox import enqueue

from .models import Actor, Statement
from .statements import build, verb_for
from .tasks import send_statements


def queue_statement(sender, event, **kwargs):
    """Receiver of courses.lifecycle.activity_recorded: write the event's statement (ignored
    when the same event was queued before: its id is the event's stable UUID) and, once per
    transaction, ask the worker to send the queue when an LRS is configured."""
    person = User.objects.get(pk=event.person_id)
    actor, _ = Actor.objects.get_or_create(person=person)
    titles = dict(
        Page.objects.filter(pk__in={event.step_id, event.course_id}).values_list("pk", "title")
    )
    statement = Statement(
        id=event.uuid,
        data=build(event, person=person, account_name=actor.name, titles=titles),
        person=person,
        course_id=event.course_id,
        step_id=event.step_id,
        registration=event.registration,
        verb=verb_for(event),
        created_at=event.at,
    )
    Statement.objects.bulk_create([statement], ignore_conflicts=True)
    request_send()


def _send_requested():
    """Marks a transaction that has already asked for a send (never does anything itself)."""


def request_send():
    """Ask the worker to send the queue, once per transaction (nothing when no LRS is
    configured). A transaction that already asked carries `_send_requested` among its
    on-commit callbacks (Django drops them when it rolls back); a marker left by a savepoint
    already released does not count, so at worst a transaction asks twice (harmless)."""
    if not settings.XAPI_LRS_ENDPOINT:
        return
    connection = transaction.get_connection()
    own_blocks = [
        block for block in connection.atomic_blocks if not getattr(block, "_from_testcase", False)
    ]
    if connection.in_atomic_block and own_blocks:
        active = set(connection.savepoint_ids)
        if any(
            func is _send_requested and sids <= active for sids, func, _ in connection.run_on_commit
        ):
            return
        transaction.on_commit(_send_requested)
    enqueue(send_statements)
