"""Every sign-in goes through allauth, under limits that stop guessing without locking out a
floor that shares one address (issue 15, items 2, 3 and 21).

The limits: failures per (address, account) and per account, a much higher ceiling of failures
per address, and a ceiling of sign-in attempts per address; the address is the client's as
the trusted proxies report it (ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER).
"""

import os
import subprocess
import sys
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache, caches
from django.urls import reverse

import pytest

from people.models import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FLOOR = "203.0.113.10"  # the call centre's public address
ELSEWHERE = "198.51.100.20"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate limits live in the cache; each test starts and ends with none used."""
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password, *, address=FLOOR, url=None, **headers):
    client.logout()
    response = client.post(
        url or reverse("account_login"),
        # allauth's form names the field "login", Wagtail's admin login form "username".
        {"login": email, "username": email, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )
    return response


def signed_in(client):
    return "_auth_user_id" in client.session


# Item 2: /admin/login/ is not a second way in -----------------------------------------------


def test_the_admin_login_page_sends_people_to_the_site_sign_in_with_next(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2Fpages%2F"

    response = client.get("/admin/login/")
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_posting_a_right_password_to_the_admin_login_signs_nobody_in(client, editor):
    response = sign_in(client, editor.email, PASSWORD, url="/admin/login/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    assert not signed_in(client)
    assert client.get(reverse("wagtailadmin_home")).status_code == HTTPStatus.FOUND


def test_an_editor_reaches_the_admin_through_the_site_sign_in(client, editor):
    """…and through its second step: editors must pass a code (people.two_factor)."""
    from tests.people.second_factor import SECRET, code_for_a_while, with_authenticator_app

    with_authenticator_app(editor)
    start = client.get("/admin/", follow=True)
    login_url = start.redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login")) and "next=" in login_url
    response = client.post(
        login_url, {"login": editor.email, "password": PASSWORD}, REMOTE_ADDR=FLOOR
    )
    assert response.url == reverse("mfa_authenticate")
    response = client.post(response.url, {"code": code_for_a_while(SECRET)}, REMOTE_ADDR=FLOOR)
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == HTTPStatus.OK


@pytest.mark.parametrize("entry", ["/cuenta/login/", "/admin/login/"])
def test_thirty_wrong_passwords_by_any_entry_point_then_the_right_one_is_refused(
    client, editor, entry
):
    for _ in range(30):
        sign_in(client, editor.email, "mala-clave", url=entry)
    sign_in(client, editor.email, PASSWORD, url=entry)
    assert not signed_in(client)


def test_thirty_wrong_passwords_from_thirty_addresses_lock_the_account(client, agent):
    """A distributed guess is stopped by the per-account limit."""
    for n in range(30):
        sign_in(client, agent.email, "mala-clave", address=f"192.0.2.{n + 1}")
    response = sign_in(client, agent.email, PASSWORD, address="192.0.2.200")
    assert not signed_in(client)
    assert "Demasiados intentos" in response.content.decode()


# Item 3: one floor behind one address, one attacker among them ------------------------------


def floor_of_agents(user_factory, team, count):
    return [user_factory(roles=[Role.AGENT], team=team) for _ in range(count)]


def shift_start(client, agents, victim, headers):
    """200 agents sign in while an attacker guesses the victim's password from the same
    address, one guess between every five sign-ins (40 guesses)."""
    results = []
    refused_guesses = 0
    for number, person in enumerate(agents):
        if number % 5 == 0:
            guess = sign_in(client, victim.email, f"intento-{number}", **headers)
            assert not signed_in(client)
            refused_guesses += "Demasiados intentos" in guess.content.decode()
        sign_in(client, person.email, PASSWORD, **headers)
        results.append(signed_in(client))
    return results, refused_guesses


@pytest.fixture(params=["memory", "redis"])
def limits_cache(request, settings):
    """The limits counted in this process's memory (tests, `make run`) and in the shared
    Redis cache of production, where the issue was seen (.ci/run starts Redis)."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12"),
                "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
                "KEY_PREFIX": "actitud-sign-in-tests",
            }
        }
        cache.delete_pattern("*")  # only this prefix's keys
        cache.set("probe", "hola")
        assert type(caches["default"]).__name__ == "RedisCache"
        assert cache.get("probe") == "hola"
        yield request.param
        cache.delete_pattern("*")
    else:
        yield request.param


