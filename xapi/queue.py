"""Every learning event is queued as an xAPI statement in the event's own transaction, so a
statement exists exactly when its event was committed: a rolled-back event leaves none, and
nothing waits in memory for an LRS that may be down."""

import hashlib
import hmac
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from wagtail.models import Page

from people.models import User
from people.outbox import enqueue

from .models import Statement
from .statements import build, verb_for
from .tasks import send_statements

TITLE_CACHE_SECONDS = 300


def actor_name(person_id):
    """The person's stable, opaque name in the LRS: a UUID5 of their primary key in a
    namespace derived from XAPI_ACTOR_KEY (by default from SECRET_KEY), so nobody without
    the key can tell whose it is, and no query is needed. Changing the key renames everyone:
    set XAPI_ACTOR_KEY before rotating SECRET_KEY."""
    key = settings.XAPI_ACTOR_KEY or settings.SECRET_KEY
    digest = hmac.new(key.encode(), b"xapi.actor", hashlib.sha256).digest()
    return uuid.uuid5(uuid.UUID(bytes=digest[:16]), f"person-{person_id}")


def _titles(*page_ids):
    """The pages' titles, from the cache when it has them (a statement's names describe its
    activities; a title edited in the last few minutes may show its old text)."""
    keys = {pk: f"xapi:title:{pk}" for pk in page_ids}
    cached = cache.get_many(list(keys.values()))
    titles = {pk: cached[key] for pk, key in keys.items() if key in cached}
    if missing := [pk for pk in page_ids if pk not in titles]:
        found = dict(Page.objects.filter(pk__in=missing).values_list("pk", "title"))
        cache.set_many({keys[pk]: title for pk, title in found.items()}, TITLE_CACHE_SECONDS)
        titles.update(found)
    return titles


def queue_statement(sender, event, **kwargs):
    """Receiver of courses.lifecycle.activity_recorded: write the event's statement (ignored
    when the same event was queued before: its id is the event's stable UUID) and, once per
    transaction, ask the worker to send the queue when an LRS is configured. One query per
    event (the insert), and the person is read only when statements carry the email."""
    person = User.objects.get(pk=event.person_id) if settings.XAPI_ACTOR_EMAIL else None
    statement = Statement(
        id=event.uuid,
        data=build(
            event,
            person=person,
            account_name=actor_name(event.person_id),
            titles=_titles(event.step_id, event.course_id),
        ),
        person_id=event.person_id,
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
