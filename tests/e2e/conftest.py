"""Browser journeys: Debian's Chromium driven by Playwright against the live test server.

Nothing here is ever skipped: without Chromium the journeys fail and say how to get it
(`make test` installs it). A failing journey leaves a screenshot in test-artifacts/.
"""

import os
import time
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.people.sso.idps import oidc_idp, saml_idp, saml_mode, sso_apps  # noqa: F401
from tests.quizzes.conftest import category, question_factory, questions, quiz_factory  # noqa: F401
from tests.scenarios.conftest import personality, scenario_factory  # noqa: F401

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_SCRIPT = Path(os.environ.get("AXE_SCRIPT", "node_modules/axe-core/axe.min.js"))
ARTIFACTS = Path("test-artifacts")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (or make test).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request, live_server):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()


def sign_in(page, person, password=PASSWORD, *, second_factor=False):
    """Sign in through the sign-in page. Staff must then enrol a second factor before any
    page opens (people.two_factor); unless the journey is about that (`second_factor=True`),
    their session is marked as having passed one — as allauth records a code entered at
    sign-in — and the browser goes on to the page it was sent to before enrolment."""
    page.goto("/cuenta/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/cuenta/login/" not in url)
    if not second_factor and "/cuenta/2fa/" in page.url:
        page.goto(pass_second_factor(page, person))


def pass_second_factor(page, person):
    """Record in the browser's session that it passed a second factor; returns the page
    the person was going to."""
    from importlib import import_module

    from django.conf import settings

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str

    from people.two_factor import ENROLMENT_NEXT_SESSION_KEY

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        *records,
        {"method": "mfa", "type": "totp", "at": time.time()},
    ]
    session["account_authentication_methods_user"] = user_id_to_str(person)
    session.save()
    return session.get(ENROLMENT_NEXT_SESSION_KEY) or "/"


SERIOUS = {"serious", "critical"}


def axe_violations(page):
    """Serious and critical WCAG 2.2 A/AA violations axe-core finds on the current page."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core not found at {AXE_SCRIPT}: run `npm ci` (make test does).")
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does
    # not govern (an injected <script> tag would be refused: the site allows no inline script).
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.fixture(scope="session", autouse=True)
def serialized_contents_everywhere(django_db_setup, django_db_blocker):
    """Playwright's event loop gives the test code a fresh database wrapper object, which
    lacks the snapshot Django restores after each flushed (live-server) test. Keep the
    snapshot on the wrapper class so every wrapper has it."""
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    type(connection)._test_serialized_contents = contents
