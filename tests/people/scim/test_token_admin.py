"""HR creates and revokes SCIM clients in the Wagtail admin; the token is shown once. Nobody
else may see or touch them."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from provisioning.models import ScimClient, hash_token

pytestmark = pytest.mark.django_db

ROLES = ["agent", "supervisor", "editor", "anonymous"]


@pytest.fixture
def viewer(request, client):
    name = request.param
    if name != "anonymous":
        client.force_login(request.getfixturevalue(name))
    return client


def test_hr_creates_a_client_and_sees_its_token_once(client, hr):
    client.force_login(hr)
    assert client.get(reverse("provisioning_clients")).status_code == HTTPStatus.OK
    response = client.post(reverse("provisioning_client_create"), {"name": "Okta"})
    assert response.status_code == HTTPStatus.OK
    token = response.context["token"]
    created = ScimClient.objects.get(name="Okta")
    assert created.token_hash == hash_token(token)
    assert created.created_by == hr
    assert token.encode() in response.content
    listing = client.get(reverse("provisioning_clients"))
    assert token.encode() not in listing.content
    assert b"Okta" in listing.content


def test_hr_revokes_a_client(client, hr, scim_client):
    client.force_login(hr)
    response = client.post(reverse("provisioning_client_revoke", args=[scim_client.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert ScimClient.authenticate(scim_client.token) is None


def test_revoking_asks_first_and_names_what_stops(client, hr, scim_client):
    """The list's button leads to a confirmation; only its POST revokes."""
    client.force_login(hr)
    client.cookies["django_language"] = "en"
    url = reverse("provisioning_client_revoke", args=[scim_client.pk])
    listing = client.get(reverse("provisioning_clients"))
    assert f'href="{url}"'.encode() in listing.content
    confirmation = client.get(url)
    assert confirmation.status_code == HTTPStatus.OK
    assert b"Entra ID" in confirmation.content
    assert b"stops provisioning" in confirmation.content
    assert ScimClient.authenticate(scim_client.token) == scim_client
    client.post(url)
    assert ScimClient.authenticate(scim_client.token) is None
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND  # nothing left to revoke


@pytest.mark.parametrize("viewer", ROLES, indirect=True)
def test_nobody_else_reaches_the_clients(viewer, scim_client):
    for url in (reverse("provisioning_clients"), reverse("provisioning_client_create")):
        response = viewer.get(url)
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
        assert b"Entra ID" not in response.content
    revoke_url = reverse("provisioning_client_revoke", args=[scim_client.pk])
    assert viewer.get(revoke_url).status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    revoke = viewer.post(revoke_url)
    assert revoke.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert ScimClient.authenticate(scim_client.token) == scim_client
    created = viewer.post(reverse("provisioning_client_create"), {"name": "Intruso"})
    assert created.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert not ScimClient.objects.filter(name="Intruso").exists()
