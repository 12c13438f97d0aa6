import itertools
import os
import time

from django.utils import translation

from wagtail.models import Site

import pytest

from courses.models import CatalogPage, CoursePage, LessonPage
from people.models import Role, Team, User
from people.services import grant_role

from . import snapshots

PASSWORD = "una-clave-de-prueba-9"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Spanish: a request in English leaves English active in the thread
    (LocaleMiddleware never deactivates it), which would leak into the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached values never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete():
    """After each transactional test (live server, races) Django empties every table. On
    PostgreSQL it does so with one TRUNCATE of ~100 tables, which replaces each table's files:
    4–6 s per test on the busy 2-core CI machine, where DELETE empties the same (small) tables
    in 0.1–0.2 s. Like that TRUNCATE, it leaves sequences alone; foreign keys are checked
    at commit (Django makes them deferrable), when every table is empty."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


_restored = set()  # aliases whose database got the migrated data back after its last flush
_migrated_copies = {}  # alias: a copy of its migrated data (tests/snapshots.py)


@pytest.fixture(scope="session", autouse=True)
def migrated_data_after_every_flush():
    """After a transactional test (live server, races) Django empties every table, and loads
    the migrated data back (role groups, Wagtail's root page and site, service dimensions,
    collections…) only when the next serialized_rollback test starts. Any other test that ran
    in between found an empty database: no role groups, no site. Django's runner and
    pytest-django only avoid that by ordering every transactional test after the others, an
    order that pytest-xdist's worksteal, `--lf` or a hand-picked list of tests do not keep.
    So the migrated data is loaded back right after each flush, and the next transactional
    test does not load it again: every test, in any order and in any xdist worker, starts
    from the migrated database, for the same one load per transactional test as before."""
    from django.db import connections
    from django.test import TransactionTestCase

    setup = TransactionTestCase.__dict__["_fixture_setup"]
    teardown = TransactionTestCase._fixture_teardown

    def _fixture_setup(cls):
        aliases = set(cls._databases_names(include_mirrors=False))
        for alias in aliases - set(_migrated_copies):
            if connections[alias].vendor == "sqlite" and connections[alias].is_in_memory_db():
                connections[alias].ensure_connection()  # migrated data only, between tests
                _migrated_copies[alias] = snapshots.copy_of(connections[alias])
            elif connections[alias].vendor == "postgresql":
                _migrated_copies[alias] = snapshots.copy_tables(connections[alias])
        already_loaded = cls.serialized_rollback and aliases <= _restored
        _restored.difference_update(aliases)  # this test writes: loaded no longer holds
        if not already_loaded:
            return setup.__func__(cls)
        cls.serialized_rollback = False  # its flush at teardown still inhibits post_migrate
        try:
            return setup.__func__(cls)
        finally:
            cls.serialized_rollback = True

    def _fixture_teardown(self):
        aliases = self._databases_names(include_mirrors=False)
        if self.serialized_rollback and all(alias in _migrated_copies for alias in aliases):
            # The copy of the migrated data written back does what reloading it does
            # (objects saved one by one, about a second) in a few ms: on SQLite in memory
            # the whole database with the backup API, on PostgreSQL the rows of the tables
            # after the flush.
            if any(connections[alias].vendor != "sqlite" for alias in aliases):
                teardown(self)  # the flush
            for alias in aliases:
                copy = _migrated_copies[alias]
                if connections[alias].vendor == "sqlite":
                    connections[alias].ensure_connection()
                    copy.backup(connections[alias].connection)
                else:
                    snapshots.restore_tables(connections[alias], copy)
            _restored.update(aliases)
            return
        teardown(self)
        for alias in self._databases_names(include_mirrors=False):
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if self.serialized_rollback and contents is not None:
                connections[alias].creation.deserialize_db_from_string(contents)
                _restored.add(alias)

    TransactionTestCase._fixture_setup = classmethod(_fixture_setup)
    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_setup = setup
    TransactionTestCase._fixture_teardown = teardown


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo organisation and content, seeded once in this process (tests/snapshots.py)."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        snapshot = snapshots.take(media)
    snapshot.media = media
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.drop()


@pytest.fixture
def _demo_database(request, django_db_setup, django_db_blocker):
    """For a test that asks for `demo_content`: the seeded database in place before its
    transaction begins, the migrated one back after its rollback."""
    if "demo_content" not in request.fixturenames:
        yield
        return
    if _transactional(request.node):
        pytest.fail("demo_content is for tests in a rolled-back transaction (not transactional)")
    snapshot = request.getfixturevalue("demo_snapshot")
    with django_db_blocker.unblock():
        snapshot.enter()
    yield
    with django_db_blocker.unblock():
        snapshot.leave()


@pytest.fixture
def _django_db_helper(_demo_database, _django_db_helper):
    """pytest-django's database fixture, after the demo database (if asked for) is in place."""
    return _django_db_helper


