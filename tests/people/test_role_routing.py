from http import HTTPStatus

from django.urls import reverse
from django.utils.translation import gettext_lazy

import pytest

from people.models import Role

pytestmark = pytest.mark.django_db

# "Calendario" once the lead merges this lane's Spanish (notes/home.po.tsv) into the catalogue.
CALENDAR = gettext_lazy("Calendar")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.url == reverse("account_login")


@pytest.mark.parametrize(
    ("roles", "destination"),
    [
        ([Role.AGENT], "certification:guidance"),
        ([Role.SUPERVISOR], "certification:team_dashboard"),
        ([Role.HR], "people:hr_home"),
        ([Role.EDITOR], "wagtailadmin_home"),
        ([Role.HR, Role.SUPERVISOR], "people:hr_home"),
        ([Role.EDITOR, Role.AGENT], "certification:guidance"),
        ([], "certification:guidance"),
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
        ([Role.AGENT], ["Mi aprendizaje", "Mi perfil", CALENDAR, "Mis certificados"]),
        ([Role.SUPERVISOR], ["Mi aprendizaje", "Mi perfil", CALENDAR, "Mi equipo"]),
        ([Role.HR], ["Mi aprendizaje", "Mi perfil", CALENDAR, "RRHH", "Administración"]),
        ([Role.EDITOR], ["Mi aprendizaje", "Mi perfil", CALENDAR, "Administración"]),
    ],
)
def test_navigation_shows_what_each_role_opens(client, user_factory, roles, labels):
    client.force_login(user_factory(roles=roles))
    nav = client.get(reverse("courses:my_learning")).context["nav_items"]
    assert [str(item["label"]) for item in nav] == [str(label) for label in labels]


def test_the_editor_reaches_the_wagtail_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == HTTPStatus.OK


def test_an_agent_cannot_enter_the_wagtail_admin(client, agent):
    client.force_login(agent)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response.url
