from http import HTTPStatus

from django.urls import reverse

import pytest

from people.models import Role

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.url == reverse("account_login")


@pytest.mark.parametrize(
    ("roles", "destination"),
    [
        ([Role.AGENT], "courses:my_learning"),
        ([Role.SUPERVISOR], "certification:team_dashboard"),
        ([Role.HR], "people:hr_home"),
        ([Role.EDITOR], "wagtailadmin_home"),
        ([Role.HR, Role.SUPERVISOR], "people:hr_home"),
        ([Role.EDITOR, Role.AGENT], "courses:my_learning"),
        ([], "courses:my_learning"),
    ],
)
def test_home_sends_each_role_to_its_dashboard(client, user_factory, roles, destination):
    client.force_login(user_factory(roles=roles))
    response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse(destination)
    assert client.get(response.url).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("roles", "labels"),
    [
        ([Role.AGENT], ["Mi aprendizaje", "Mi perfil", "Mis certificados"]),
        ([Role.SUPERVISOR], ["Mi aprendizaje", "Mi perfil", "Mi equipo"]),
        ([Role.HR], ["Mi aprendizaje", "Mi perfil", "RRHH", "Administración"]),
        ([Role.EDITOR], ["Mi aprendizaje", "Mi perfil", "Administración"]),
    ],
)
def test_navigation_shows_what_each_role_opens(client, user_factory, roles, labels):
    client.force_login(user_factory(roles=roles))
    nav = client.get(reverse("courses:my_learning")).context["nav_items"]
    assert [str(item["label"]) for item in nav] == labels


def test_the_editor_reaches_the_wagtail_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == HTTPStatus.OK


def test_an_agent_cannot_enter_the_wagtail_admin(client, agent):
    client.force_login(agent)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response.url
