from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .manifest import inspect


class ScormPackageForm(WagtailAdminModelForm):
    """The admin's upload form: the zip is checked (scorm.manifest) when the form is
    validated, so every error shows beside the field; saving unpacks it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the title in the package.")
        self.fields["file"].help_text = _(
            "A SCORM 1.2 or SCORM 2004 (3rd or 4th edition) package: a .zip file with "
            "imsmanifest.xml at its top level."
        )
        self.fields["file"].widget = forms.ClearableFileInput(attrs={"accept": ".zip"})

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            inspect(upload)
        return upload

    def save(self, commit=True):
        from .services import store_package

        package = super().save(commit=False)
        if "file" in self.changed_data:
            upload = self.cleaned_data["file"]
            if not commit:
                return package
            return store_package(package=package, upload=upload, user=self.for_user)
        if commit:
            package.save()
        return package
