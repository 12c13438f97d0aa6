import re
import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allauth.account.forms import ResetPasswordForm, ResetPasswordKeyForm, SetPasswordForm

from .importing import ImportFileError, decode_upload, read_import
from .models import Channel, ReportFrequency, Role, SubmittedForm, Team, User
from .text import plain_text

# The largest key a 64-bit integer column holds, on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


def parse_id(value):
    """An id from a URL or a form (a string of digits a database key can hold), or None."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
        return int(value)
    return None


def model_max_length(model, name):
    return model._meta.get_field(name).max_length


class IdChoiceField(forms.ModelChoiceField):
    """A model choice by id that answers "not one of the choices" for an id no database
    column can hold, instead of querying with it (a page's id is a foreign key, which
    Django does not range-check)."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Django checks the ids of a multiple choice with a `pk__in` query, which fails on an id
    no database column can hold (a 20-digit number); such an id is an invalid choice."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class PlainTextField(forms.CharField):
    """Free text as `people.text.plain_text` stores it (tags removed); text that is only
    markup counts as empty, so the form says so instead of the service refusing it."""

    def to_python(self, value):
        value = super().to_python(value)
        return plain_text(value, len(value)) if value else value


def search_text(value, max_length=100):
    """A search or filter box's text: control characters (NUL…) removed, trimmed, cut."""
    value = "".join(c for c in (value or "") if c >= " " or c == "\t")
    return value.strip()[:max_length]


def filters_querystring(request):
    """A list page's filters as a query string, without the page number: what its pagination
    and export links carry on."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def clean_unique_employee_number(number, *, person=None):
    """An employee number is optional, but two people never share one."""
    number = number.strip()
    others = User.objects.exclude(pk=person.pk) if person else User.objects.all()
    if number and others.filter(employee_number=number).exists():
        raise forms.ValidationError(_("Someone else already has this employee number."))
    return number


def team_field(help_text):
    return IdChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=_("No team"),
        help_text=help_text,
    )


class SubmitOnce(forms.Form):
    """A create form that a repeated submit (a double click, a resent POST) applies once.

    Each rendering carries a fresh one-time token in a hidden field; the view creates only
    when `first_submission()` claims the token, inside the same transaction as the
    creation, so a failed creation frees the token again. A POST without a token (an old
    page, a script) is applied as before."""

    submit_token = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=secrets.token_urlsafe
    )
    # Tokens are kept a day: long enough for any resent form, short enough to stay small.
    TOKEN_LIFETIME = timedelta(days=1)

    def clean(self):
        cleaned = super().clean()
        self.submit_token = cleaned.pop("submit_token", "") or ""
        return cleaned

    def first_submission(self, person):
        """True when this submission is the first with its token (claiming it), False for a
        repeat. Call it inside the transaction that creates."""
        if not self.submit_token:
            return True
        SubmittedForm.objects.filter(submitted_at__lt=timezone.now() - self.TOKEN_LIFETIME).delete()
        try:
            with transaction.atomic():
                SubmittedForm.objects.create(
                    token=self.submit_token,
                    person=person if getattr(person, "pk", None) else None,
                )
        except IntegrityError:
            return False
        return True

    @staticmethod
    def already_submitted(data):
        """Whether the POST `data` repeats a submission already applied: for a two-step form
        (preview, then confirm) whose second POST no longer validates once applied — the
        records it named are gone — and should just go back instead of showing errors."""
        token = str(data.get("submit_token") or "")
        # Only a token as the form makes them is looked up (no NUL, which PostgreSQL refuses).
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", token):
            return False
        return SubmittedForm.objects.filter(token=token).exists()


class PersonForm(SubmitOnce):
    email = forms.EmailField(label=_("Email"), max_length=model_max_length(User, "email"))
    full_name = forms.CharField(
        label=_("Full name"), max_length=model_max_length(User, "full_name")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.AGENT)
    team = team_field(_("Agents join this team; supervisors become one of its supervisors."))
    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=model_max_length(User, "employee_number"),
        required=False,
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone with this email already exists."))
        return email

    def clean_employee_number(self):
        return clean_unique_employee_number(self.cleaned_data["employee_number"])


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, nombre, equipo, rol, número de empleado. "
            "The first line names the columns; UTF-8 is preferred."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PEOPLE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": settings.PEOPLE_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        try:
            text, encoding = decode_upload(upload.read())
            read_import(text)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        self.cleaned_data["text"] = text
        self.cleaned_data["encoding"] = encoding
        return upload


class PersonEditForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    team = team_field(_("Changing the team keeps the previous one in the history."))

    class Meta:
        model = User
        fields = ["full_name", "employee_number", "is_active"]
        labels = {"is_active": _("Can sign in")}
        help_texts = {
            "is_active": _("Untick when the person leaves: their records stay, the account closes.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].initial = [role.value for role in self.instance.roles]
        self.fields["team"].initial = self.instance.current_team

    def clean_employee_number(self):
        return clean_unique_employee_number(
            self.cleaned_data["employee_number"], person=self.instance
        )


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind of notification and channel, ticked as the person has it now; a
    channel that cannot be turned off is shown ticked and disabled. Kinds only supervisors
    and HR receive are offered to them alone."""

    def __init__(self, *args, person, **kwargs):
        from .notifications import LOCKED, kinds_for, preferences

        super().__init__(*args, **kwargs)
        current = preferences(person)
        self.kinds = kinds_for(person)
        for kind in self.kinds:
            for channel in Channel:
                self.fields[self.field_name(kind, channel)] = forms.BooleanField(
                    label=f"{kind.label}: {channel.label}",
                    required=False,
                    initial=current[(kind, channel)],
                    disabled=(kind, channel) in LOCKED,
                )

    @staticmethod
    def field_name(kind, channel):
        return f"{kind.value}__{channel.value}"

    def rows(self):
        """(kind, [bound field per channel]) in the order of Notification.Kind."""
        return [
            (kind, [self[self.field_name(kind, channel)] for channel in Channel])
            for kind in self.kinds
        ]

    def choices(self):
        """{(kind, channel): enabled} from the cleaned data."""
        return {
            (kind, channel): self.cleaned_data[self.field_name(kind, channel)]
            for kind in self.kinds
            for channel in Channel
        }


