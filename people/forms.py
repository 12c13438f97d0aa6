from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .importing import ImportFileError, decode_upload, read_import
from .models import Role, Team, User


def clean_unique_employee_number(number, *, person=None):
    """An employee number is optional, but two people never share one."""
    number = number.strip()
    others = User.objects.exclude(pk=person.pk) if person else User.objects.all()
    if number and others.filter(employee_number=number).exists():
        raise forms.ValidationError(_("Someone else already has this employee number."))
    return number


def team_field(help_text):
    return forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=_("No team"),
        help_text=help_text,
    )


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.AGENT)
    team = team_field(_("Agents join this team; supervisors become one of its supervisors."))
    employee_number = forms.CharField(label=_("Employee number"), max_length=30, required=False)

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


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["wants_reminders"]
