"""Coaching notes and shared feedback: supervisors and HR write and edit them, agents read
the feedback shared with them and acknowledge it. The rules are in services.py (and who may
do what in people/policy.py); these views fetch, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from people.models import User
from people.policy import can_coach

from . import services
from .forms import CoachingNoteForm

NOTES_PER_PAGE = 20


def coached_person(viewer, pk):
    """The person `viewer` wants to coach: 403 for someone who coaches no one (or about
    themself), 404 for a person they may not see — as the agent page answers."""
    person = get_object_or_404(User, pk=pk)
    if person.pk == viewer.pk or not (viewer.is_supervisor or viewer.is_hr):
        raise PermissionDenied
    if not can_coach(viewer, person):
        raise Http404
    return person


def _next_url(request, default):
    """Where to go after saving: the local `next` the form carried, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def save_note(request, person, form):
    """Store a valid new-note form once (a repeated submit stores nothing more) and say so."""
    with transaction.atomic():
        if form.first_submission(request.user):
            note = services.add_coaching_note(
                person=person,
                author=request.user,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                attempt=form.cleaned_data.get("attempt"),
                run=form.cleaned_data.get("run"),
                position=form.cleaned_data.get("position"),
                follow_up_on=form.cleaned_data.get("follow_up_on"),
            )
            if note.is_shared:
                messages.success(request, _("The feedback was shared with the agent."))
            else:
                messages.success(request, _("The note was saved. The agent does not see it."))


@login_required
def add_note(request, pk):
    """A new coaching note on an agent, from their page or from the review of one of their
    attempts or role-plays (hidden `attempt`/`run`/`position`, and `next` to return there).
    Invalid input is shown again on this page with its errors."""
    person = coached_person(request.user, pk)
    initial = {k: request.GET[k] for k in ("attempt", "run", "position") if k in request.GET}
    form = CoachingNoteForm(request.POST or None, person=person, initial=initial)
    default = reverse("certification:agent_detail", args=[person.pk]) + "#notes-heading"
    if request.method == "POST" and form.is_valid():
        save_note(request, person, form)
        return redirect(_next_url(request, default))
    return render(
        request,
        "certification/coaching_note_add.html",
        {
            "person": person,
            "note_form": form,
            "action": request.path,
            "next": _next_url(request, ""),
        },
    )