class ScheduleReportForm(forms.Form):
    """How often a saved report is emailed."""

    frequency = forms.ChoiceField(
        label=_("Send it to me"),
        choices=ReportFrequency.choices,
        initial=ReportFrequency.WEEKLY,
        widget=forms.RadioSelect,
        help_text=_(
            "Weekly reports are sent at the start of each week, monthly ones at the start of "
            "each month."
        ),
    )


class SsoAwareResetPasswordForm(ResetPasswordForm):
    """allauth's password reset, refused for an address whose domain must use single
    sign-on (people.sso.password_refusal): its people have no password in Actitud."""

    def clean_email(self):
        from .sso import refuse_password

        email = super().clean_email()
        refuse_password(email)
        return email


class SsoRefusesPasswordMixin:
    """A form that chooses a password for `self.user` (from an invitation or reset link, or
    once signed in) is refused for an address whose domain must use single sign-on
    (people.sso.password_refusal): the page shows the refusal and the IdP's button instead
    of the password fields, and a posted password is never saved."""

    def __init__(self, *args, **kwargs):
        from .sso import password_refusal

        super().__init__(*args, **kwargs)
        self.sso_refusal = password_refusal(self.user.email) if self.user else None

    def clean(self):
        if self.sso_refusal:
            raise forms.ValidationError(self.sso_refusal.message, code="sso_domain")
        return super().clean()


class SsoAwareResetPasswordKeyForm(SsoRefusesPasswordMixin, ResetPasswordKeyForm):
    """The page of the invitation link (and of a reset link): allauth's, by the SSO rule."""


class SsoAwareSetPasswordForm(SsoRefusesPasswordMixin, SetPasswordForm):
    """Setting a first password once signed in: allauth's, by the SSO rule."""
