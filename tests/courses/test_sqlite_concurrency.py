"""On SQLite (the `make run` default) the task worker and learners write at the same time
without "database is locked": a real database file, a real db_worker process."""

import json
import os
import sqlite3
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

from django.db import connection

import pytest

from people.models import Role

ROOT = Path(__file__).resolve().parent.parent.parent
LEARNERS, LESSONS = 4, 10


@pytest.mark.sqlite  # about SQLite's own locking
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_and_learners_write_to_one_sqlite_file_without_locking(
    tmp_path, course_factory, user_factory, team
):
    course_factory(title="Curso de carga", slug="curso-de-carga", lessons=LESSONS)
    for n in range(LEARNERS):
        user_factory(email=f"carga{n}@example.com", roles=[Role.AGENT], team=team)
    database = tmp_path / "actitud.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:  # the test database, as a file of its own
        connection.connection.backup(copy)
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "WARNING",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.courses.sqlite_load"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["locked"] == 0, report
    assert report["errors"] == [], report
    assert report["answers"] == [HTTPStatus.FOUND] * LEARNERS * LESSONS, report
    assert report["completed"] == LEARNERS * LESSONS
    assert report["queued"] >= 200 and report["failed_tasks"] == 0, report
    assert report["worker_returncode"] == 0, report
