"""The statement queue's state for HR, in the Wagtail admin: how many statements are sent,
pending and failing, the failing ones with the LRS's answer and their next try, and "retry
now". HR only (can_see_statement_queue, from people.policy): statements are personal records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from people.outbox import enqueue
from people.policy import can_manage_people

from .models import Statement
from .sender import configured, retry_now
from .tasks import send_statements

FAILING_SHOWN = 100


def can_see_statement_queue(user):
    """HR (and superusers): the queue holds every person's learning records."""
    return can_manage_people(user)


def statement_queue(request):
    if not can_see_statement_queue(request.user):
        raise PermissionDenied
    failing = (
        Statement.objects.filter(state=Statement.State.FAILING)
        .select_related("person")
        .order_by("next_attempt_at", "id")
    )
    return TemplateResponse(
        request,
        "xapi/admin/statement_queue.html",
        {
            "counts": Statement.objects.counts(),
            "failing": failing[:FAILING_SHOWN],
            "configured": configured(),
            "header_title": _("xAPI statements"),
            "page_title": _("xAPI statements"),
        },
    )


@require_http_methods(["GET", "POST"])
def retry_statements(request):
    if not can_see_statement_queue(request.user):
        raise PermissionDenied
    failing = Statement.objects.filter(state=Statement.State.FAILING).count()
    if request.method == "POST":
        count = retry_now()
        if count and configured():
            enqueue(send_statements)
        messages.success(
            request,
            ngettext(
                "%(count)d failing statement will be sent again now.",
                "%(count)d failing statements will be sent again now.",
                count,
            )
            % {"count": count},
        )
        return redirect("xapi_statement_queue")
    return TemplateResponse(
        request,
        "xapi/admin/retry_confirm.html",
        {
            "failing": failing,
            "header_title": _("Retry failing statements"),
            "page_title": _("Retry failing statements"),
        },
    )
