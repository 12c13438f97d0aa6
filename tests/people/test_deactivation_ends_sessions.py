"""Closing an account (HR's deactivation, and SCIM's) ends the person's open sessions: they
are signed out at once, and reactivating the account later does not bring an old session
back to life."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from people.services import update_person

pytestmark = pytest.mark.django_db


def _close(person, *, active=False):
    update_person(
        person=person,
        full_name=person.full_name,
        employee_number=person.employee_number,
        team=person.current_team,
        roles=list(person.role_names),
        is_active=active,
    )


def test_a_deactivated_persons_open_session_is_dead(client, agent):
    client.force_login(agent)
    assert client.get(reverse("people:notifications")).status_code == HTTPStatus.OK
    _close(agent)
    response = client.get(reverse("people:notifications"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/cuenta/login/" in response["Location"]


def test_reactivating_the_account_does_not_revive_an_old_session(client, agent):
    client.force_login(agent)
    _close(agent)
    agent.refresh_from_db()
    _close(agent, active=True)
    response = client.get(reverse("people:notifications"))
    assert response.status_code == HTTPStatus.FOUND
