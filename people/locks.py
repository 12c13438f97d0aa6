"""One run at a time of a scheduled command, across every machine that shares the database.

On PostgreSQL this is a session advisory lock (pg_try_advisory_lock): it is released when the
command ends or its connection dies, so a killed run never blocks the next. Elsewhere (SQLite)
it is a CommandLock row held for a lease: a run that dies holds it until the lease ends.
A second run that finds the lock taken does nothing and says so.
"""

import contextlib
import hashlib
import time
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import CommandLock

LEASE = timedelta(hours=1)


def _advisory_key(name):
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


@contextlib.contextmanager
def exclusive(name, lease=LEASE):
    """Yield True while this process alone holds the lock called `name`, False (at once) when
    another process holds it."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    token = uuid.uuid4().hex
    now = timezone.now()
    try:
        with contextlib.suppress(IntegrityError), transaction.atomic():
            CommandLock.objects.get_or_create(name=name)
        held = bool(
            CommandLock.objects.filter(name=name)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__lt=now))
            .update(holder=token, expires_at=now + lease)
        )
    except OperationalError:  # the lock row is being written by another run right now
        held = False
    try:
        yield held
    finally:
        if held:
            _release(name, token)


def _release(name, token, tries=20):
    for _ in range(tries):
        try:
            CommandLock.objects.filter(name=name, holder=token).update(holder="", expires_at=None)
        except OperationalError:
            time.sleep(0.05)
        else:
            return
    # Not released: the lease ends it.


class ExclusiveCommand(BaseCommand):
    """A management command that runs once at a time: put the work in `handle_exclusive`."""

    def handle(self, *args, **options):
        with exclusive(f"command:{self.__module__.rsplit('.', 1)[-1]}") as held:
            if not held:
                self.stdout.write("Another run is in progress; this one does nothing.")
                return
            self.handle_exclusive(*args, **options)

    def handle_exclusive(self, *args, **options):
        raise NotImplementedError
