"""The supervisor's coaching from evidence: an agent's quiz attempt or role-play run opened
for review, coaching notes tied to it (and to one of its questions or choices), and asking
the agent to repeat it — by a date, or as a nudge. Who may do it: people.policy.can_coach."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from attitude.selectors import record_dimensions
from people.policy import can_coach, can_edit_coaching_note
from quizzes.models import Attempt
from scenarios.models import Run

from . import selectors
from .forms import NudgeForm, RetakeForm, ReviewNoteForm
from .models import CoachingNote, Retake
from .services import CannotRetake, request_retake, retake_blocker

SOURCES = {"attempt", "run"}


def _reviewed(request, source, pk):
    """The submitted attempt or finished run `pk`, when the viewer may coach its agent: 403
    for anyone who coaches nobody (and for one's own), 404 for someone else's agent."""
    viewer = request.user
    if not (viewer.is_supervisor or viewer.is_hr):
        raise PermissionDenied
    if source == "attempt":
        activity = get_object_or_404(
            Attempt.objects.submitted().select_related("quiz", "person"), pk=pk
        )
    else:
        activity = get_object_or_404(
            Run.objects.filter(finished_at__isnull=False).select_related("scenario", "person"),
            pk=pk,
        )
    if activity.person_id == viewer.pk:
        raise PermissionDenied
    if not can_coach(viewer, activity.person):
        raise Http404
    return activity


def _step(source, activity):
    return activity.quiz if source == "attempt" else activity.scenario


def _review_url(source, activity):
    return reverse(f"certification:{source}_review", args=[activity.pk])


def _open_retake(person, step):
    return Retake.objects.open().filter(person=person, step_id=step.pk).first()


def _notes(request, source, activity, items, label):
    """The coaching notes about this attempt or run, each beside the question or choice it is
    about (`item["notes"]`) or, about the whole, in the list returned; and the form for a new
    one, its "About" list preset from `?position=`. Two queries for any number of notes."""
    viewer = request.user
    notes = list(
        CoachingNote.objects.filter(**{source: activity})
        .with_history()
        .select_related("attempt__quiz", "run__scenario")
        .order_by("created_at", "pk")
    )
    for note in notes:
        # The page was opened through can_coach: the viewer coaches the person.
        note.editable = can_edit_coaching_note(viewer, note, may_coach=True)
    for item in items:
        item["notes"] = [note for note in notes if note.position == item["position"]]
    position = request.GET.get("position", "")
    form = ReviewNoteForm(
        person=activity.person,
        initial={source: activity.pk, "position": position if position.isdigit() else ""},
        positions=[(item["position"], label % {"number": item["position"]}) for item in items],
        whole=_("The whole attempt") if source == "attempt" else _("The whole role-play"),
    )
    known = {item["position"] for item in items}
    return [note for note in notes if note.position not in known], form


@login_required
def attempt_review(request, pk):
    """A quiz attempt for the agent's supervisor or HR: each question with the agent's answer
    beside the key, the feedback, the explanation and what it showed on each dimension;
    critical answers highlighted and numbered (#critical-1 is the first)."""
    attempt = _reviewed(request, "attempt", pk)
    items = selectors.attempt_review(attempt)
    notes, note_form = _notes(request, "attempt", attempt, items, _("Question %(number)s"))
    return render(
        request,
        "certification/attempt_review.html",
        {
            "person": attempt.person,
            "attempt": attempt,
            "quiz": attempt.quiz,
            "items": items,
            "critical_items": [item for item in items if item["critical"]],
            "dimensions": record_dimensions(source="quiz", reference=f"attempt-{attempt.pk}"),
            "open_retake": _open_retake(attempt.person, attempt.quiz),
            "retake_blocker": retake_blocker(person=attempt.person, step=attempt.quiz),
            "notes": notes,
            "note_form": note_form,
            "action": reverse("certification:add_note", args=[attempt.person_id]),
            "review_url": request.path,
        },
    )


@login_required
def run_review(request, pk):
    """A role-play run for the agent's supervisor or HR: the transcript, each customer line
    with the agent's choice, its feedback, what it showed on each dimension and the best
    choice offered there; critical choices highlighted and numbered (#critical-1)."""
    run = _reviewed(request, "run", pk)
    entries = selectors.run_review(run)
    notes, note_form = _notes(request, "run", run, entries, _("Choice %(number)s"))
    return render(
        request,
        "certification/run_review.html",
        {
            "person": run.person,
            "run": run,
            "scenario": run.scenario,
            "entries": entries,
            "critical_entries": [entry for entry in entries if entry["critical"]],
            "ending": run.graph["endings"].get(run.ending_key),
            "dimensions": record_dimensions(source="scenario", reference=f"run-{run.pk}"),
            "open_retake": _open_retake(run.person, run.scenario),
            "retake_blocker": retake_blocker(person=run.person, step=run.scenario),
            "notes": notes,
            "note_form": note_form,
            "action": reverse("certification:add_note", args=[run.person_id]),
            "review_url": request.path,
        },
    )


@login_required
def retake(request, source, pk, nudge=False):
    """Ask the agent to repeat the quiz or role-play of this attempt or run: by a due date, or
    (`nudge`) without one. The page says whom it tells and how before anything is sent."""
    if source not in SOURCES:
        raise Http404
    activity = _reviewed(request, source, pk)
    person, step = activity.person, _step(source, activity)
    back = _review_url(source, activity)
    form = (NudgeForm if nudge else RetakeForm)(request.POST if request.method == "POST" else None)
    blocker = retake_blocker(person=person, step=step)
    if request.method == "POST" and form.is_valid() and not blocker:
        due_on = form.cleaned_data.get("due_on")
        try:
            with transaction.atomic():
                if form.first_submission(request.user):
                    request_retake(
                        person=person, step=step, requested_by=request.user, due_on=due_on
                    )
                    if due_on:
                        message = _("%(name)s was asked to repeat “%(title)s” by %(date)s.") % {
                            "name": person.full_name,
                            "title": step.title,
                            "date": formats.date_format(due_on, "DATE_FORMAT"),
                        }
                    else:
                        message = _("%(name)s was reminded to repeat “%(title)s”.") % {
                            "name": person.full_name,
                            "title": step.title,
                        }
                    messages.success(request, message)
        except CannotRetake as refused:
            messages.error(request, str(refused))
        return redirect(back)
    return render(
        request,
        "certification/retake.html",
        {
            "person": person,
            "step": step,
            "source": source,
            "activity": activity,
            "back": back,
            "form": form,
            "nudge": nudge,
            "blocker": blocker,
            "open_retake": _open_retake(person, step),
        },
    )
