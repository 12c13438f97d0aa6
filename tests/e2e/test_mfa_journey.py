"""HR enrols a second factor in Chromium, with the keyboard only: sent to enrol after the
password, types the key's code, saves the recovery codes, reaches the HR pages; the next
sign-in asks for the code. The enrolment and code pages pass axe in Spanish and English."""

import re
from urllib.parse import urlsplit

import pytest

from tests.people.second_factor import code_for_a_while, with_authenticator_app

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def use_language(page, language):
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(page.url))
    page.context.add_cookies([{"name": "django_language", "value": language, "url": origin}])


def submit_by_keyboard(page, selector, text):
    page.focus(selector)
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["es", "en"])
def test_hr_enrols_and_then_signs_in_with_a_code(page, hr, language):
    page.goto("/cuenta/login/")
    use_language(page, language)
    sign_in(page, hr, second_factor=True)
    page.goto("/rrhh/")
    assert page.url.endswith("/cuenta/2fa/totp/activate/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    submit_by_keyboard(page, "input[name=code]", code_for_a_while(secret, seconds=15))
    page.wait_for_url("**/cuenta/2fa/recovery-codes/")
    assert page.locator("main code").count() == 10
    assert axe_violations(page) == []
    page.locator("main a.button").last.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/rrhh/")

    page.locator("details.account-menu summary").click()
    page.locator("details.account-menu button[type=submit]").click()
    page.wait_for_url("**/cuenta/login/")
    sign_in(page, hr, second_factor=True)
    assert "/cuenta/2fa/authenticate/" in page.url
    assert axe_violations(page) == []
    # A wrong code keeps the person on the page with the error tied to the field.
    submit_by_keyboard(page, "input[name=code]", "000000")
    assert "/cuenta/2fa/authenticate/" in page.url
    assert page.locator("[role=alert], .field__error").count() >= 1
    assert axe_violations(page) == []
    page.fill("input[name=code]", "")
    submit_by_keyboard(page, "input[name=code]", code_for_a_while(secret, seconds=5))
    page.wait_for_url("**/rrhh/")


def test_a_recovery_code_signs_in_when_the_phone_is_lost(page, supervisor):
    codes = with_authenticator_app(supervisor)
    page.goto("/cuenta/login/")
    sign_in(page, supervisor, second_factor=True)
    submit_by_keyboard(page, "input[name=code]", codes[0])
    page.wait_for_url("**/equipo/")
