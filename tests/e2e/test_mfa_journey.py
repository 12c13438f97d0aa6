"""HR enrols a second factor in Chromium, with the keyboard only: sent to enrol after the
password, types the key's code (or, second journey, adds a security key: Chromium's virtual
authenticator), saves the recovery codes, reaches the HR pages; the next sign-in asks for
the code (or the key). The pages pass axe in Spanish and English, and the security-key pages
run allauth's WebAuthn script under the site's Content-Security-Policy without a violation."""

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


def add_virtual_key(page):
    """A platform passkey in Chromium (DevTools' virtual authenticator) that answers every
    WebAuthn request of this page's browser context, user verified."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return cdp


def browser_errors(page):
    """Console errors and uncaught exceptions, as they happen (a Content-Security-Policy
    violation is a console error: "Refused to execute ... because it violates ...")."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def press_enter_on(page, selector):
    page.focus(selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["es", "en"])
def test_hr_enrols_a_security_key_and_signs_in_with_it(page, hr, language):
    add_virtual_key(page)
    errors = browser_errors(page)
    page.goto("/cuenta/login/")
    use_language(page, language)
    sign_in(page, hr, second_factor=True)
    page.goto("/rrhh/")
    assert page.url.endswith("/cuenta/2fa/totp/activate/")
    press_enter_on(page, 'main a[href="/cuenta/2fa/webauthn/add/"]')
    assert page.url.endswith("/cuenta/2fa/webauthn/add/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    page.focus("input[name=name]")
    page.keyboard.press("Control+A")
    page.keyboard.type("Portátil del trabajo")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "mfa_webauthn_add"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the virtual key answers; the form posts the credential
    page.wait_for_url("**/cuenta/2fa/recovery-codes/")
    assert page.locator("main code").count() == 10
    page.locator("main a.button").last.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/rrhh/")

    page.goto("/cuenta/2fa/")
    assert axe_violations(page) == []
    press_enter_on(page, 'main a[href="/cuenta/2fa/webauthn/"]')
    assert page.locator("main tbody th").all_inner_texts() == ["Portátil del trabajo"]
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    for action in ("edit", "remove"):  # the rename form and the removal's confirmation
        page.goto("/cuenta/2fa/webauthn/")
        press_enter_on(page, f'main a[href$="/{action}/"]')
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == []

    page.locator("details.account-menu summary").click()
    page.locator("details.account-menu button[type=submit]").click()
    page.wait_for_url("**/cuenta/login/")
    sign_in(page, hr, second_factor=True)
    assert "/cuenta/2fa/authenticate/" in page.url
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    press_enter_on(page, "#mfa_webauthn_authenticate")
    page.wait_for_url("**/rrhh/")
    assert errors == []
