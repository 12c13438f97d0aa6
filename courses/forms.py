from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from people.forms import IdChoiceField, IdsChoiceField, SubmitOnce
from people.models import Membership, User, by_name
from people.policy import manageable_teams

from .models import CoursePage

# Due dates further ahead than this are typing mistakes (2200-01-01), and dates near the end
# of the calendar (9999-12-31) leave no room for the reminders computed from them.
MAX_DUE_YEARS = 5


class DueDateField(forms.DateField):
    """A due date from today to MAX_DUE_YEARS years ahead."""

    widget = forms.DateInput(attrs={"type": "date"})

    def validate(self, value):
        super().validate(value)
        today = timezone.localdate()
        if value and value < today:
            raise forms.ValidationError(_("The due date cannot be in the past."))
        latest = today.replace(year=today.year + MAX_DUE_YEARS, day=min(today.day, 28))
        if value and value > latest:
            raise forms.ValidationError(
                _("The due date cannot be later than %(date)s.")
                % {"date": formats.date_format(latest, "DATE_FORMAT")}
            )


class AssignForm(SubmitOnce):
    """Assign a course to a team, or to some of its members."""

    course = IdChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    team = IdChoiceField(label=_("Team"), queryset=None)
    people = IdsChoiceField(
        label=_("Only these people"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave everyone unticked to assign it to the whole team, including people who "
            "join later."
        ),
    )
    due_on = DueDateField(label=_("Due date"))
    note = forms.CharField(
        label=_("Note for the learners"), required=False, max_length=1000, widget=forms.Textarea
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        teams = manageable_teams(actor).order_by("name")
        self.fields["team"].queryset = teams
        self.fields["course"].queryset = CoursePage.objects.live().order_by("path")
        members = Membership.objects.current().filter(team__in=teams)
        self.fields["people"].queryset = User.objects.filter(
            pk__in=members.values("person")
        ).order_by(*by_name())
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()

    def clean(self):
        cleaned = super().clean()
        team, people = cleaned.get("team"), cleaned.get("people")
        if team and people:
            in_team = set(
                Membership.objects.current().filter(team=team).values_list("person", flat=True)
            )
            outside = [p.full_name for p in people if p.pk not in in_team]
            if outside:
                self.add_error(
                    "people",
                    _("Not in %(team)s: %(names)s.") % {"team": team, "names": ", ".join(outside)},
                )
        return cleaned


class DueDateForm(forms.Form):
    due_on = DueDateField(label=_("New due date"))


class OnboardingRuleForm(forms.Form):
    course = IdChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    days = forms.IntegerField(
        label=_("Days to complete it after joining"), min_value=1, max_value=365, initial=30
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("path")


class AssignmentFilterForm(forms.Form):
    """The filters of the assignments list (and its exports and scheduled reports); they
    travel in the URL. Teams are those the viewer directs."""

    team = IdChoiceField(label=_("Team"), queryset=None, required=False)
    course = IdChoiceField(label=_("Course"), queryset=CoursePage.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)

    def __init__(self, data=None, *, viewer, **kwargs):
        from .models import AssignmentStatus

        super().__init__(data, **kwargs)
        self.fields["team"].queryset = manageable_teams(viewer).order_by("name")
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["status"].choices = [("", _("Any")), *AssignmentStatus.choices]


class AuditFilterForm(forms.Form):
    """The audit log's search and source, as its page reads them; for scheduled reports."""

    q = forms.CharField(
        label=_("Person, course, programme or author"), required=False, max_length=100
    )
    source = forms.ChoiceField(label=_("Events"), required=False)

    def __init__(self, data=None, *, viewer=None, **kwargs):
        from .audit import audit_sources

        super().__init__(data, **kwargs)
        self.fields["source"].choices = [("", _("All"))] + [
            (source.key, source.label) for source in audit_sources()
        ]
