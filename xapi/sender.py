"""Sending the queued statements to the LRS (XAPI_LRS_ENDPOINT, XAPI_LRS_KEY, XAPI_LRS_SECRET).

The rules:
- Statements due now (pending, or failing whose next try has come) go oldest first, in
  batches of XAPI_BATCH_SIZE, as one POST <endpoint>/statements each, with the xAPI version
  header and HTTP Basic authentication.
- Accepted (2xx) → sent. A 409 for a single statement (the LRS holds that id already) → sent:
  statement ids are stable, so it is our own earlier send.
- The LRS refuses a batch (another 4xx) → its statements are sent one by one, so only the bad
  one fails (with the LRS's answer as its error) and the rest arrive.
- The LRS is down (no answer, a timeout, a 5xx) → the statements tried are failing, with the
  error, one attempt more and their next try after an exponential backoff (models.backoff);
  the run stops there, and the rest keep their turn.
- Concurrency: on PostgreSQL each batch is taken with SELECT … FOR UPDATE SKIP LOCKED, so
  senders running at once never take the same statement; on SQLite one sender runs at a time
  (people.locks.exclusive).
"""

import base64
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from people.locks import exclusive

from .models import Statement, backoff
from .statements import VERSION

logger = logging.getLogger(__name__)

SQLITE_LOCK = "xapi-send"
SQLITE_LEASE = timedelta(minutes=10)
ERROR_LENGTH = 2000


class LRSDown(Exception):
    """The LRS did not answer, timed out or failed (5xx): nothing of the batch is known."""


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    outage: str = ""
    errors: dict = field(default_factory=dict)


def configured():
    return bool(settings.XAPI_LRS_ENDPOINT)


def _post(statements):
    """POST the statements; returns (status, body). Raises LRSDown when there is no useful
    answer."""
    url = settings.XAPI_LRS_ENDPOINT.rstrip("/") + "/statements"
    credentials = f"{settings.XAPI_LRS_KEY}:{settings.XAPI_LRS_SECRET}".encode()
    request = urllib.request.Request(  # noqa: S310 (the URL is the configured LRS)
        url,
        data=json.dumps(statements).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": VERSION,
            "Authorization": "Basic " + base64.b64encode(credentials).decode(),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.XAPI_LRS_TIMEOUT) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        if error.code >= 500:
            raise LRSDown(f"HTTP {error.code} {error.reason}: {body}"[:ERROR_LENGTH]) from error
        return error.code, body
    except (urllib.error.URLError, OSError) as error:  # refused, unreachable, timed out
        reason = getattr(error, "reason", error)
        raise LRSDown(f"{url}: {reason}"[:ERROR_LENGTH]) from error


def _deliver(batch):
    """Send a batch; returns {statement id: error text, or "" when it arrived}. Raises LRSDown
    (with the ids that arrived before the outage in `delivered`) when the LRS is down."""
    status, body = _post([statement.data for statement in batch])
    if 200 <= status < 300 or (status == 409 and len(batch) == 1):
        return {statement.pk: "" for statement in batch}
    if len(batch) == 1:
        return {batch[0].pk: f"HTTP {status}: {body}"[:ERROR_LENGTH]}
    results = {}
    for statement in batch:  # isolate the statement the LRS refuses
        try:
            results.update(_deliver([statement]))
        except LRSDown as outage:
            outage.delivered = results
            raise
    return results


def _record(batch, results, *, outage="", now):
    """Store the outcome of each statement of the batch that was tried."""
    changed = []
    for statement in batch:
        if statement.pk in results and not results[statement.pk]:
            statement.state = Statement.State.SENT
            statement.sent_at = now
            statement.last_error = ""
            statement.next_attempt_at = None
        else:
            statement.state = Statement.State.FAILING
            statement.last_error = results.get(statement.pk) or outage
            statement.next_attempt_at = now + backoff(statement.attempts + 1)
        statement.attempts += 1
        changed.append(statement)
    Statement.objects.bulk_update(
        changed, ["state", "sent_at", "last_error", "next_attempt_at", "attempts"]
    )


def _send_batch(batch, report, now):
    try:
        results = _deliver(batch)
    except LRSDown as outage:
        results = getattr(outage, "delivered", {})
        report.outage = str(outage)
        _record(batch, results, outage=str(outage), now=now)
        report.sent += sum(1 for error in results.values() if not error)
        report.failed += len(batch) - sum(1 for error in results.values() if not error)
        logger.warning("xAPI: the LRS is down (%s); %d statements wait", outage, len(batch))
        return False
    _record(batch, results, now=now)
    for pk, error in results.items():
        if error:
            report.failed += 1
            report.errors[pk] = error
            logger.error("xAPI: the LRS refused statement %s: %s", pk, error)
        else:
            report.sent += 1
    return True


def _send_next_batch(now, size, report, tried):
    """Take the next batch of due statements not yet tried in this run and send it; False
    when there was none or the LRS is down. On PostgreSQL the batch stays locked (FOR UPDATE
    SKIP LOCKED) until its outcome is stored."""
    due = Statement.objects.due(now).exclude(pk__in=tried)
    if connection.vendor != "postgresql":
        return _send_taken(list(due[:size]), report, tried)
    with transaction.atomic():
        return _send_taken(list(due.select_for_update(skip_locked=True)[:size]), report, tried)


def _send_taken(batch, report, tried):
    if not batch:
        return False
    tried.update(statement.pk for statement in batch)
    return _send_batch(batch, report, timezone.now())


def send_due(*, now=None, batch_size=None):
    """Send every statement due now (see the module docstring); returns a Report. Does
    nothing when no LRS is configured. A run tries each statement once, so it always ends."""
    report = Report()
    if not configured():
        return report
    now = now or timezone.now()
    size = batch_size or settings.XAPI_BATCH_SIZE
    tried = set()
    if connection.vendor == "postgresql":
        while _send_next_batch(now, size, report, tried):
            pass
        return report
    with exclusive(SQLITE_LOCK, lease=SQLITE_LEASE) as held:
        while held and _send_next_batch(now, size, report, tried):
            pass
    return report


def retry_now(statement_ids=None):
    """Make failing statements (the given ones, or all) due at once; returns how many."""
    failing = Statement.objects.filter(state=Statement.State.FAILING)
    if statement_ids is not None:
        failing = failing.filter(pk__in=statement_ids)
    return failing.update(next_attempt_at=timezone.now())
