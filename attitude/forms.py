from django import forms
from django.utils.translation import gettext_lazy as _

SCALE = [
    (1, _("Rarely")),
    (2, _("Sometimes")),
    (3, _("Often")),
    (4, _("Almost always")),
    (5, _("Always")),
]


class SelfAssessmentForm(forms.Form):
    """One 1–5 rating per service dimension, labelled with its self-assessment statement."""

    def __init__(self, *args, dimensions, initial_ratings=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_ratings = initial_ratings or {}
        for dimension in dimensions:
            self.fields[dimension.slug] = forms.TypedChoiceField(
                label=dimension.statement or dimension.label,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                initial=initial_ratings.get(dimension.slug),
                error_messages={"required": _("Choose how often this describes you.")},
            )
