"""An admin widget for an option's dimension weights: one select per service dimension, so
editors never type JSON. Stored as {"dimension-slug": weight}; unset means not measured."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

WEIGHT_CHOICES = [
    ("", _("not measured")),
    ("2", "+2"),
    ("1", "+1"),
    ("0", "0"),
    ("-1", "−1"),
    ("-2", "−2"),
]


def _dimensions():
    from attitude.models import ServiceDimension

    return ServiceDimension.objects.labels()


class DimensionWeightsWidget(forms.Widget):
    template_name = "quizzes/widgets/dimension_weights.html"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value or "{}")
            except ValueError:
                value = {}
        return value if isinstance(value, dict) else {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        current = self.format_value(value)
        context["widget"]["rows"] = [
            {
                "name": f"{name}__{slug}",
                "id": f"{context['widget']['attrs'].get('id', name)}__{slug}",
                "label": label,
                "value": "" if current.get(slug) is None else str(current[slug]),
            }
            for slug, label in _dimensions()
        ]
        context["widget"]["choices"] = WEIGHT_CHOICES
        return context

    def value_from_datadict(self, data, files, name):
        weights = {}
        for slug, _label in _dimensions():
            raw = data.get(f"{name}__{slug}", "")
            if raw not in ("", None):
                try:
                    weights[slug] = max(-2, min(2, int(raw)))
                except ValueError:
                    continue
        return json.dumps(weights)  # the JSON form field parses it

    def value_omitted_from_data(self, data, files, name):
        return False
