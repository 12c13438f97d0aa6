"""The xAPI statement queue: every learning event becomes one statement, written in the
event's own transaction and sent to the LRS later by the worker (xapi/sender.py)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatementQuerySet(models.QuerySet):
    def due(self, now=None):
        """Statements to send now: pending, or failing whose next try has come."""
        now = now or timezone.now()
        return self.filter(
            Q(state=Statement.State.PENDING)
            | Q(state=Statement.State.FAILING, next_attempt_at__lte=now)
        ).order_by("created_at", "id")

    def counts(self):
        """How many statements are in each state, in one query: {state: count}."""
        rows = self.order_by().values("state").annotate(n=Count("id"))
        found = {row["state"]: row["n"] for row in rows}
        return {state: found.get(state, 0) for state in Statement.State.values}


class Statement(models.Model):
    """One xAPI statement waiting for, or already in, the LRS. Its id is the event's stable
    UUID (a UUID5 of the event's key), so the same fact never makes two statements and the
    LRS recognises a repeated send."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILING = "failing", _("failing")

    id = models.UUIDField(primary_key=True, editable=False)
    data = models.JSONField(_("statement"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="xapi_statements",
        verbose_name=_("person"),
    )
    course_id = models.PositiveIntegerField(_("course"), db_index=True)
    step_id = models.PositiveIntegerField(_("course step"))
    registration = models.UUIDField(_("registration"), db_index=True)
    verb = models.CharField(_("verb"), max_length=40)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("send attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="xapi_statement_due")]

    def __str__(self):
        return f"{self.verb} {self.id}"


def backoff(attempts):
    """How long to wait before the next try after `attempts` failed sends: 30 seconds doubled
    per failure, never more than XAPI_RETRY_MAX_SECONDS (an hour by default)."""
    seconds = settings.XAPI_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.XAPI_RETRY_MAX_SECONDS))
