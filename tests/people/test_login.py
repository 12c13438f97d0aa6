import re
from http import HTTPStatus

from django.core import mail
from django.urls import reverse

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_agent_signs_in_with_email_and_lands_on_inicio(client, agent):
    response = client.post(
        reverse("account_login"), {"login": agent.email.upper(), "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("certification:guidance")
    assert response.context["user"] == agent


def test_a_wrong_password_is_refused_with_a_message(client, agent):
    response = client.post(reverse("account_login"), {"login": agent.email, "password": "mala"})
    assert response.status_code == HTTPStatus.OK
    assert not response.wsgi_request.user.is_authenticated
    assert "no son correctas" in response.content.decode()


def test_failed_logins_are_rate_limited(client, agent):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": agent.email, "password": "mala"})
    response = client.post(reverse("account_login"), {"login": agent.email, "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated
    assert "Demasiados intentos" in response.content.decode()


def test_sign_out_ends_the_session(client, agent):
    client.force_login(agent)
    response = client.post(reverse("account_logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("courses:my_learning")).status_code == HTTPStatus.FOUND


def test_nobody_can_sign_up(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "nuevo@example.com", "password1": "x-Y-z-123456"}
    )
    assert "cerrado" in response.content.decode().lower()
    from people.models import User

    assert not User.objects.filter(email="nuevo@example.com").exists()


def reset_link(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_password_reset_sends_a_link_that_sets_a_new_password(client, agent):
    client.post(reverse("account_reset_password"), {"email": agent.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [agent.email]
    link = reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert form_page.status_code == HTTPStatus.OK
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "nueva-clave-segura-77", "password2": "nueva-clave-segura-77"},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    client.logout()
    assert client.login(email=agent.email, password="nueva-clave-segura-77")


def test_a_reset_link_works_only_once(client, agent):
    client.post(reverse("account_reset_password"), {"email": agent.email})
    link = reset_link(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"password1": "nueva-clave-segura-77", "password2": "nueva-clave-segura-77"}
    )
    client.logout()
    again = client.get(link, follow=True)
    assert "no es válido" in again.content.decode() or "inválido" in again.content.decode()


def test_reset_for_an_unknown_email_reveals_nothing(client, db):
    response = client.post(
        reverse("account_reset_password"), {"email": "nadie@example.com"}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert len(mail.outbox) == 1
    assert "no hay ninguna cuenta" in mail.outbox[0].body.lower()


def test_password_change(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "otra-clave-segura-88",
            "password2": "otra-clave-segura-88",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    agent.refresh_from_db()
    assert agent.check_password("otra-clave-segura-88")


def test_account_pages_are_in_spanish_and_use_the_site_shell(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html
    assert 'class="skip-link"' in html
