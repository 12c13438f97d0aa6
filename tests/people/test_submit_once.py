"""A create form applied once however often it is sent: the one-time token each rendering
carries (people.forms.SubmitOnce) turns a burst of identical POSTs into one row."""

import re
import threading

from django.db import connection, connections
from django.test import Client
from django.urls import reverse

import pytest

from certification.models import CoachingNote
from courses.models import Assignment
from people.models import Role, User


def _rendered(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="submit_token" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_twenty_identical_coaching_notes_store_one(client, supervisor, agent):
    client.force_login(supervisor)
    url = reverse("certification:agent_detail", args=[agent.pk])
    token = _rendered(client, url)
    for _ in range(20):
        assert client.post(url, {"text": "Buen cierre", "submit_token": token}).status_code == 302
    assert CoachingNote.objects.count() == 1
    assert _rendered(client, url) != token  # the next rendering is a new form
    client.post(url, {"text": "Buen cierre", "submit_token": _rendered(client, url)})
    assert CoachingNote.objects.count() == 2  # a second note on purpose is kept


@pytest.mark.django_db
def test_add_person_and_assign_are_applied_once(
    client, hr, supervisor, agent, team, course_factory
):
    client.force_login(hr)
    url = reverse("people:person_create")
    token = _rendered(client, url)
    data = {"email": "nueva@empresa.es", "full_name": "Nueva", "role": Role.AGENT}
    statuses = {client.post(url, {**data, "submit_token": token}).status_code for _ in range(20)}
    assert statuses <= {302, 200}  # the repeat is redirected, or told the person exists
    assert User.objects.filter(email="nueva@empresa.es").count() == 1

    course = course_factory()
    client.force_login(supervisor)
    url = reverse("courses:assign")
    token = _rendered(client, url)
    data = {"course": course.pk, "team": team.pk, "due_on": "2030-01-01", "submit_token": token}
    responses = [client.post(url, data) for _ in range(20)]
    assert all(r.status_code == 302 for r in responses)
    assert Assignment.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_concurrent_burst_stores_one_note(user_factory, team):
    """20 threads post the same rendered form at once (a real double click reaches
    several workers): one note. Run on PostgreSQL to see the row lock at work."""
    supervisor = user_factory(roles=[Role.SUPERVISOR], team=team)
    agent = user_factory(roles=[Role.AGENT], team=team)
    url = reverse("certification:agent_detail", args=[agent.pk])
    first = Client()
    first.force_login(supervisor)
    token = _rendered(first, url)
    statuses, barrier = [], threading.Barrier(20 if connection.vendor != "sqlite" else 1)

    def post():
        client = Client()
        client.force_login(supervisor)
        if connection.vendor != "sqlite":
            barrier.wait()
        try:
            statuses.append(client.post(url, {"text": "Nota", "submit_token": token}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
        if connection.vendor == "sqlite":
            thread.join()  # SQLite writes one at a time: the same burst, in sequence
    for thread in threads:
        thread.join()
    assert statuses == [302] * 20
    assert CoachingNote.objects.count() == 1


@pytest.mark.django_db
def test_a_reflection_is_one_per_prompt_however_often_it_is_sent(client, agent, course_factory):
    """Reflections need no token: there is one per person and prompt (a constraint), and
    sending it again updates it."""
    from courses.models import Reflection
    from tests.courses.conftest import lessons_of
    from tests.courses.test_reflections import reflection_url

    lesson = lessons_of(course_factory())[0]
    url, _ = reflection_url(lesson)
    client.force_login(agent)
    for _ in range(20):
        client.post(url, {"text": "Saludaría antes"})
    assert Reflection.objects.filter(person=agent).count() == 1