@pytest.fixture
def demo_content(db, demo_snapshot, settings):
    """The database as `seed_demo --force` leaves it, its media included, seeded once per
    process and rolled back after the test like any other test's data."""
    snapshots.copy_media(demo_snapshot.media, settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def sessions_passed_second_factor(request, monkeypatch):
    """A session the test client opens directly (`client.force_login`, `client.login`) counts
    as having passed a second factor, recorded in the session as allauth records a code
    entered at sign-in: the suite's staff open their pages without enrolling an
    authenticator app first. Production has no such door (people.two_factor). Tests of the
    requirement itself are marked `real_second_factor` and get Django's sessions unchanged."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test import Client

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str

    open_session = Client._login

    def _login(self, user, backend=None):
        open_session(self, user, backend)
        session = self.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "mfa", "type": "totp", "at": time.time()}
        ]
        session["account_authentication_methods_user"] = user_id_to_str(user)
        session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def user_factory(db):
    """Make a person with a password, optional roles and team."""

    def make(*, roles=(), team=None, full_name=None, email=None, **fields):
        n = next(_numbers)
        person = User.objects.create_user(
            email=email or f"persona{n}@example.com",
            password=PASSWORD,
            full_name=full_name or f"Persona {n}",
            **fields,
        )
        for role in roles:
            grant_role(person=person, role=role, team=team)
        return person

    return make


@pytest.fixture
def team(db):
    return Team.objects.create(name="Equipo Norte")


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Equipo Sur")


@pytest.fixture
def agent(user_factory, team):
    return user_factory(roles=[Role.AGENT], team=team, full_name="Lucía Fernández")


@pytest.fixture
def teammate(user_factory, team):
    return user_factory(roles=[Role.AGENT], team=team, full_name="Javier Moreno")


@pytest.fixture
def outsider(user_factory, other_team):
    """An agent of another team."""
    return user_factory(roles=[Role.AGENT], team=other_team, full_name="Sofía Herrera")


@pytest.fixture
def supervisor(user_factory, team):
    return user_factory(roles=[Role.SUPERVISOR], team=team, full_name="Marta Ruiz")


@pytest.fixture
def other_supervisor(user_factory, other_team):
    return user_factory(roles=[Role.SUPERVISOR], team=other_team, full_name="Andrés Molina")


@pytest.fixture
def hr(user_factory):
    return user_factory(roles=[Role.HR], full_name="Rocío Sanz")


@pytest.fixture
def editor(user_factory):
    return user_factory(roles=[Role.EDITOR], full_name="Tomás Aguilar")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(
        email="admin@example.com", password=PASSWORD, full_name="Admin"
    )


@pytest.fixture
def client_for(client):
    """Sign a person in on the test client (None stays anonymous)."""

    def sign_in(person):
        client.logout()
        if person is not None:
            client.force_login(person)
        return client

    return sign_in


def lesson_body(words=260):
    text = " ".join(["servicio"] * words)
    return [
        {"type": "text", "value": f"<p>{text}</p>"},
        {"type": "key_points", "value": {"title": "Ideas clave", "points": ["Escucha."]}},
        {
            "type": "moment_of_truth",
            "value": {
                "title": "La espera",
                "situation": "Marta espera ocho minutos.",
                "good_response": "Gracias por esperar.",
                "poor_response": "¿Número de cliente?",
                "why": "",
            },
        },
        {"type": "reflection", "value": {"prompt": "¿Qué harías distinto?"}},
        {"type": "self_check", "value": {"question": "¿Quién?", "answer": "Tú."}},
    ]


@pytest.fixture
def catalog(db):
    root = Site.objects.get(is_default_site=True).root_page
    page = root.add_child(instance=CatalogPage(title="Cursos", slug="cursos"))
    page.save_revision().publish()
    return page


@pytest.fixture
def course_factory(catalog):
    """A published course with `lessons` published lessons (the last `optional` ones optional)."""

    def make(*, title="Curso de cortesía", slug=None, lessons=3, optional=0):
        course = catalog.add_child(
            instance=CoursePage(
                title=title, slug=slug or title.lower().replace(" ", "-"), summary="Resumen."
            )
        )
        for number in range(1, lessons + 1):
            lesson = course.add_child(
                instance=LessonPage(
                    title=f"Lección {number}",
                    slug=f"leccion-{number}",
                    body=lesson_body(),
                    objectives=[{"type": "objective", "value": "Aprender."}],
                    is_required=number <= lessons - optional,
                )
            )
            lesson.save_revision().publish()
        return course

    return make


def pytest_configure(config):
    """Under pytest-xdist (`make test` runs two workers) each worker gets a Redis database of
    its own for the tests that use the real Redis (they flush it and run RQ workers on it):
    TEST_REDIS_URL's database number plus the worker's index (default 12: workers use 12, 13…).
    pytest-django already gives each worker its own test database, tmp_path and live server."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return  # one process: TEST_REDIS_URL if set, else each test's own default database
    base, _, number = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12").rpartition("/")
    database = int(number or 0) + int(worker.removeprefix("gw"))
    if database > 15:
        raise pytest.UsageError(
            f"worker {worker}: no Redis database {database} (0–15); use fewer workers"
        )
    os.environ["TEST_REDIS_URL"] = f"{base}/{database}"


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".strip()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` race threads against row locks, which SQLite cannot hold (it
    serialises writers); tests marked `sqlite` are about SQLite's own locking. Each runs only
    on its database and is deselected on the other — neither run nor counted as passed or
    skipped — and CI runs the suite on both. A transactional test without serialized_rollback
    is refused: after its flush the tests that follow would lack the migrated data."""
    from django.db import connection

    unserialized = [item.nodeid for item in items if _flushes_without_snapshot(item)]
    if unserialized:
        raise pytest.UsageError(
            "transactional tests (transaction=True, transactional_db, live_server) must be "
            "marked @pytest.mark.django_db(transaction=True, serialized_rollback=True): their "
            "flush empties every table and only the snapshot gives the migrated data (role "
            "groups, site, dimensions) back to the tests after them:\n  "
            + "\n  ".join(unserialized)
        )
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    deselected = [item for item in items if item.get_closest_marker(other) is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item.get_closest_marker(other) is None]
    _long_tests_first_in_each_workers_share(items)


# Tests that take 10–130 s each on the 2-core CI machine (--durations), by what they cost.
# Only a scheduling hint: a test missing here or renamed still runs, just in its place.
_CRAWL = "tests/hostile/test_hostile_input.py::test_no_server_error_for_any_hostile_input"
LONG_TESTS = {
    f"{_CRAWL}[superuser]": 128,
    f"{_CRAWL}[supervisor]": 127,
    f"{_CRAWL}[hr]": 125,
    f"{_CRAWL}[editor]": 92,
    f"{_CRAWL}[agent]": 40,
    "tests/people/test_seed_demo.py::test_seed_demo_builds_": 15,
    "tests/test_settings.py::test_the_redis_task_queue_runs_tasks_through_an_rq_worker": 26,
    "tests/people/test_import_volume.py::test_a_large_import": 19,
    "tests/attitude/test_critical_reason.py::test_seeding_loads_": 15,
    "tests/certification/test_seed_scale.py::test_seed_scale_builds_": 12,
    "tests/e2e/test_accessibility.py::": 12,
    "tests/test_project.py::test_production_settings_pass_the_deploy_check": 12,
    "tests/test_project.py::test_static_files_collect_with_the_production_storage": 11,
    "tests/test_database_timeouts.py::test_health_answers_503_within_the_connect_timeout": 12,
    "tests/test_settings.py::": 8,
    "tests/e2e/test_agent_journey.py::": 10,
}


def _expected_seconds(item):
    return max((s for prefix, s in LONG_TESTS.items() if item.nodeid.startswith(prefix)), default=0)


def _long_tests_first_in_each_workers_share(items):
    """Under pytest-xdist's worksteal each worker is first handed a contiguous share of the
    collection (the first half, the second half) and an idle worker later steals the end of
    the other's queue; a long test left at the end of a share keeps one worker busy while the
    other has nothing left to steal. So the long tests are dealt out longest first to the
    share with the least expected time and run at the start of each share."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    long = sorted((i for i in items if _expected_seconds(i)), key=_expected_seconds, reverse=True)
    if workers < 2 or not long:
        return
    shares = [[] for _ in range(workers)]
    for item in long:
        min(shares, key=lambda share: sum(map(_expected_seconds, share))).append(item)
    chosen = set(long)
    rest = [item for item in items if item not in chosen]
    ordered, remaining = [], len(items)
    for index, share in enumerate(shares):
        size = remaining // (workers - index)  # what worksteal first sends this worker
        filler = size - len(share)
        ordered += share + rest[:filler]
        rest = rest[filler:]
        remaining -= size
    items[:] = ordered + rest


def _flushes_without_snapshot(item):
    """A test pytest-django runs as a TransactionTestCase without serialized_rollback."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    serialized = validate_django_db(marker)[3] if marker else False
    fixtures = getattr(item, "fixturenames", ())
    return _transactional(item) and not (serialized or "django_db_serialized_rollback" in fixtures)


def _transactional(item):
    """A test pytest-django runs as a TransactionTestCase (its writes are committed)."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = (
        validate_django_db(marker) if marker else (False, False, None, False, None)
    )
    fixtures = getattr(item, "fixturenames", ())
    return (
        transaction
        or reset_sequences
        or "transactional_db" in fixtures
        or "live_server" in fixtures
        or "django_db_reset_sequences" in fixtures
    )
