"""HR's pages in the Wagtail admin for SCIM clients: the list, creating a client (its token
is shown on the next page once, and never again), revoking one (after a confirmation)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from people.policy import can_manage_provisioning

from .models import ScimClient


class ScimClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system will use the token, e.g. “Microsoft Entra ID”."),
    )


def _require_hr(request):
    if not can_manage_provisioning(request.user):
        raise PermissionDenied


def _context(request, title, **extra):
    return {"header_title": title, "page_title": title, **extra}


def client_list(request):
    _require_hr(request)
    clients = ScimClient.objects.select_related("created_by")
    return TemplateResponse(
        request,
        "provisioning/admin/client_list.html",
        _context(
            request,
            _("SCIM provisioning"),
            clients=clients,
            base_url=request.build_absolute_uri(reverse("provisioning:root")),
        ),
    )


def client_create(request):
    _require_hr(request)
    form = ScimClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client, token = ScimClient.issue(name=form.cleaned_data["name"], by=request.user)
        return TemplateResponse(
            request,
            "provisioning/admin/client_token.html",
            _context(
                request,
                _("Token for %(name)s") % {"name": client.name},
                client=client,
                token=token,
                base_url=request.build_absolute_uri(reverse("provisioning:root")),
            ),
        )
    return TemplateResponse(
        request,
        "provisioning/admin/client_form.html",
        _context(request, _("New SCIM client"), form=form),
    )


def client_revoke(request, pk):
    """GET asks first (the system using the token stops provisioning at once); POST
    revokes. A token already revoked has nothing left to revoke (404)."""
    _require_hr(request)
    client = get_object_or_404(ScimClient, pk=pk, revoked_at__isnull=True)
    if request.method != "POST":
        return TemplateResponse(
            request,
            "provisioning/admin/client_revoke.html",
            _context(
                request, _("Revoke the token of %(name)s") % {"name": client.name}, client=client
            ),
        )
    client.revoke()
    messages.success(
        request, _("The token of %(name)s is revoked: it no longer works.") % {"name": client}
    )
    return redirect("provisioning_clients")
