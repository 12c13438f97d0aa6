"""Project-wide guards: migrations, layout, deploy settings, page shell, translations."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_site_folder_holds_no_python():
    assert not list((ROOT / "site").rglob("*.py"))


def test_production_settings_pass_the_deploy_check():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k" * 10 + "-a-long-and-random-enough-production-key-" + "z" * 10,
        "ALLOWED_HOSTS": "actitud.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


class Shell(HTMLParser):
    """Counts the landmarks a page must have."""

    def __init__(self):
        super().__init__()
        self.h1 = self.main = 0
        self.lang = None
        self.skip_link = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "main":
            self.main += 1
        elif tag == "a" and attrs.get("href") == "#main":
            self.skip_link = True


def shell_of(response):
    parser = Shell()
    parser.feed(response.content.decode())
    return parser


ANONYMOUS_PAGES = ["account_login", "account_reset_password", "account_reset_password_done"]
SIGNED_IN_PAGES = [
    ("agent", "courses:my_learning", []),
    ("agent", "account_change_password", []),
    ("agent", "certification:guidance", []),
    ("agent", "certification:calendar", []),
    ("agent", "certification:calendar_subscription", []),
    ("supervisor", "certification:calendar", []),
    ("agent", "certification:mine", []),
    ("supervisor", "certification:progress_matrix", []),
    ("hr", "certification:progress_matrix", []),
    ("supervisor", "certification:team_dashboard", []),
    ("hr", "people:hr_home", []),
    ("hr", "people:person_create", []),
    ("hr", "people:import_upload", []),
    ("hr", "people:person_detail", ["agent"]),
    ("hr", "people:failed_emails", []),
    ("hr", "people:resend_emails", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_public_pages_have_one_h1_a_main_a_skip_link_and_lang(client, name, language):
    client.cookies["django_language"] = language
    shell = shell_of(client.get(reverse(name)))
    assert (shell.h1, shell.main, shell.lang, shell.skip_link) == (1, 1, language, True)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(("role", "name", "args"), SIGNED_IN_PAGES)
def test_signed_in_pages_have_one_h1_a_main_and_lang(request, client, role, name, args, language):
    request.getfixturevalue("agent")
    client.force_login(request.getfixturevalue(role))
    client.cookies["django_language"] = language
    args = [request.getfixturevalue(arg).pk for arg in args]
    response = client.get(reverse(name, args=args))
    assert response.status_code == HTTPStatus.OK
    shell = shell_of(response)
    assert (shell.h1, shell.main, shell.lang, shell.skip_link) == (1, 1, language, True)


@pytest.mark.django_db
def test_an_unknown_address_gets_a_friendly_404(client):
    response = client.get("/esta-pagina-no-existe/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "No encontramos esta página" in response.content.decode()
    assert shell_of(response).h1 == 1


@pytest.mark.django_db
def test_a_forbidden_page_explains_itself(client, agent):
    client.force_login(agent)
    response = client.get(reverse("people:hr_home"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "No puedes ver esta página" in response.content.decode()


def test_a_server_error_shows_the_friendly_500_page(rf):
    page = server_error(rf.get("/"))
    html = page.content.decode()
    assert page.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Algo ha fallado" in html and '<html lang="es">' in html


@pytest.mark.django_db
def test_the_english_switch_changes_the_language(client, agent):
    client.force_login(agent)
    assert "Mi aprendizaje" in client.get(reverse("courses:my_learning")).content.decode()
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": reverse("courses:my_learning")},
        follow=True,
    )
    html = response.content.decode()
    assert '<html lang="en">' in html and "My learning" in html


def po_entries(path):
    """(msgid, msgstr, fuzzy) of each singular entry of a .po file, header excluded."""
    text = path.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        if "msgid_plural" in block or 'msgid ""\nmsgstr ""\n"Project' in block:
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if not msgid or not msgstr:
            continue

        def join(m):
            raw = "".join(re.findall(r'"(.*)"', m.group(1)))
            return raw.replace("\\n", "\n").replace('\\"', '"')

        entries.append((join(msgid), join(msgstr), "#, fuzzy" in block or ", fuzzy" in block))
    return entries


def test_the_spanish_catalogue_is_complete_and_compiled():
    entries = po_entries(ROOT / "site/locale/es/LC_MESSAGES/django.po")
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if msgid and (not msgstr or fuzzy)]
    assert untranslated == []
    with translation.override("es"):
        stale = [
            msgid
            for msgid, msgstr, _ in entries
            if msgid and translation.gettext(msgid) != msgstr and "%" not in msgid
        ]
    assert stale == [], "run `make messages` to compile the catalogue"


@pytest.mark.django_db
def test_spanish_is_the_default_whatever_the_browser_asks(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert '<html lang="es">' in html.decode()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es").content
    assert '<html lang="en">' in html.decode()


def test_static_files_collect_with_the_production_storage(tmp_path):
    """WhiteNoise's manifest storage fails on a missing file a stylesheet points to."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "actitud.example.com",
        "STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert '"css/site.css"' in manifest


CATALOGUES = sorted(ROOT.glob("site/locale/*/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parts[-3])
def test_no_catalogue_holds_fuzzy_or_missing_translations(catalogue):
    """A fuzzy entry is a guess gettext made from a similar string; Django ignores it and
    the next edit may ship it, so none stays in either catalogue."""
    entries = po_entries(catalogue)
    assert len(entries) > 500
    assert [msgid for msgid, msgstr, fuzzy in entries if fuzzy or not msgstr] == []


def test_the_english_catalogue_says_what_each_message_means():
    """msgids are English, so the English catalogue repeats them (stale guesses such as
    "Attitude profile of …" → "Import of …" are gone)."""
    english = ROOT / "site/locale/en/LC_MESSAGES/django.po"
    assert [(msgid, msgstr) for msgid, msgstr, _ in po_entries(english) if msgstr != msgid] == []