def test_a_floor_signs_in_from_one_address_while_one_account_is_attacked(
    client, user_factory, team, limits_cache
):
    agents = floor_of_agents(user_factory, team, 200)
    victim = user_factory(roles=[Role.AGENT], team=team, full_name="Lucía Fernández")

    results, refused = shift_start(client, agents, victim, {"address": FLOOR})

    assert results.count(True) == 200
    assert refused >= 30  # after a handful of guesses, every further guess is refused
    # The attacker is refused even when the guess is right, and so is the victim, from there.
    response = sign_in(client, victim.email, PASSWORD)
    assert not signed_in(client)
    assert "Demasiados intentos" in response.content.decode()


def test_the_same_floor_behind_one_trusted_proxy(
    client, user_factory, team, settings, limits_cache
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    agents = floor_of_agents(user_factory, team, 200)
    victim = user_factory(roles=[Role.AGENT], team=team)
    headers = {"address": PROXY, "HTTP_X_FORWARDED_FOR": FLOOR}

    results, refused = shift_start(client, agents, victim, headers)

    assert results.count(True) == 200
    assert refused >= 30
    sign_in(client, victim.email, PASSWORD, **headers)
    assert not signed_in(client)


def test_behind_a_proxy_a_forged_forwarded_for_does_not_reset_the_count(client, agent, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        sign_in(
            client,
            agent.email,
            "mala-clave",
            address=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ELSEWHERE}",
        )
    sign_in(client, agent.email, PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert not signed_in(client)


def test_a_client_ip_header_set_by_the_proxy_is_used_when_configured(client, agent, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for _ in range(10):
        sign_in(client, agent.email, "mala-clave", address=PROXY, HTTP_X_REAL_IP=ELSEWHERE)
    # The lock is on (the attacker's address, the account): the owner elsewhere still signs in.
    sign_in(client, agent.email, PASSWORD, address=PROXY, HTTP_X_REAL_IP=FLOOR)
    assert signed_in(client)


def test_a_locked_address_does_not_lock_the_account_elsewhere(client, agent):
    for _ in range(6):
        sign_in(client, agent.email, "mala-clave", address=ELSEWHERE)
    sign_in(client, agent.email, PASSWORD, address=ELSEWHERE)
    assert not signed_in(client)
    sign_in(client, agent.email, PASSWORD, address=FLOOR)
    assert signed_in(client)


def test_a_right_password_does_not_count_as_a_failure(client, agent):
    for _ in range(50):
        sign_in(client, agent.email, PASSWORD)
        assert signed_in(client)


def test_one_address_has_a_ceiling_of_failures_across_accounts(client, user_factory, team):
    """Guessing one password for every account of the floor hits the address's ceiling."""
    agents = floor_of_agents(user_factory, team, 120)
    refused = 0
    for person in agents:
        response = sign_in(client, person.email, "Verano2026")
        refused += "Demasiados intentos" in response.content.decode()
    assert 10 <= refused <= 30
    sign_in(client, agents[0].email, PASSWORD, address=ELSEWHERE)
    assert signed_in(client)


def test_the_proxy_settings_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ALLAUTH_TRUSTED_PROXY_COUNT": "2",
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["2", "X-Real-IP"]
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default trusts no proxy


def test_the_readme_documents_the_proxy_settings():
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert "`ALLAUTH_TRUSTED_PROXY_COUNT`" in readme
    assert "`ALLAUTH_TRUSTED_CLIENT_IP_HEADER`" in readme


# Item 21: the refusal page is ours, in Spanish ----------------------------------------------


def test_too_many_sign_in_attempts_get_our_page_in_spanish(client, agent):
    for _ in range(settings_login_ceiling()):
        client.post(reverse("account_login"), {}, REMOTE_ADDR=ELSEWHERE)
    response = client.post(
        reverse("account_login"),
        {"login": agent.email, "password": PASSWORD},
        REMOTE_ADDR=ELSEWHERE,
    )
    html = response.content.decode()
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert '<html lang="es">' in html and 'class="skip-link"' in html
    assert "<h1>Demasiados intentos</h1>" in html
    assert "Too Many Requests" not in html
    assert not signed_in(client)


def settings_login_ceiling():
    rate = settings.ACCOUNT_RATE_LIMITS["login"].split(",")[0]
    return int(rate.split("/")[0])
