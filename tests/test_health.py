"""/health/ reports the database, the cache and the task queue separately: 503 only when the
database is down (the site cannot work), 200 "degraded" when Redis is (every instance still
serves pages; taking them out of the load balancer would not help)."""

import time
from http import HTTPStatus

from django.db import OperationalError
from django.urls import reverse

import pytest

from people import outbox
from tests.faults import REFUSED_REDIS, redis_cache, redis_queue, silent_server

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def broker_back_off_reset(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)


def test_health_reports_each_part_up(client):
    response = client.get(reverse("health"))
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "queue": {"status": "ok", "waiting": 0, "oldest_seconds": 0},
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get(reverse("health"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unavailable"


def test_a_refused_redis_cache_is_reported_degraded_not_down(client, settings):
    settings.CACHES = redis_cache(REFUSED_REDIS)
    response = client.get(reverse("health"))
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_a_hung_redis_queue_is_reported_with_its_backlog_quickly(
    client, settings, agent, django_capture_on_commit_callbacks
):
    with silent_server() as port:
        redis_queue(settings, f"redis://127.0.0.1:{port}/0", timeout=0.5)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account_reset_password"), {"email": agent.email})
        started = time.monotonic()
        response = client.get(reverse("health"))
        elapsed = time.monotonic() - started
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["status"] == "degraded"
    assert body["queue"]["status"] == "unavailable" and body["queue"]["waiting"] == 1
    assert elapsed < 3
