"""Role names are labels in the language of the page: "Agente" in Spanish, "Agent" in English."""

import re

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def cells(html, label):
    return re.findall(rf'data-label="{label}">([^<]*)</td>', html)


@pytest.mark.parametrize(
    ("language", "label", "role"), [("es", "Rol", "Agente"), ("en", "Role", "Agent")]
)
def test_the_people_list_names_roles_in_the_language_of_the_page(
    client, hr, agent, language, label, role
):
    client.force_login(hr)
    client.cookies["django_language"] = language
    html = client.get(reverse("people:hr_home")).content.decode()
    assert role in cells(html, label)
