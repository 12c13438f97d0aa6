"""Emails against real mail servers on loopback: one that never answers times out and the send
is retried; after every attempt the email is listed for HR, who sends it again once a working
server is there; a task whose worker died is run again after its lease; a send never repeats."""

import time
from datetime import timedelta
from http import HTTPStatus

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from people.models import EmailStatus, OutgoingEmail, Role, User
from people.services import send_templated_email
from people.tasks import send_email
from tests.faults import silent_server, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker recycles connections between tasks; inside the test's transaction that would
    # close the connection the test runs in.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def mail_server(settings, port, timeout=0.5):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, timeout


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def queue_notice(to="lucia@example.com"):
    send_templated_email(
        template_prefix="people/email/invitation",
        to=to,
        context={"person": None, "invitation_url": "http://testserver/x", "valid_days": 7},
    )
    return OutgoingEmail.objects.latest("pk")


def test_a_mail_server_that_never_answers_times_out_and_the_send_is_retried_later(
    settings, database_queue
):
    email = queue_notice()
    with silent_server() as port:
        mail_server(settings, port, timeout=0.5)
        started = time.monotonic()
        run_worker()
        elapsed = time.monotonic() - started
    assert elapsed < 5, f"the worker was held {elapsed:.1f} s by a silent mail server"
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED and email.attempts == 1
    assert "timed out" in email.last_error
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["kwargs"] == {"email_id": email.pk}
    assert retry.run_after > timezone.now() + timedelta(minutes=1)


def add_person(client, team, email="nueva@empresa.es"):
    return client.post(
        reverse("people:person_create"),
        {"email": email, "full_name": "Nueva Agente", "role": Role.AGENT, "team": team.pk},
    )


def test_an_invitation_that_never_gets_through_is_listed_for_hr_and_sent_again(
    client, settings, hr, team, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    with silent_server() as port:
        mail_server(settings, port, timeout=0.3)
        with django_capture_on_commit_callbacks(execute=True):
            assert add_person(client, team).status_code == HTTPStatus.FOUND
    invitation = OutgoingEmail.objects.get(person__email="nueva@empresa.es")
    assert invitation.status == EmailStatus.FAILED
    assert invitation.attempts == settings.EMAIL_MAX_ATTEMPTS

    listing = client.get(reverse("people:failed_emails"))
    assert listing.status_code == HTTPStatus.OK
    html = listing.content.decode()
    assert "Correos no enviados" in html and "nueva@empresa.es" in html
    assert "Reenviar" in html

    url = reverse("people:resend_emails") + f"?correo={invitation.pk}"
    confirm = client.get(url)
    assert confirm.status_code == HTTPStatus.OK
    assert "nueva@empresa.es" in confirm.content.decode()
    assert (
        OutgoingEmail.objects.get(pk=invitation.pk).status == EmailStatus.FAILED
    )  # GET sends nothing

    with smtp_server() as (port, received):
        mail_server(settings, port, timeout=2)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("people:resend_emails"), {"correo": invitation.pk})
    assert response.status_code == HTTPStatus.FOUND
    assert [m["to"] for m in received] == [["nueva@empresa.es"]]
    assert "/cuenta/password/reset/key/" in received[0]["data"]
    invitation.refresh_from_db()
    assert invitation.status == EmailStatus.SENT
    assert "nueva@empresa.es" not in client.get(reverse("people:failed_emails")).content.decode()


def test_send_all_again_queues_every_email_not_sent_once(
    client, settings, hr, django_capture_on_commit_callbacks
):
    for n in range(3):
        queue_notice(to=f"persona{n}@example.com")
    OutgoingEmail.objects.update(status=EmailStatus.FAILED, attempts=5)
    mail.outbox.clear()
    client.force_login(hr)
    assert "3" in client.get(reverse("people:resend_emails") + "?todos=1").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:resend_emails"), {"todos": "1"})
        client.post(reverse("people:resend_emails"), {"todos": "1"})  # a second click: nothing
    assert sorted(m.to[0] for m in mail.outbox) == [f"persona{n}@example.com" for n in range(3)]
    assert not OutgoingEmail.objects.failed().exists()


def test_a_task_left_running_by_a_killed_worker_is_run_again_after_the_lease(
    settings, database_queue
):
    email = queue_notice()
    task = DBTaskResult.objects.get()
    # What kill -9 during the send leaves behind: the task claimed, the email being sent.
    task.claim("trabajador-muerto")
    long_ago = timezone.now() - timedelta(seconds=settings.TASK_LEASE_SECONDS + 60)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=long_ago)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=long_ago, attempts=1
    )
    run_worker()
    assert mail.outbox == []  # nothing is READY: the dead worker still "holds" it

    call_command("relay_tasks", verbosity=0)
    run_worker()
    assert [m.to for m in mail.outbox] == [["lucia@example.com"]]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2
    assert email.body == "" and email.html_body == ""  # no sign-in link kept once sent


def test_a_fresh_claim_is_not_taken_over(settings, database_queue):
    email = queue_notice()
    task = DBTaskResult.objects.get()
    task.claim("trabajador-vivo")
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=timezone.now()
    )
    call_command("relay_tasks", verbosity=0)
    assert DBTaskResult.objects.get().status == "RUNNING"
    assert send_email.call(email_id=email.pk) == "skipped"
    assert mail.outbox == []


def test_running_the_send_twice_sends_the_email_once(settings, database_queue):
    email = queue_notice()
    assert send_email.call(email_id=email.pk) == "sent"
    assert send_email.call(email_id=email.pk) == "skipped"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (None, HTTPStatus.FOUND),
        ("agent", HTTPStatus.FORBIDDEN),
        ("supervisor", HTTPStatus.FORBIDDEN),
        ("editor", HTTPStatus.FORBIDDEN),
        ("hr", HTTPStatus.OK),
    ],
)
def test_only_hr_sees_and_resends_emails_not_sent(request, client_for, viewer, expected):
    email = queue_notice()
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.FAILED)
    client = client_for(request.getfixturevalue(viewer) if viewer else None)
    assert client.get(reverse("people:failed_emails")).status_code == expected
    confirm = client.get(reverse("people:resend_emails") + f"?correo={email.pk}")
    assert confirm.status_code == expected
    response = client.post(reverse("people:resend_emails"), {"correo": email.pk})
    assert response.status_code == (HTTPStatus.FOUND if viewer in {None, "hr"} else expected)
    if viewer is None:
        assert reverse("account_login") in response.url
    resent = OutgoingEmail.objects.get(pk=email.pk).status != EmailStatus.FAILED
    assert resent == (viewer == "hr")


def test_the_list_is_paginated_with_constant_queries(client, hr, django_assert_max_num_queries):
    client.force_login(hr)
    for n in range(60):
        queue_notice(to=f"p{n}@example.com")
    OutgoingEmail.objects.update(status=EmailStatus.FAILED)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("people:failed_emails"))
    assert first.content.decode().count("?correo=") == 50
    assert (
        client.get(reverse("people:failed_emails") + "?page=2").content.decode().count("?correo=")
        == 10
    )
    assert User.objects.count() == 1
