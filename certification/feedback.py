"""Coaching notes and shared feedback: supervisors and HR write and edit them, agents read
the feedback shared with them and acknowledge it. The rules are in services.py (and who may
do what in people/policy.py); these views fetch, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.forms import parse_id
from people.models import User
from people.policy import can_coach, can_edit_coaching_note

from . import services
from .forms import CoachingNoteEditForm, CoachingNoteForm
from .models import CoachingNote
from .selectors import open_retakes

NOTES_PER_PAGE = 20
FOLLOW_UPS_SHOWN = 20  # on Mi equipo; the include says when there are more


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


def _note_for_coach(viewer, pk):
    """A note on someone `viewer` coaches (403/404 as for the person), with its history."""
    note = get_object_or_404(CoachingNote.objects.with_history(), pk=pk)
    coached_person(viewer, note.person_id)
    return note


@login_required
def edit_note(request, pk):
    """The author or HR change a note's text, kind or follow-up; what it said before is kept
    and shown under it."""
    note = _note_for_coach(request.user, pk)
    if not can_edit_coaching_note(request.user, note, may_coach=True):
        raise PermissionDenied
    form = CoachingNoteEditForm(request.POST or None, note=note)
    if request.method == "POST" and form.is_valid():
        services.edit_coaching_note(
            note=note,
            editor=request.user,
            text=form.cleaned_data["text"],
            kind=form.cleaned_data["kind"],
            follow_up_on=form.cleaned_data["follow_up_on"],
        )
        messages.success(request, _("The note was changed; what it said before is kept."))
        url = reverse("certification:agent_detail", args=[note.person_id])
        return redirect(f"{url}#note-{note.pk}")
    return render(
        request,
        "certification/coaching_note_edit.html",
        {"note": note, "person": note.person, "form": form},
    )


@login_required
@require_POST
def complete_follow_up(request, pk):
    """The author marks the follow-up of one of their notes as done."""
    note = get_object_or_404(
        CoachingNote.objects.filter(author=request.user, follow_up_on__isnull=False), pk=pk
    )
    services.complete_follow_up(note=note, person=request.user)
    messages.success(
        request,
        _("Follow-up with %(name)s marked as done.") % {"name": note.person.full_name},
    )
    return redirect(_next_url(request, reverse("certification:team_dashboard")))


@login_required
def my_feedback(request):
    """The feedback shared with me, newest first, those I have not read yet marked; never
    anyone's private notes. Above it, what I was asked to repeat and have not yet."""
    notes = (
        CoachingNote.objects.shared()
        .filter(person=request.user)
        .with_history()
        .select_related("attempt__quiz", "run__scenario")
    )
    page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "certification/my_feedback.html",
        {"page_obj": page, "retakes": open_retakes(request.user)},
    )


@login_required
@require_POST
def acknowledge(request, pk):
    """I mark a piece of feedback shared with me as read (once; the first time is kept) —
    the version I saw: if it was edited since, I am asked to read it again."""
    note = get_object_or_404(CoachingNote.objects.shared(), pk=pk, person=request.user)
    seen = parse_id(request.POST.get("seen_revision"))
    if services.acknowledge_note(
        note=note, person=request.user, seen_revision=seen
    ).acknowledged_at:
        messages.success(request, _("Marked as read. Your supervisor will see it."))
    else:
        messages.warning(
            request, _("This feedback was changed after you opened the page: read it again.")
        )
    url = reverse("certification:my_feedback")
    page = request.POST.get("page", "")
    return redirect(
        f"{url}?page={page}#note-{note.pk}" if page.isdigit() else f"{url}#note-{note.pk}"
    )
