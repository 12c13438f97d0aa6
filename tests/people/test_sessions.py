"""Sessions in Redis, recorded in the database (people/sessions.py): fast while Redis answers,
and a signed-out session is dead in every process whatever Redis holds or misses."""

import os
import uuid
from http import HTTPStatus

from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tests.conftest import PASSWORD
from tests.faults import REFUSED_REDIS

pytestmark = pytest.mark.django_db

WORKING_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture
def redis_sessions(settings):
    """Point the sessions at Redis `location` as base.py does for REDIS_URL; returns a
    function that moves them (Redis going down, or coming back for a process that did not
    see it go)."""
    prefix = f"prueba-{uuid.uuid4().hex}"

    def at(location):
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "sessions": {
                "BACKEND": "people.cache.SessionCache",
                "LOCATION": location,
                "OPTIONS": {
                    "CLIENT_CLASS": "django_redis.client.DefaultClient",
                    "SOCKET_CONNECT_TIMEOUT": 0.5,
                    "SOCKET_TIMEOUT": 0.5,
                },
                "KEY_PREFIX": prefix,
            },
        }
        settings.SESSION_ENGINE = "people.sessions"
        settings.SESSION_CACHE_ALIAS = "sessions"

    at(WORKING_REDIS)
    yield at


def sign_in(client, person):
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def browser_with(session_key):
    """Another process (or a copied cookie) presenting the same session."""
    other = Client()
    other.cookies[django_settings.SESSION_COOKIE_NAME] = session_key
    return other


def signed_in(client):
    return client.get(reverse("courses:my_learning")).status_code == HTTPStatus.OK


def test_a_signed_in_request_reads_its_session_from_redis(client, agent, redis_sessions):
    key = sign_in(client, agent)
    assert caches["sessions"].get("actitud.session." + key)  # the copy is in Redis
    with CaptureQueriesContext(connection) as queries:
        assert signed_in(client)
    reads = [q["sql"] for q in queries.captured_queries if "session_data" in q["sql"]]
    assert reads == []  # no read of the session's row; its existence is checked with the user


def test_signing_out_ends_the_session_in_every_process(client, agent, redis_sessions):
    key = sign_in(client, agent)
    elsewhere = browser_with(key)
    assert signed_in(elsewhere)
    client.post(reverse("account_logout"))
    assert not signed_in(elsewhere)
    assert not signed_in(browser_with(key))


def test_a_copy_left_in_redis_by_a_sign_out_during_an_outage_signs_nobody_in(
    client, agent, redis_sessions
):
    """Redis unreachable at sign-out: the row goes, the copy in Redis stays. When Redis is
    back, a process that never saw it go reads the copy, and the session is still dead."""
    key = sign_in(client, agent)
    cached = caches["sessions"].get("actitud.session." + key)
    assert cached
    redis_sessions(REFUSED_REDIS)  # Redis goes down for the process signing out
    client.post(reverse("account_logout"))
    redis_sessions(WORKING_REDIS)  # back; a fresh process, as after a restart
    assert caches["sessions"].get("actitud.session." + key) == cached  # the stale copy
    assert not signed_in(browser_with(key))
    assert caches["sessions"].get("actitud.session." + key) is None  # and it is dropped


def test_while_redis_is_down_people_sign_in_and_stay_signed_in(client, agent, redis_sessions):
    redis_sessions(REFUSED_REDIS)
    key = sign_in(client, agent)
    assert signed_in(client) and signed_in(client)
    assert signed_in(browser_with(key))  # any process: the database has it
    client.post(reverse("account_logout"))
    assert not signed_in(browser_with(key))


def test_a_session_signed_in_during_an_outage_survives_redis_coming_back(
    client, agent, redis_sessions
):
    redis_sessions(REFUSED_REDIS)
    key = sign_in(client, agent)
    redis_sessions(WORKING_REDIS)
    assert signed_in(browser_with(key))
    assert caches["sessions"].get("actitud.session." + key)  # now copied to Redis


def test_the_sessions_cache_never_answers_from_memory(redis_sessions):
    redis_sessions(REFUSED_REDIS)
    cache = caches["sessions"]
    cache.set("clave", {"a": 1})
    assert cache.get("clave") is None  # a miss: the database answers, the same in every process
