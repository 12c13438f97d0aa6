"""Every account page, form error, message and email speaks tú, as the rest of the product
does (issue 11, item 21): allauth's own Spanish says usted ("Ha iniciado sesión
exitosamente", "Introduzca su dirección…")."""

import re
from http import HTTPStatus

from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

USTED = re.compile(
    r"\b(su|sus|Su|Sus|usted|Usted|ustedes)\b"
    r"|Introduzca|Ha iniciado|Ha cerrado|Ha cambiado|Ha establecido|Inténtelo|Olvidó"
    r"|Compruebe|Confirme|Vuelva|Escriba|Elija|Utilice|Contacte|Póngase|Verifique"
    r"|[Pp]or favor"
)
NEW_PASSWORD = "otra-clave-segura-88"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def visible_text(html):
    """The words a person reads: tags, scripts and attribute values other than labels gone."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def assert_tu(text, where):
    contexts = [text[max(0, m.start() - 60) : m.end() + 60] for m in USTED.finditer(text)]
    assert not contexts, f"{where}: usted in " + " | ".join(f"…{c}…" for c in contexts)


def page_text(response):
    assert response.status_code == HTTPStatus.OK, response
    return visible_text(response.content.decode())


def messages_text(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def reset_link(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_the_sign_in_page_and_its_errors(client, agent):
    assert_tu(page_text(client.get(reverse("account_login"))), "login")
    wrong = client.post(reverse("account_login"), {"login": agent.email, "password": "mala"})
    assert "no son correctas" in wrong.content.decode()
    assert_tu(page_text(wrong), "login, wrong password")
    empty = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert_tu(page_text(empty), "login, empty")
    for _ in range(6):
        locked = client.post(reverse("account_login"), {"login": agent.email, "password": "x"})
    assert "Demasiados intentos" in locked.content.decode()
    assert_tu(page_text(locked), "login, locked")


def test_signing_in_and_out_messages(client, agent):
    response = client.post(
        reverse("account_login"), {"login": agent.email, "password": PASSWORD}, follow=True
    )
    page = page_text(response)
    assert "Has iniciado sesión" in page
    assert_tu(page, "after login")

    logout_page = client.get(reverse("account_logout"))
    assert_tu(page_text(logout_page), "logout")
    response = client.post(reverse("account_logout"), follow=True)
    page = page_text(response)
    assert "Has cerrado sesión" in page
    assert_tu(page, "after logout")


def test_password_reset_pages_messages_and_emails(client, agent):
    assert_tu(page_text(client.get(reverse("account_reset_password"))), "reset request")
    invalid = client.post(reverse("account_reset_password"), {"email": "no-es-un-correo"})
    assert_tu(page_text(invalid), "reset request, invalid")

    response = client.post(reverse("account_reset_password"), {"email": agent.email}, follow=True)
    assert_tu(page_text(response), "reset done")
    assert_tu(page_text(client.get(reverse("account_reset_password_done"))), "reset done")
    email = mail.outbox[-1]
    assert_tu(f"{email.subject} {email.body}", "reset email")

    client.post(reverse("account_reset_password"), {"email": "nadie@example.com"})
    unknown = mail.outbox[-1]
    assert_tu(f"{unknown.subject} {unknown.body}", "unknown account email")

    link = reset_link(email)
    form_page = client.get(link, follow=True)
    assert_tu(page_text(form_page), "reset from key")
    form_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(form_url, {"password1": NEW_PASSWORD, "password2": "distinta-clave-9"})
    assert_tu(page_text(mismatch), "reset from key, mismatch")
    weak = client.post(form_url, {"password1": "123", "password2": "123"})
    assert_tu(page_text(weak), "reset from key, weak")
    done = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    assert_tu(page_text(done) + messages_text(done), "reset from key, done")

    client.logout()
    assert_tu(page_text(client.get(link, follow=True)), "reset from a used key")
    assert_tu(
        page_text(client.get(reverse("account_reset_password_from_key_done"))), "from key done"
    )


def test_password_change_pages_and_messages(client, agent):
    client.force_login(agent)
    assert_tu(page_text(client.get(reverse("account_change_password"))), "change password")
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "mala", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert_tu(page_text(wrong), "change password, wrong old password")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    page = page_text(response)
    assert "Contraseña cambiada" in page or "Has cambiado" in page or "cambiado" in page
    assert_tu(page, "after change password")


def test_set_password_page_and_message(client, user_factory):
    person = user_factory()
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    assert_tu(page_text(client.get(reverse("account_set_password"))), "set password")
    response = client.post(
        reverse("account_set_password"),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert_tu(page_text(response), "after set password")


def test_email_and_other_account_pages(client, agent):
    client.force_login(agent)
    assert_tu(page_text(client.get(reverse("account_email"))), "email")
    assert_tu(page_text(client.get(reverse("account_reauthenticate"))), "reauthenticate")
    client.logout()
    for name in ("account_signup", "account_inactive", "account_email_verification_sent"):
        assert_tu(page_text(client.get(reverse(name))), name)
    bad_confirmation = client.get(reverse("account_confirm_email", args=["clave-falsa"]))
    assert_tu(page_text(bad_confirmation), "confirm email, bad key")


def test_the_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client.post(reverse("account_login"), {})
    response = client.post(reverse("account_login"), {})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert_tu(visible_text(response.content.decode()), "429")
