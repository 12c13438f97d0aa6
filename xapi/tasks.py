"""Background tasks of the xAPI app, run through Django's tasks API (people/outbox.py)."""

from django_tasks import task

from .sender import send_due


@task()
def send_statements():
    """Send the statements due now to the LRS (xapi/sender.py); harmless when repeated."""
    report = send_due()
    return {"sent": report.sent, "failed": report.failed, "outage": report.outage}
