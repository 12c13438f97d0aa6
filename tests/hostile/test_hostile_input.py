"""The hostile-input list (payloads.yaml: XSS, formula, NUL, overlong, Unicode, malformed
dates) fed to every form, filter and URL converter of ours, signed in as each role on the
demo organisation: 0 server errors. Runs on SQLite and on PostgreSQL (DATABASE_URL); on
SQLite the forms get the shorter list of payloads.for_forms."""

import logging

import pytest

from certification.models import Certificate
from people.models import User

from .crawler import Crawler, Report, converter_urls

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": None,
    "agent": "lucia.fernandez@actitud.demo",
    "supervisor": None,  # the first demo supervisor, found below
    "hr": "rrhh@actitud.demo",
    "editor": "editor@actitud.demo",
    "superuser": "admin@actitud.demo",
}
START = [
    "/",
    "/aprendizaje/",
    "/perfil/",
    "/certificados/",
    "/equipo/",
    "/rrhh/",
    "/avisos/",
    "/inicio/",
    "/calendario/",
]


@pytest.fixture
def demo(demo_content):
    """The demo organisation as seed_demo leaves it (tests/snapshots.py: seeded once per
    process, in place for each crawl, rolled back after it), its media included."""


def _person(role):
    if role == "anonymous":
        return None
    if role == "supervisor":
        return User.objects.with_role("Supervisor").order_by("email").first()
    return User.objects.get(email=ROLES[role])


@pytest.mark.parametrize("role", list(ROLES))
def test_no_server_error_for_any_hostile_input(client, demo, role, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    client.raise_request_exception = True
    person = _person(role)
    if person is not None:
        client.force_login(person)
    report = Report()
    crawler = Crawler(client, report)
    public = [f"/verificar/{c.code}/" for c in Certificate.objects.all()[:1]]
    crawler.crawl(START + public)
    for url in converter_urls():
        crawler.request("GET", url)
    # Signed in, the crawl walks the person's pages; anonymous, only public ones answer.
    assert len(report.pages) > (3 if person else 0), "the crawl reached too few pages"
    assert report.errors == [], (
        f"{len(report.errors)} server errors in {report.requests} requests:\n"
        + "\n".join(report.errors[:60])
    )
