"""Emails leave through the database task queue: nothing is sent during the request, and a
worker sends what is queued."""

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

import pytest
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_password_reset_email_waits_in_the_queue_until_the_worker_runs(
    database_queue, client, agent, monkeypatch
):
    client.post(reverse("account_reset_password"), {"email": agent.email})
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1

    # The worker recycles connections between tasks; inside the test's transaction that would
    # close the connection the test runs in, so recycling is switched off here.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [m.to for m in mail.outbox] == [[agent.email]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
