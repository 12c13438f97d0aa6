"""Security keys and passkeys (WebAuthn) as the second factor: a key counts as one for the
people who must use one (people.two_factor.has_second_factor), signs in after the password,
confirms a session that skipped the second step, and removing the last factor sends a
required role back to enrol. A software key (tests/people/security_key.py) answers the
pages' WebAuthn requests, so allauth checks real signatures."""

import json
from http import HTTPStatus

from django.urls import reverse

import pytest
from allauth.mfa.models import Authenticator

from tests.people.second_factor import (
    ENROLS,
    enrol_through_the_page,
    has_app,
    sign_in_with_password,
)
from tests.people.security_key import SoftwareKey, add_key_through_the_page, use_key_at

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

ENROL = "/cuenta/2fa/totp/activate/"


def keys_of(person):
    return Authenticator.objects.filter(user=person, type=Authenticator.Type.WEBAUTHN)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@ENROLS
def test_staff_may_enrol_a_key_instead_of_an_app(client, hr):
    """Sent to enrol after the password, HR chooses a key; no second password prompt (it is
    right after signing in), the recovery codes follow, then the HR pages open."""
    sign_in_with_password(client, hr)
    response = client.get(reverse("people:hr_home"))
    assert response.url == ENROL
    enrol_page = client.get(ENROL).content.decode()
    assert f'href="{reverse("mfa_add_webauthn")}"' in enrol_page
    response = client.get(reverse("mfa_add_webauthn"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    add_page = response.content.decode()
    assert "Add a security key" in add_page
    assert 'id="mfa_webauthn_add"' in add_page

    response = add_key_through_the_page(client, SoftwareKey())
    assert (response.status_code, response.url) == (
        HTTPStatus.FOUND,
        reverse("mfa_view_recovery_codes"),
    )
    assert [key.wrap().name for key in keys_of(hr)] == ["YubiKey azul"]
    assert not has_app(hr)
    assert client.get(reverse("people:hr_home")).status_code == HTTPStatus.OK


@ENROLS
def test_staff_with_only_a_key_sign_in_with_password_and_key(client, hr):
    key = SoftwareKey()
    sign_in_with_password(client, hr)
    add_key_through_the_page(client, key)
    client.post(reverse("account_logout"))

    response = sign_in_with_password(client, hr)
    assert response.url == reverse("mfa_authenticate")
    stage = client.get(reverse("mfa_authenticate")).content.decode()
    assert "<h1>Use your security key</h1>" in stage
    assert 'id="mfa_webauthn_authenticate"' in stage
    assert "Recovery code" in stage  # the code field, for a recovery code
    response = use_key_at(client, "mfa_authenticate", key)
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("people:hr_home")).status_code == HTTPStatus.OK


@ENROLS
def test_a_key_that_is_not_theirs_does_not_sign_in(client, hr):
    sign_in_with_password(client, hr)
    add_key_through_the_page(client, SoftwareKey())
    client.post(reverse("account_logout"))
    sign_in_with_password(client, hr)
    response = use_key_at(client, "mfa_authenticate", SoftwareKey())
    assert response.status_code == HTTPStatus.OK  # the stage again, with its error
    assert "Your security key was not accepted" in response.content.decode()
    response = client.get(reverse("people:hr_home"))
    assert response.status_code == HTTPStatus.FOUND
    assert not response.url.startswith(reverse("people:hr_home"))


@ENROLS
def test_a_session_that_skipped_the_second_step_confirms_with_the_key(client, hr):
    """With only a key, a session without the second step (the test client's force_login)
    is asked for the key, not for an app's code."""
    key = SoftwareKey()
    sign_in_with_password(client, hr)
    add_key_through_the_page(client, key)
    client.logout()
    client.force_login(hr)
    target = reverse("people:hr_home")
    response = client.get(target)
    assert response.url.startswith(reverse("mfa_reauthenticate_webauthn"))
    response = use_key_at(client, "mfa_reauthenticate_webauthn", key, next=target)
    assert (response.status_code, response.url) == (HTTPStatus.FOUND, target)
    assert client.get(target).status_code == HTTPStatus.OK


@ENROLS
def test_removing_the_last_key_sends_required_staff_to_enrol_again(client, hr):
    sign_in_with_password(client, hr)
    add_key_through_the_page(client, SoftwareKey())
    assert client.get(reverse("people:hr_home")).status_code == HTTPStatus.OK
    (key,) = keys_of(hr)
    confirm = client.get(reverse("mfa_remove_webauthn", args=[key.pk])).content.decode()
    assert "you will set up a new one right after removing it" in confirm
    response = client.post(reverse("mfa_remove_webauthn", args=[key.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not keys_of(hr).exists()
    assert not Authenticator.objects.filter(user=hr).exists()  # recovery codes went too
    response = client.get(reverse("people:hr_home"))
    assert (response.status_code, response.url) == (HTTPStatus.FOUND, ENROL)


@ENROLS
def test_removing_a_key_while_the_app_remains_keeps_the_pages_open(client, hr):
    """Decision: only the last factor ends the session's second step; a lost key removed
    while the app remains does not ask for the app's code again."""
    sign_in_with_password(client, hr)
    enrol_through_the_page(client)
    client.get(reverse("mfa_view_recovery_codes"))
    add_key_through_the_page(client, SoftwareKey())
    (key,) = keys_of(hr)
    client.post(reverse("mfa_remove_webauthn", args=[key.pk]))
    assert not keys_of(hr).exists() and has_app(hr)
    assert client.get(reverse("people:hr_home")).status_code == HTTPStatus.OK


@ENROLS
def test_removing_the_app_while_a_key_remains_keeps_the_pages_open(client, hr):
    sign_in_with_password(client, hr)
    enrol_through_the_page(client)
    add_key_through_the_page(client, SoftwareKey())
    client.post(reverse("mfa_deactivate_totp"))
    assert not has_app(hr) and keys_of(hr).exists()
    assert client.get(reverse("people:hr_home")).status_code == HTTPStatus.OK


@ENROLS
def test_keys_are_listed_and_renamed(client, agent):
    """An agent may opt in with a key from the two-step sign-in page, and rename it."""
    sign_in_with_password(client, agent)
    index = client.get(reverse("mfa_index")).content.decode()
    assert f'href="{reverse("mfa_add_webauthn")}"' in index
    add_key_through_the_page(client, SoftwareKey(), name="Portátil")
    (key,) = keys_of(agent)
    response = client.post(reverse("mfa_edit_webauthn", args=[key.pk]), {"name": "Llave azul"})
    assert (response.status_code, response.url) == (HTTPStatus.FOUND, reverse("mfa_list_webauthn"))
    listing = client.get(reverse("mfa_list_webauthn")).content.decode()
    assert '<th scope="row" data-label="Name">Llave azul</th>' in listing
    assert "Not used yet." in listing
    assert f'href="{reverse("mfa_remove_webauthn", args=[key.pk])}"' in listing
    assert "You have 1 key." in client.get(reverse("mfa_index")).content.decode()


def test_a_key_answer_to_another_request_is_not_added(client, agent):
    """An answer that does not match the page's challenge (replayed, or expired) adds no
    key, and the page says so of the key, not of a code."""
    sign_in_with_password(client, agent)
    client.get(reverse("mfa_add_webauthn"))
    stale = SoftwareKey().register({"publicKey": {"challenge": "c3RhbGUtY2hhbGxlbmdl"}})
    response = client.post(
        reverse("mfa_add_webauthn"), {"name": "Llave", "credential": json.dumps(stale)}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Your security key was not accepted" in response.content.decode()
    assert not keys_of(agent).exists()


def test_passkey_login_is_off(client):
    """A key is a second step only: the sign-in page offers no passkey login, and its URL
    does not exist."""
    page = client.get(reverse("account_login")).content.decode()
    assert "passkey_login" not in page
    assert client.get("/cuenta/2fa/webauthn/login/").status_code == HTTPStatus.NOT_FOUND
