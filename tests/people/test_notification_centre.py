"""The notification centre at /avisos/: each person's own list, paginated; following a
notification or marking it read; the bell's unread count in the header; preferences per kind
and channel. Every role against every URL (the role matrix of test_policy_matrix)."""

from http import HTTPStatus

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from people.models import Channel, Notification
from people.notifications import notify, unread_count, wants

from .test_policy_matrix import VIEWERS, people  # noqa: F401 — the matrix's fixture

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def nudge(person, step="Cuestionario de cortesía", url="/aprendizaje/"):
    return notify(
        person=person, kind=Kind.NUDGE, params={"author": "Marta Ruiz", "step": step}, url=url
    )


@pytest.fixture
def agents_notification(agent):
    return nudge(agent, step="Llamada difícil")


@pytest.mark.parametrize("viewer", VIEWERS)
def test_everyone_signed_in_sees_only_their_own_notifications(
    client_for,
    people,  # noqa: F811
    viewer,
    agents_notification,
):
    client = client_for(None if viewer == "anonymous" else people[viewer])
    response = client.get(reverse("people:notifications"))
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
        return
    assert response.status_code == HTTPStatus.OK
    assert ("Llamada difícil" in response.content.decode()) is (viewer == "agent")


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("url_name", ["people:notification_open", "people:notification_read"])
def test_only_the_owner_opens_or_marks_a_notification(
    client_for,
    people,  # noqa: F811
    viewer,
    url_name,
    agents_notification,
):
    client = client_for(None if viewer == "anonymous" else people[viewer])
    url = reverse(url_name, args=[agents_notification.pk])
    response = client.get(url) if url_name.endswith("open") else client.post(url)
    agents_notification.refresh_from_db()
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
    elif viewer == "agent":
        assert response.status_code == HTTPStatus.FOUND
        expected = "/aprendizaje/" if url_name.endswith("open") else reverse("people:notifications")
        assert response.url == expected
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert agents_notification.is_read is (viewer == "agent")


def test_following_a_notification_marks_it_read_and_the_bell_drops(client, agent):
    first, _second, _third = nudge(agent), nudge(agent), nudge(agent)
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("people:notifications"))
    assert "Notifications, 3 unread" in page.content.decode()
    response = client.get(reverse("people:notification_open", args=[first.pk]))
    assert response.status_code == HTTPStatus.FOUND and response.url == "/aprendizaje/"
    assert unread_count(agent) == 2
    page = client.get(reverse("people:notifications"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Notifications, 2 unread" in page.content.decode()


def test_a_link_that_would_leave_the_site_goes_back_to_the_list(client, agent):
    notification = nudge(agent, url="https://example.org/phish")
    client.force_login(agent)
    response = client.get(reverse("people:notification_open", args=[notification.pk]))
    assert response.url == reverse("people:notifications")


def test_mark_all_as_read_touches_only_ones_own(client, agent, teammate):
    nudge(agent), nudge(agent), nudge(teammate)
    client.force_login(agent)
    assert client.get(reverse("people:notifications_read")).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )
    response = client.post(reverse("people:notifications_read"), follow=True)
    assert unread_count(agent) == 0 and unread_count(teammate) == 1
    assert "2" in str(list(response.context["messages"])[0])


def test_marking_read_needs_the_csrf_token(agent):
    from django.test import Client

    notification = nudge(agent)
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post(reverse("people:notification_read", args=[notification.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    notification.refresh_from_db()
    assert not notification.is_read


def test_the_list_is_paginated_newest_first(client, agent):
    for n in range(25):
        nudge(agent, step=f"Paso {n:02d}")
    client.force_login(agent)
    first = client.get(reverse("people:notifications"))
    assert [n.params["step"] for n in first.context["notifications"]][:2] == ["Paso 24", "Paso 23"]
    second = client.get(reverse("people:notifications"), {"page": 2})
    assert len(second.context["notifications"]) == 5
    assert client.get(reverse("people:notifications"), {"page": "x"}).status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [5, 60])
def test_the_list_reads_the_same_queries_for_few_or_many(
    client, agent, count, django_assert_max_num_queries
):
    for _ in range(count):
        nudge(agent)
    client.force_login(agent)
    client.get(reverse("people:notifications"))  # the session and the bell's count are warm
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:notifications"))
    assert response.status_code == HTTPStatus.OK


def test_the_bell_costs_no_query_on_a_learner_page_once_counted(client, agent):
    nudge(agent)
    client.force_login(agent)
    client.get(reverse("courses:my_learning"))  # counts once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("courses:my_learning"))
    assert response.status_code == HTTPStatus.OK
    assert not [q for q in queries if "people_notification" in q["sql"]]
    assert 'class="bell__count" aria-hidden="true">1<' in response.content.decode()


def test_a_new_notification_shows_in_the_bell_at_once(client, agent):
    client.force_login(agent)
    client.get(reverse("courses:my_learning"))
    nudge(agent)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("courses:my_learning"))
    assert "Notifications, 1 unread" in response.content.decode()


def test_preferences_are_saved_per_kind_and_channel(client, agent):
    client.force_login(agent)
    form = client.get(reverse("people:notifications")).context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.initial}
    data.pop("nudge__site")
    data.pop("due_soon__email")
    data["assigned__email"] = ""  # locked: stays on whatever is posted
    response = client.post(reverse("people:notifications"), data)
    assert response.status_code == HTTPStatus.FOUND
    assert not wants(agent, Kind.NUDGE, Channel.SITE)
    assert wants(agent, Kind.NUDGE, Channel.EMAIL)
    assert not wants(agent, Kind.DUE_SOON, Channel.EMAIL)
    assert wants(agent, Kind.ASSIGNED, Channel.EMAIL)
    assert nudge(agent) is None  # no longer on the site


def test_agents_are_not_offered_the_managers_kinds(client, agent, supervisor):
    client.force_login(agent)
    assert "digest__email" not in client.get(reverse("people:notifications")).context["form"].fields
    client.force_login(supervisor)
    assert "digest__email" in client.get(reverse("people:notifications")).context["form"].fields
