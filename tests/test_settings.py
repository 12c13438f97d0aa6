"""Settings come from the environment. Each case loads the settings in a fresh process, as a
server would, with only the variables given."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json
import django
from django.conf import settings
django.setup()
from django.core.cache import cache
out = {
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": settings.DATABASES["default"]["NAME"],
    "db_host": settings.DATABASES["default"].get("HOST"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "tasks": settings.TASKS["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "email_host": settings.EMAIL_HOST,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "site_url": settings.SITE_URL,
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "cache_options": settings.CACHES["default"].get("OPTIONS", {}),
    "rq_url": getattr(settings, "RQ_QUEUES", {}).get("default", {}).get("URL"),
    "email_timeout": settings.EMAIL_TIMEOUT,
    "sessions": settings.SESSION_ENGINE,
    "task_lease": settings.TASK_LEASE_SECONDS,
}
if "{roundtrip}" == "yes":
    cache.set("actitud-settings-test", "hola", 30)
    out["cache_roundtrip"] = cache.get("actitud-settings-test")
    cache.delete("actitud-settings-test")
print(json.dumps(out))
"""
SECRET = "x" * 20 + "-production-secret-for-tests-" + "y" * 20


def load(module, roundtrip=False, **env):
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE.replace("{roundtrip}", "yes" if roundtrip else "no")],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": f"config.settings.{module}", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, (json.loads(result.stdout) if result.returncode == 0 else None)


def test_production_refuses_to_start_without_a_secret_key():
    result, _ = load("production", ALLOWED_HOSTS="actitud.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result, _ = load("production", SECRET_KEY=SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_reads_everything_from_the_environment():
    result, values = load(
        "production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="actitud.example.com, www.actitud.example.com",
        DATABASE_URL="postgres://actitud:clave@db.internal:5432/actitud",
        EMAIL_HOST="smtp.example.com",
        SITE_URL="https://actitud.example.com/",
    )
    assert result.returncode == 0, result.stderr
    assert values["debug"] is False
    assert values["allowed_hosts"] == ["actitud.example.com", "www.actitud.example.com"]
    assert values["db_engine"] == "django.db.backends.postgresql"
    assert (values["db_name"], values["db_host"]) == ("actitud", "db.internal")
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["email_host"] == "smtp.example.com"
    assert values["ssl_redirect"] is True
    assert values["site_url"] == "https://actitud.example.com"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"


def test_the_embedded_default_is_sqlite_console_email_and_a_database_queue():
    result, values = load("dev")
    assert result.returncode == 0, result.stderr
    assert values["db_engine"] == "django.db.backends.sqlite3"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"
    assert values["ssl_redirect"] is False


@pytest.mark.parametrize("module", ["dev", "production"])
def test_redis_backs_the_cache_and_the_task_queue_when_configured(module):
    """Talks to the Redis server this machine runs (started by .ci/run)."""
    result, values = load(
        module,
        roundtrip=True,
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="actitud.example.com",
        REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        TASK_QUEUE="redis",
    )
    assert result.returncode == 0, result.stderr
    assert values["cache"] == "people.cache.ResilientRedisCache"
    assert values["tasks"] == "django_tasks_rq.RQBackend"
    assert values["cache_roundtrip"] == "hola"


def test_timeouts_come_from_the_environment_with_short_defaults():
    _, defaults = load(
        "production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="actitud.example.com",
        DATABASE_URL="postgres://actitud@db:5432/actitud",
        REDIS_URL="redis://cache:6379/0",
        TASK_QUEUE="redis",
    )
    assert defaults["db_options"] == {
        "connect_timeout": 5,
        "options": "-c statement_timeout=5000 -c jit=off -c random_page_cost=1.1",
    }
    assert defaults["cache_options"]["SOCKET_CONNECT_TIMEOUT"] == 1
    assert defaults["cache_options"]["SOCKET_TIMEOUT"] == 1
    assert defaults["rq_url"].endswith("?socket_connect_timeout=1.0&socket_timeout=1.0")
    assert defaults["email_timeout"] == 10
    assert defaults["sessions"] == "people.sessions"  # in Redis, the database as the record
    assert defaults["task_lease"] == 900
    _, chosen = load(
        "production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="actitud.example.com",
        DATABASE_URL="postgres://actitud@db:5432/actitud",
        DB_CONNECT_TIMEOUT="3",
        DB_STATEMENT_TIMEOUT="0",
        REDIS_URL="redis://cache:6379/0",
        REDIS_TIMEOUT="0.25",
        EMAIL_TIMEOUT="4",
        TASK_LEASE_SECONDS="120",
    )
    assert chosen["db_options"] == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=0 -c jit=off -c random_page_cost=1.1",
    }
    assert chosen["cache_options"]["SOCKET_TIMEOUT"] == 0.25
    assert chosen["email_timeout"] == 4 and chosen["task_lease"] == 120


def test_the_redis_task_queue_runs_tasks_through_an_rq_worker(tmp_path):
    """Queue an email with TASK_QUEUE=redis (through the outbox), then let an RQ worker send
    it."""
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "TASK_QUEUE": "redis",
        "REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cola.sqlite3'}",
    }
    enqueue = (
        "import django; django.setup()\n"
        "from django.apps import apps\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        # The tables straight from the models: replaying every migration (Wagtail's included)
        # took most of this test's time, and the suite's own database already runs them all.
        "settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}\n"
        "call_command('migrate', run_syncdb=True, verbosity=0)\n"
        "from django.core.mail import EmailMultiAlternatives\n"
        "from people.models import OutboxTask\n"
        "from people.services import queue_email\n"
        "message = EmailMultiAlternatives('Prueba de cola', 'Hola', to=['a@example.com'])\n"
        "queue_email(message=message)\n"
        "print(OutboxTask.objects.pending().count())\n"
    )
    queued = subprocess.run(  # noqa: S603
        [sys.executable, "-c", enqueue],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.strip().splitlines()[-1] == "0"  # handed to Redis once committed
    worker = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "rqworker",
            "default",
            "--burst",
            "--job-class",
            "django_tasks_rq.Job",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    assert "Subject: Prueba de cola" in worker.stdout
