"""The hostile-input list (payloads.yaml: XSS, formula, NUL, overlong, Unicode, malformed
dates) fed to every form, filter and URL converter of ours, signed in as each role on the
demo organisation: 0 server errors. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import io
import logging
import shutil

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

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


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, demo_media):
    """The demo organisation, seeded once for every role (seeding takes ~10 s): inside an
    outer transaction that each test's own (rolled-back) transaction nests in, so every crawl
    starts from the same freshly seeded data, and rolled back after the last role so no other
    test sees it."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", "--force", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def media_root(settings, tmp_path, demo_media):
    """Each crawl gets its own copy of the seeded media (the suite-wide fixture of the same
    name would give it an empty folder, without the demo's images)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(demo_media, settings.MEDIA_ROOT)


@pytest.fixture
def demo(seeded, db):
    pass


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
