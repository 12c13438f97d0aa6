"""A database that hangs no longer hangs the site: connecting gives up after
DB_CONNECT_TIMEOUT seconds, and a statement (or a wait for a lock) after DB_STATEMENT_TIMEOUT.
Each case runs Django in a child process, so the settings are read from its environment as in
production."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest

from tests.faults import silent_server

ROOT = Path(__file__).resolve().parent.parent


def run_django(script, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        **env,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


HEALTH = """
import json, time
from django.test import Client
from django.urls import resolve
resolve("/health/")  # a server has its URLs loaded before the database hangs
started = time.monotonic()
response = Client().get("/health/")
print(json.dumps({"status": response.status_code, "seconds": time.monotonic() - started,
                  "body": response.json()}))
"""


def test_health_answers_503_within_the_connect_timeout_when_the_database_hangs():
    with silent_server() as port:
        result = run_django(
            HEALTH,
            DATABASE_URL=f"postgres://actitud@127.0.0.1:{port}/actitud",
            DB_CONNECT_TIMEOUT="2",
        )
    assert result["status"] == 503
    assert result["body"]["database"] == "unavailable"
    assert result["seconds"] < 5, f"/health/ took {result['seconds']:.1f} s"


STATEMENT = """
import json, time
from django.db import OperationalError, connection
started = time.monotonic()
try:
    with connection.cursor() as cursor:
        cursor.execute({sql!r})
    outcome = "finished"
except OperationalError as error:
    outcome = type(error).__name__
print(json.dumps({{"outcome": outcome, "seconds": time.monotonic() - started}}))
"""


@pytest.mark.django_db
def test_a_statement_that_runs_or_waits_too_long_is_cancelled(tmp_path):
    if connection.vendor == "postgresql":
        database = settings.DATABASES["default"]
        url = (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
            f"{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
        )
        result = run_django(
            STATEMENT.format(sql="SELECT pg_sleep(4)"),
            DATABASE_URL=url,
            DB_STATEMENT_TIMEOUT="1",
        )
    else:  # SQLite: another connection holds the write lock
        path = tmp_path / "bloqueada.sqlite3"
        holder = sqlite3.connect(path)
        holder.execute("CREATE TABLE t (x)")
        holder.commit()
        holder.execute("BEGIN EXCLUSIVE")
        try:
            result = run_django(
                STATEMENT.format(sql="INSERT INTO t VALUES (1)"),
                DATABASE_URL=f"sqlite:///{path}",
                DB_STATEMENT_TIMEOUT="1",
            )
        finally:
            holder.rollback()
            holder.close()
    assert result["outcome"] == "OperationalError"
    assert result["seconds"] < 3, f"the statement ran {result['seconds']:.1f} s"
