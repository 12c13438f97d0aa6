"""Passwords are stored with Argon2id at the cost README "Passwords" measures; hashes made
before (PBKDF2, or Argon2 with other parameters) are upgraded at the person's next sign-in."""

from http import HTTPStatus

from django.contrib.auth.hashers import make_password
from django.urls import reverse

import pytest

from config.settings import base
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ARGON2ID_OWASP = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def sign_in(client, person):
    return client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})


def test_a_new_password_is_stored_with_argon2id_at_owasp_cost(production_hashers, agent):
    agent.set_password(PASSWORD)
    agent.save()
    assert agent.password.startswith(ARGON2ID_OWASP)


@pytest.mark.parametrize(
    "old_hasher", ["pbkdf2_sha256", "pbkdf2_sha1", "scrypt", "django.contrib.auth.hashers.argon2"]
)
def test_an_older_hash_is_upgraded_at_the_next_sign_in(
    client, production_hashers, agent, old_hasher
):
    if old_hasher.startswith("django."):  # Argon2 at Django's default cost (100 MiB, 8 lanes)
        from django.contrib.auth.hashers import Argon2PasswordHasher

        agent.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    else:
        agent.password = make_password(PASSWORD, hasher=old_hasher)
    agent.save(update_fields=["password"])
    assert not agent.password.startswith(ARGON2ID_OWASP)

    assert sign_in(client, agent).status_code == HTTPStatus.FOUND

    agent.refresh_from_db()
    assert agent.password.startswith(ARGON2ID_OWASP)
    assert agent.check_password(PASSWORD)
    client.logout()
    assert sign_in(client, agent).status_code == HTTPStatus.FOUND  # the new hash signs in


def test_a_wrong_password_leaves_the_old_hash_alone(client, production_hashers, agent):
    agent.password = old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    agent.save(update_fields=["password"])
    client.post(reverse("account_login"), {"login": agent.email, "password": "no-es-la-clave"})
    agent.refresh_from_db()
    assert agent.password == old
