from django import forms
from django.utils.translation import gettext_lazy as _

from courses.forms import DueDateField
from people.forms import IdChoiceField, PlainTextField, SubmitOnce
from people.models import Team

from .models import CertificateStatus, Programme


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


class CoachingNoteForm(SubmitOnce):
    text = PlainTextField(
        label=_("New coaching note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only supervisors and HR can read it."),
    )


class RetakeForm(SubmitOnce):
    """Asking an agent to repeat a quiz or role-play by a date."""

    due_on = DueDateField(label=_("Due date"))


class NudgeForm(SubmitOnce):
    """A reminder to repeat, without a date: the confirmation is the form."""
