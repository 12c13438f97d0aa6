"""The "Marcar clave como revisada" action shared by questions and role-plays (the apps check
who may do it and where to go back)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .services import mark_key_reviewed


def key_review(request, *, item, label, back_url):
    """GET asks to confirm; POST records the review and goes back to the edit page."""
    if request.method == "POST":
        mark_key_reviewed(item=item, reviewer=request.user)
        messages.success(
            request, _("The key of «%(item)s» is marked as reviewed.") % {"item": label}
        )
        return redirect(back_url)
    return TemplateResponse(
        request,
        "attitude/admin/confirm_key_review.html",
        {"item_label": label, "back_url": back_url, "header_title": _("Mark key as reviewed")},
    )
