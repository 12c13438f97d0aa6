"""What /health/ reports: the database, the cache and the task queue, each on its own.

The database is the site: without it the answer is 503, so a load balancer takes the instance
out. The cache and the queue are not: without Redis every instance still serves pages (the
cache falls back to memory, tasks wait in the outbox), so taking instances out would turn a
degraded site into a dead one; they are reported as "degraded" with a 200, for monitors.
"""

from django.core.cache import cache
from django.db import DatabaseError, connection

from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_rq.backend import RQBackend

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return UNAVAILABLE
    return OK


def cache_status():
    """ "ok", or "unavailable" when Redis does not answer (pages then use this process's
    memory); the in-process cache is always ok."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return OK
    return OK if ping() else UNAVAILABLE


def queue_status(database_ok=True):
    """The task queue: the database itself, or the Redis broker, plus the outbox backlog."""
    from .outbox import backlog

    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        status = OK if database_ok else UNAVAILABLE
    elif isinstance(backend, RQBackend):
        import django_rq

        try:
            django_rq.get_connection("default").ping()
        except Exception:  # noqa: BLE001 — any broker error means the broker is unusable
            status = UNAVAILABLE
        else:
            status = OK
    else:
        status = OK  # tasks run in this process
    report = {"status": status}
    if database_ok:
        report.update(backlog())
    return report


def report():
    """(payload, HTTP status) for /health/."""
    database = database_status()
    checks = {
        "database": database,
        "cache": cache_status(),
        "queue": queue_status(database_ok=database == OK),
    }
    if database != OK:
        overall, code = UNAVAILABLE, 503
    elif checks["cache"] != OK or checks["queue"]["status"] != OK:
        overall, code = DEGRADED, 200
    else:
        overall, code = OK, 200
    return {"status": overall, **checks}, code
