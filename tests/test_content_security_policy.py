"""Every page carries a Content-Security-Policy: no inline script or style on the site
(a nonce where a script must be inline), no plugins, no foreign <base>, framed only by
ourselves; the Wagtail admin has its own, documented, policy under /admin/."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import pytest

from people.models import Role

pytestmark = pytest.mark.django_db

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/(ld\+)?json)", re.I
)


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict_site_policy(response):
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert all(v == "'self'" or v.startswith("'nonce-") for v in policy["script-src"])
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.AGENT, "/aprendizaje/"),
        (Role.AGENT, "/perfil/"),
        (Role.HR, "/rrhh/"),
        (Role.HR, "/rrhh/panel/"),
        (None, "/cuenta/login/"),
    ],
)
def test_site_pages_have_the_strict_policy(client, user_factory, team, role, url):
    if role:
        client.force_login(user_factory(roles=[role], team=team))
    response = client.get(url)
    assert response.status_code == 200
    assert_strict_site_policy(response)
    html = response.content.decode()
    assert not INLINE_HANDLER.search(html) and not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)


def test_the_admin_has_its_own_policy(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail's own inline scripts
    assert not any(v.startswith("'nonce-") for v in policy["script-src"])
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]


def test_development_reports_instead_of_enforcing():
    from config.settings import dev

    assert dev.CONTENT_SECURITY_POLICY is None
    assert dev.CONTENT_SECURITY_POLICY_REPORT_ONLY["DIRECTIVES"]["object-src"] == ["'none'"]


def our_templates():
    roots = [settings.BASE_DIR / "site" / "templates"] + [
        settings.BASE_DIR / app / "templates"
        for app in (
            "people",
            "courses",
            "attitude",
            "quizzes",
            "scenarios",
            "certification",
            "scorm",
        )
    ]
    for root in roots:
        for path in Path(root).rglob("*.html"):
            if "/email/" in str(path) or "/widgets/" in str(path):
                continue  # emails: CSP does not apply; widgets: admin forms only
            yield path


def test_no_template_of_ours_has_inline_handlers_styles_or_scripts():
    offenders = []
    for path in our_templates():
        text = path.read_text(encoding="utf-8")
        for name, pattern in [
            ("handler", INLINE_HANDLER),
            ("style", INLINE_STYLE),
            ("script", INLINE_SCRIPT),
        ]:
            if pattern.search(text):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: inline {name}")
    assert offenders == []
