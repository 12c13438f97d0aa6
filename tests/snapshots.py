"""The demo organisation and content (`seed_demo`), seeded once per test process and put in
place for each test that asks for it (the `demo_content` fixture of tests/conftest.py) in
milliseconds instead of the 15–35 s a seed takes.

SQLite (the test database lives in memory): the migrated database and the seeded one are
copied aside with SQLite's backup API; a test that needs the demo gets the seeded copy written
over its database before its transaction begins, and the migrated copy back after its
rollback. PostgreSQL: the seed goes into a clone of the migrated test database (CREATE
DATABASE … TEMPLATE), and a test that needs the demo runs its (rolled-back) transaction on
that clone, which therefore never changes. Either way a test sees exactly what a fresh
`seed_demo --force` leaves, and every other test the migrated database.
"""

import io
import shutil
import sqlite3
import time

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

# The seed queues its tasks in the database, as `make run` does, so a test can see that it
# queued none (tests/people/test_seed_demo.py).
SEED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def seed(media):
    """Seed the demo into the current database; returns what the command printed."""
    output = io.StringIO()
    with override_settings(MEDIA_ROOT=media, TASKS=SEED_TASKS):
        call_command("seed_demo", "--force", stdout=output)
    return output.getvalue()


class SQLiteSnapshot:
    def __init__(self, media):
        connection.ensure_connection()
        self.migrated = self._copy()
        self.output = seed(media)
        self.seeded = self._copy()
        self.leave()

    @staticmethod
    def _copy():
        return copy_of(connection)

    def enter(self):
        connection.ensure_connection()
        self.seeded.backup(connection.connection)

    def leave(self):
        connection.ensure_connection()
        self.migrated.backup(connection.connection)

    def drop(self):
        self.migrated.close()
        self.seeded.close()


class PostgreSQLSnapshot:
    def __init__(self, media):
        self.test_name = connection.settings_dict["NAME"]
        self.demo_name = f"{self.test_name}_demo"
        self._create_database()
        self.enter()
        try:
            self.output = seed(media)
        finally:
            self.leave()

    def _execute_outside(self, sql):
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(sql)

    def _create_database(self):
        quote = connection.ops.quote_name
        self._execute_outside(f"DROP DATABASE IF EXISTS {quote(self.demo_name)}")
        for attempt in range(10):  # a finished live server's thread may still be leaving
            try:
                self._execute_outside(
                    f"CREATE DATABASE {quote(self.demo_name)} TEMPLATE {quote(self.test_name)}"
                )
                return
            except Exception:
                if attempt == 9:
                    raise
                time.sleep(0.5)

    def _switch(self, name):
        connection.close()
        connection.settings_dict["NAME"] = name

    def enter(self):
        self._switch(self.demo_name)

    def leave(self):
        self._switch(self.test_name)

    def drop(self):
        self.leave()
        self._execute_outside(
            f"DROP DATABASE IF EXISTS {connection.ops.quote_name(self.demo_name)}"
        )


def copy_of(sqlite_connection):
    """A copy of an SQLite database in memory, written back with copy.backup(raw)."""
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    sqlite_connection.connection.backup(copy)
    return copy


COPY_SCHEMA = "migrated_copy"


def copy_tables(pg_connection):
    """A copy of every non-empty table of a PostgreSQL database, in a schema of its own
    (outside the search path: Django's introspection and flush do not see it); returns the
    tables copied, for restore_tables()."""
    quote = pg_connection.ops.quote_name
    tables = pg_connection.introspection.django_table_names(only_existing=True)
    copied = []
    with pg_connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {COPY_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {COPY_SCHEMA}")
        for table in tables:
            name, copy = quote(table), f"{COPY_SCHEMA}.{quote(table)}"
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")  # noqa: S608 (introspected)
            if cursor.fetchone()[0]:
                cursor.execute(f"CREATE TABLE {copy} AS TABLE {name}")
                copied.append(table)
    return copied


def restore_tables(pg_connection, tables):
    """Put the rows copy_tables() kept back into the (emptied) tables, in one transaction."""
    from django.db import transaction

    quote = pg_connection.ops.quote_name
    with transaction.atomic(using=pg_connection.alias), pg_connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            name, copy = quote(table), f"{COPY_SCHEMA}.{quote(table)}"
            cursor.execute(f"INSERT INTO {name} SELECT * FROM {copy}")  # noqa: S608 (introspected)


def take(media):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return SQLiteSnapshot(media)
    if connection.vendor == "postgresql":
        return PostgreSQLSnapshot(media)
    raise NotImplementedError(f"no demo snapshot for {connection.vendor}")


def copy_media(snapshot_media, media_root):
    shutil.copytree(snapshot_media, media_root, dirs_exist_ok=True)
