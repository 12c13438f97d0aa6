"""Background tasks of the people app, run through Django's tasks API."""

from django.core.mail import EmailMultiAlternatives

from django_tasks import task


@task()
def send_email(*, subject, body, to, html_body="", from_email=None):
    """Send one already-rendered email. Runs on the worker, so a slow or failing mail server
    never holds up a web request."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=from_email)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
