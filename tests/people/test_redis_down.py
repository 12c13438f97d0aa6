"""Redis refused or hung: sign-in, pages and rate limits keep working on each process's
memory, and with the Redis task queue the work and its tasks are committed together; the
tasks wait in the outbox until the broker is back, then run once."""

import os
import time
from http import HTTPStatus

from django.core import mail
from django.urls import reverse

import pytest
import redis

from people import outbox
from people.models import EmailStatus, OutboxTask, OutgoingEmail, Role, User
from tests.conftest import PASSWORD
from tests.faults import REFUSED_REDIS, redis_cache, redis_queue, run_rq_worker, silent_server

pytestmark = pytest.mark.django_db

WORKING_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture
def working_redis():
    connection = redis.Redis.from_url(WORKING_REDIS)
    connection.flushdb()
    yield WORKING_REDIS
    connection.flushdb()


@pytest.fixture(autouse=True)
def broker_back_off_reset(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)


def signed_in_pages(client, agent, hr, course):
    client.force_login(agent)
    pages = [reverse("courses:my_learning"), course.url, reverse("attitude:my_profile")]
    codes = [client.get(url).status_code for url in pages]
    client.force_login(hr)
    codes.append(client.get(reverse("people:hr_home")).status_code)
    return codes


def test_sign_in_and_signed_in_pages_work_while_redis_refuses(
    client, settings, agent, hr, course_factory
):
    course = course_factory()
    settings.CACHES = redis_cache(REFUSED_REDIS)
    response = client.post(reverse("account_login"), {"login": agent.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_pages(client, agent, hr, course) == [HTTPStatus.OK] * 4


def test_a_hung_redis_costs_one_short_wait_not_one_per_request(
    client, settings, agent, hr, course_factory
):
    course = course_factory()
    with silent_server() as port:
        settings.CACHES = redis_cache(f"redis://127.0.0.1:{port}/0", timeout=0.5)
        started = time.monotonic()
        codes = signed_in_pages(client, agent, hr, course) + signed_in_pages(
            client, agent, hr, course
        )
        elapsed = time.monotonic() - started
    assert codes == [HTTPStatus.OK] * 8
    assert elapsed < 3, f"eight pages took {elapsed:.1f} s against a hung Redis"


def test_sign_in_rate_limits_keep_counting_while_redis_is_down(client, settings, agent):
    settings.CACHES = redis_cache(REFUSED_REDIS)
    codes = [
        client.post(
            reverse("account_login"), {"login": agent.email, "password": "no-es-la-clave"}
        ).status_code
        for _ in range(40)
    ]
    assert codes[0] == HTTPStatus.OK  # a wrong password is a form error, not a refusal
    # and the guessing is still stopped: the account is locked, the right password refused
    right = client.post(reverse("account_login"), {"login": agent.email, "password": PASSWORD})
    assert right.status_code != HTTPStatus.FOUND
    assert "Demasiados intentos" in right.content.decode()


def add_person(client, team, email="nueva.agente@empresa.es"):
    return client.post(
        reverse("people:person_create"),
        {"email": email, "full_name": "Nueva Agente", "role": Role.AGENT, "team": team.pk},
    )


def test_add_person_with_the_redis_queue_down_keeps_the_invitation_until_it_is_back(
    client, settings, hr, team, working_redis, django_capture_on_commit_callbacks
):
    redis_queue(settings, REFUSED_REDIS)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = add_person(client, team)
    person = User.objects.get(email="nueva.agente@empresa.es")
    assert response.status_code == HTTPStatus.FOUND
    invitation = OutgoingEmail.objects.get(person=person)
    assert invitation.status == EmailStatus.QUEUED
    waiting = OutboxTask.objects.pending().get()
    assert waiting.args_kwargs["kwargs"] == {"email_id": invitation.pk}
    assert "Connection" in waiting.last_error and mail.outbox == []

    redis_queue(settings, working_redis)  # the broker is back
    assert outbox.relay() == 1
    assert OutboxTask.objects.pending().count() == 0
    run_rq_worker()
    assert [m.to for m in mail.outbox] == [["nueva.agente@empresa.es"]]
    assert "/cuenta/password/reset/key/" in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.status == EmailStatus.SENT
    assert outbox.relay() == 0  # handed over once


def test_a_hung_redis_queue_delays_the_request_by_one_timeout_at_most(
    client, settings, hr, team, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    with silent_server() as port:
        redis_queue(settings, f"redis://127.0.0.1:{port}/0", timeout=0.5)
        started = time.monotonic()
        for n in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                response = add_person(client, team, email=f"persona.{n}@empresa.es")
            assert response.status_code == HTTPStatus.FOUND
        elapsed = time.monotonic() - started
    assert OutboxTask.objects.pending().count() == 3
    assert elapsed < 3, f"three additions took {elapsed:.1f} s against a hung broker"


def test_a_password_reset_with_the_redis_queue_down_is_kept(
    client, settings, agent, django_capture_on_commit_callbacks
):
    redis_queue(settings, REFUSED_REDIS)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": agent.email})
    assert response.status_code == HTTPStatus.FOUND
    assert OutgoingEmail.objects.get().to == [agent.email]
    assert OutboxTask.objects.pending().count() == 1
