"""Signing in with a second factor: the code is asked after the password, a wrong or reused
code is refused, recovery codes work once, wrong codes are rate limited, and recovery codes
are shown once, downloadable and regenerated after a confirmation."""

from http import HTTPStatus
from urllib.parse import unquote

from django.urls import reverse

import pytest

from tests.people.second_factor import (
    ENROLS,
    SECRET,
    code_for_a_while,
    enrol_through_the_page,
    enter_code,
    sign_in_with_password,
    totp_code,
    with_authenticator_app,
)

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]


def signed_in(client):
    return client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_the_password_alone_does_not_sign_in_and_the_code_does(client, hr):
    with_authenticator_app(hr)
    response = sign_in_with_password(client, hr)
    assert response.url == reverse("mfa_authenticate")
    assert not signed_in(client)
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == HTTPStatus.OK
    assert 'autocomplete="one-time-code"' in page.content.decode()
    response = enter_code(client, code_for_a_while(SECRET))
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("people:hr_home")).status_code == HTTPStatus.OK


def test_a_wrong_code_is_refused(client, hr):
    with_authenticator_app(hr)
    sign_in_with_password(client, hr)
    right = code_for_a_while(SECRET)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = enter_code(
        client,
        wrong,
    )
    assert response.status_code == HTTPStatus.OK
    assert "form-errors" in response.content.decode() or "field__error" in response.content.decode()
    assert not signed_in(client)


def test_a_code_from_another_window_is_refused(client, hr):
    import time

    with_authenticator_app(hr)
    sign_in_with_password(client, hr)
    enter_code(client, totp_code(SECRET, at=time.time() - 120))
    assert not signed_in(client)


def test_the_same_code_is_refused_the_second_time(client, hr):
    with_authenticator_app(hr)
    code = code_for_a_while(SECRET, seconds=15)
    sign_in_with_password(client, hr)
    enter_code(client, code)
    assert signed_in(client)
    client.post(reverse("account_logout"))
    sign_in_with_password(client, hr)
    response = enter_code(client, code)
    assert response.status_code == HTTPStatus.OK
    assert not signed_in(client)


def test_a_recovery_code_works_once_and_only_once(client, hr):
    codes = with_authenticator_app(hr)
    sign_in_with_password(client, hr)
    enter_code(client, codes[0])
    assert signed_in(client)
    client.post(reverse("account_logout"))
    sign_in_with_password(client, hr)
    enter_code(client, codes[0])
    assert not signed_in(client)
    enter_code(client, codes[1])
    assert signed_in(client)


def test_wrong_codes_are_rate_limited(client, hr):
    """Wrong codes count as failed sign-ins (20 an hour per account): after them even the
    right code waits."""
    with_authenticator_app(hr)
    sign_in_with_password(client, hr)
    for _ in range(20):
        enter_code(client, "000000" if totp_code(SECRET) != "000000" else "111111")
    response = enter_code(client, code_for_a_while(SECRET))
    assert not signed_in(client)
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS}


@ENROLS
def test_recovery_codes_are_shown_once_and_downloadable(client, hr):
    sign_in_with_password(client, hr)
    enrol_through_the_page(client)
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    from allauth.mfa.models import Authenticator

    codes = (
        Authenticator.objects.get(user=hr, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert len(codes) == 10
    assert all(f"<code>{code}</code>" in page for code in codes)
    download = page.split('download="actitud-recovery-codes.txt" href="', 1)[1].split('"', 1)[0]
    assert unquote(download.removeprefix("data:text/plain;charset=utf-8,")).split() == codes
    again = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)


def test_new_recovery_codes_are_made_after_a_confirmation_and_replace_the_old(client, hr):
    old = with_authenticator_app(hr)
    sign_in_with_password(client, hr)
    enter_code(client, old[0])
    response = client.get(reverse("mfa_generate_recovery_codes"))
    assert response.url.startswith(reverse("account_reauthenticate"))  # first: is it you?
    client.post(
        reverse("mfa_reauthenticate"),
        {"code": code_for_a_while(SECRET), "next": reverse("mfa_generate_recovery_codes")},
    )
    confirm = client.get(reverse("mfa_generate_recovery_codes"))
    assert confirm.status_code == HTTPStatus.OK
    assert "<form" in confirm.content.decode()
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.url == reverse("mfa_view_recovery_codes")
    page = client.get(response.url).content.decode()
    assert not any(f"<code>{code}</code>" in page for code in old)
    client.post(reverse("account_logout"))
    sign_in_with_password(client, hr)
    enter_code(client, old[1])
    assert not signed_in(client)


@ENROLS
def test_the_second_factor_pages_speak_tu(client, hr):
    """The Spanish of these pages says tú, as the account pages do."""
    from tests.people.test_account_register import assert_tu, page_text

    sign_in_with_password(client, hr)
    assert_tu(page_text(client.get(reverse("mfa_activate_totp"))), "enrolment")
    enrol_through_the_page(client)
    for name in ["mfa_view_recovery_codes", "mfa_index", "mfa_generate_recovery_codes"]:
        assert_tu(page_text(client.get(reverse(name))), name)
    client.post(reverse("account_logout"))
    sign_in_with_password(client, hr)
    assert_tu(page_text(client.get(reverse("mfa_authenticate"))), "code page")
    wrong = enter_code(client, "000000" if totp_code(SECRET) != "000000" else "111111")
    assert_tu(page_text(wrong), "wrong code")
