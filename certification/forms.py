from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.forms import DueDateField
from people.forms import IdChoiceField, PlainTextField, SubmitOnce
from people.models import Team
from quizzes.models import Attempt
from scenarios.models import Run

from .models import CertificateStatus, NoteKind, Programme


class CertificateFilterForm(forms.Form):
    """HR's filters; they travel in the URL so a filtered list can be bookmarked or shared."""

    programme = IdChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False
    )
    team = IdChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any"))] + CertificateStatus.choices, required=False
    )
    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)
    issued_from = forms.DateField(
        label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label=_("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


def _not_in_the_past(day):
    if day is not None and day < timezone.localdate():
        raise forms.ValidationError(_("Choose today or a later day."))
    return day


class CoachingNoteFields(forms.Form):
    """What the author writes and may later change: the text, who sees it, a follow-up."""

    text = PlainTextField(
        label=_("Coaching note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(
        label=_("Who sees it"),
        choices=NoteKind.choices,
        initial=NoteKind.PRIVATE,
        required=False,  # a note is private unless it says otherwise
        widget=forms.RadioSelect,
        help_text=_("Shared feedback appears on the agent's page and they are told about it."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("It appears in My team on that day."),
    )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or NoteKind.PRIVATE


class CoachingNoteForm(SubmitOnce, CoachingNoteFields):
    """A new note on `person`, optionally about one of their attempts or runs (hidden
    fields, set through `initial`, e.g. `{"run": run.pk, "position": 3}`)."""

    attempt = IdChoiceField(
        queryset=Attempt.objects.none(), required=False, widget=forms.HiddenInput
    )
    run = IdChoiceField(queryset=Run.objects.none(), required=False, widget=forms.HiddenInput)
    position = forms.IntegerField(
        min_value=1, max_value=32767, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attempt"].queryset = Attempt.objects.filter(person=person)
        self.fields["run"].queryset = Run.objects.filter(person=person)

    def clean_follow_up_on(self):
        return _not_in_the_past(self.cleaned_data.get("follow_up_on"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attempt") and cleaned.get("run"):
            raise forms.ValidationError(_("A note is about a quiz attempt or a role-play."))
        if cleaned.get("position") and not (cleaned.get("attempt") or cleaned.get("run")):
            cleaned["position"] = None
        return cleaned


class CoachingNoteEditForm(CoachingNoteFields):
    """An edit of a note; a follow-up date already past may stay as it was."""

    def __init__(self, *args, note, **kwargs):
        kwargs.setdefault(
            "initial",
            {"text": note.text, "kind": note.kind, "follow_up_on": note.follow_up_on},
        )
        super().__init__(*args, **kwargs)
        self.note = note
        self.fields["text"].label = _("Text")

    def clean_follow_up_on(self):
        day = self.cleaned_data.get("follow_up_on")
        return day if day == self.note.follow_up_on else _not_in_the_past(day)


class RetakeForm(SubmitOnce):
    """Asking an agent to repeat a quiz or role-play by a date."""

    due_on = DueDateField(label=_("Due date"))


class NudgeForm(SubmitOnce):
    """A reminder to repeat, without a date: the confirmation is the form."""


class ReviewNoteForm(CoachingNoteForm):
    """A new note from the review of an attempt or a run: the fields of CoachingNoteForm,
    with the question or choice it is about picked from a list (`positions`: [(number,
    label)]) instead of hidden. It posts to certification:add_note like any other."""

    def __init__(self, *args, positions, whole, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"] = forms.TypedChoiceField(
            label=_("About"),
            choices=[("", whole), *positions],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.order_fields(["position", "text", "kind", "follow_up_on"])
