"""Background tasks of the people app, run through Django's tasks API."""

from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from django_tasks import task, task_backends

MAX_ATTEMPTS = 5


@task()
def send_email(*, subject, body, to, html_body="", from_email=None, attempt=1):
    """Send one already-rendered email. Runs on the worker, so a slow or failing mail server
    never holds up a web request; a failed send is tried again later (after 2, 4, 8 and 16
    minutes) up to five times in all."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=from_email)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    try:
        message.send()
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            raise
        retry = {"subject": subject, "body": body, "to": to, "html_body": html_body,
                 "from_email": from_email, "attempt": attempt + 1}  # fmt: skip
        if task_backends[send_email.backend].supports_defer:
            later = timezone.now() + timedelta(minutes=2**attempt)
            send_email.using(run_after=later).enqueue(**retry)
        else:
            send_email.enqueue(**retry)


@task()
def run_people_import(*, import_id):
    """Apply a confirmed CSV import of people (see people.services.execute_import)."""
    from .services import execute_import

    execute_import(import_id=import_id)
