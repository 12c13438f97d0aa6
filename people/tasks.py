"""Background tasks of the people app, run through Django's tasks API. Enqueue them with
people.outbox.enqueue, never with the task's own enqueue method."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from django_tasks import task

from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)


def _claim(email_id, now):
    """Mark the email as being sent by this worker, unless it is sent, given up on, or being
    sent by a live worker (a claim younger than the lease). Returns the email or None."""
    lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(
            Q(status=EmailStatus.QUEUED) | Q(status=EmailStatus.SENDING, claimed_at__lt=now - lease)
        )
        .update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return OutgoingEmail.objects.get(pk=email_id) if claimed else None


@task()
def send_email(*, email_id):
    """Send one stored email. Runs on the worker, so a slow or failing mail server never holds
    up a web request; the SMTP connection gives up after EMAIL_TIMEOUT seconds. A failed send
    is tried again later (after 2, 4, 8 and 16 minutes), EMAIL_MAX_ATTEMPTS times in all; then
    the email is marked not sent, logged as an error and listed for HR to send again. Running
    this twice for one email sends it once."""
    from .outbox import enqueue

    now = timezone.now()
    email = _claim(email_id, now)
    if email is None:
        return "skipped"
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body, to=email.to, from_email=email.from_email or None
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 — every failure is recorded and retried
        reason = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            OutgoingEmail.objects.filter(pk=email.pk).update(
                status=EmailStatus.FAILED, last_error=reason, claimed_at=None
            )
            logger.error(
                "Email %s (%s) to %s not sent after %s attempts: %s",
                email.pk, email.subject, ", ".join(email.to), email.attempts, reason,
            )  # fmt: skip
            return "failed"
        later = timezone.now() + timedelta(minutes=2**email.attempts)
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.QUEUED, last_error=reason, claimed_at=None, next_attempt_at=later
        )
        enqueue(send_email, run_after=later, email_id=email.pk)
        return "retry"
    # The record of a sent email keeps who, what and when, not the body: bodies carry
    # sign-in links (invitations, password resets) that must not outlive their use.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        claimed_at=None,
        last_error="",
        body="",
        html_body="",
    )
    return "sent"


@task()
def run_people_import(*, import_id):
    """Apply a confirmed CSV import of people (see people.services.execute_import)."""
    from .services import execute_import

    execute_import(import_id=import_id)
