"""StreamField blocks for a scenario's graph: customer lines with the agent's choices, and
endings. Lines and endings carry author-set keys (short words such as "inicio" or "calma");
a choice names the key of what follows. StreamField block ids are not used as keys, since
duplicating a block copies its id."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from attitude.models import CriticalReason

KEY_VALIDATOR = RegexValidator(
    r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$",
    _("Use lowercase letters, digits and hyphens, e.g. “cliente-calmado”."),
)
MOODS = [
    ("tranquilo", _("calm")),
    ("preocupado", _("worried")),
    ("molesto", _("annoyed")),
    ("enfadado", _("angry")),
    ("furioso", _("furious")),
    ("satisfecho", _("satisfied")),
    ("contento", _("happy")),
]
OUTCOMES = [
    ("fidelizado", _("loyal customer")),
    ("resuelto", _("resolved")),
    ("escalado", _("escalated")),
    ("perdido", _("lost")),
]
WEIGHTS = [("2", "+2"), ("1", "+1"), ("0", "0"), ("-1", "−1"), ("-2", "−2")]


class _AttrsCharBlock(blocks.CharBlock):
    """A CharBlock whose text input carries extra attributes. The widget is presentation
    only, so it deconstructs as a plain CharBlock and changes no migration."""

    widget_attrs = {}
    widget_media = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = {**self.field.widget.attrs, **self.widget_attrs}
        widget_class = type(
            "ScenarioKeyInput",
            (forms.TextInput,),
            {"Media": type("Media", (), {"js": self.widget_media or []})},
        )
        self.field.widget = widget_class(attrs=attrs)

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.CharBlock", args, kwargs


class NodeKeyBlock(_AttrsCharBlock):
    """The key of a customer line or ending: what a choice's "Leads to" names."""

    widget_attrs = {"data-scenario-key": ""}


class LeadsToBlock(_AttrsCharBlock):
    """A choice's "Leads to": offers the keys of the scenario's lines and endings from a
    datalist that js/scenario-keys.js fills from the stream as the editor types. It stays a
    text field, so a key typed before its line exists is kept; the graph validation on the
    server (graph.problems) is the rule."""

    widget_attrs = {"list": "scenario-keys", "data-scenario-next": "", "autocomplete": "off"}
    widget_media = ["js/scenario-keys.js"]


def dimension_choices():
    from attitude.models import ServiceDimension

    return ServiceDimension.objects.labels()


class DimensionChoiceBlock(blocks.ChoiceBlock):
    """The dimension a weight scores: a ChoiceBlock over the dimensions' slugs. Reading a
    stored slug keeps it as it is; Wagtail's ChoiceBlock would normalise it against the
    choices, which run a query for every weight in the conversation (57 of the scenario
    analytics page's 71 queries). The choices are still read when the editor's form is
    built and when a value is cleaned. Wagtail deconstructs it as a plain ChoiceBlock, so no
    migration changes."""

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return super().to_python(value)


class WeightBlock(blocks.StructBlock):
    dimension = DimensionChoiceBlock(choices=dimension_choices, label=_("Dimension"))
    weight = blocks.ChoiceBlock(choices=WEIGHTS, label=_("Weight"))

    class Meta:
        icon = "pick"
        label = _("Dimension weight")


class AgentChoiceBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("What the agent says"))
    feedback = blocks.TextBlock(label=_("Feedback"), required=False)
    next = LeadsToBlock(
        label=_("Leads to"),
        required=False,
        max_length=60,
        validators=[KEY_VALIDATOR],
        help_text=_("The key of the next customer line or ending. Critical choices end the run."),
    )
    critical = blocks.BooleanBlock(
        label=_("Critical"),
        required=False,
        help_text=_(
            "Lies to, insults or discriminates against the customer, leaks their data, gives "
            "unsafe advice or changes something without consent: the run ends as a failure."
        ),
    )
    critical_reason = blocks.ChoiceBlock(
        choices=CriticalReason.choices,
        label=_("Why it is critical"),
        required=False,
        help_text=_(
            "Required for a critical choice. Defensiveness, coldness or a poor procedure are "
            "scored low, not critical."
        ),
    )
    key = blocks.CharBlock(
        label=_("Key"),
        required=False,
        max_length=60,
        validators=[KEY_VALIDATOR],
        help_text=_("Optional: keeps this choice's statistics when choices are reordered."),
    )
    weights = blocks.ListBlock(WeightBlock(), label=_("Dimension weights"), default=[])

    class Meta:
        icon = "user"
        label = _("Agent choice")

    def clean(self, value):
        """A critical choice says why it is critical; only a critical one carries a reason."""
        value = super().clean(value)
        if value.get("critical") and not value.get("critical_reason"):
            raise StructBlockValidationError(
                block_errors={
                    "critical_reason": ValidationError(_("Say why this choice is critical."))
                }
            )
        if value.get("critical_reason") and not value.get("critical"):
            raise StructBlockValidationError(
                block_errors={
                    "critical_reason": ValidationError(
                        _("Only a critical choice has a reason for being critical.")
                    )
                }
            )
        return value


class CustomerLineBlock(blocks.StructBlock):
    key = NodeKeyBlock(label=_("Key"), max_length=60, validators=[KEY_VALIDATOR])
    mood = blocks.ChoiceBlock(choices=MOODS, label=_("Customer's mood"))
    text = blocks.TextBlock(label=_("What the customer says"))
    choices = blocks.ListBlock(AgentChoiceBlock(), label=_("Agent choices"), min_num=2)

    class Meta:
        icon = "openquote"
        label = _("Customer line")
        form_classname = "scenario-line"


class EndingBlock(blocks.StructBlock):
    key = NodeKeyBlock(label=_("Key"), max_length=60, validators=[KEY_VALIDATOR])
    outcome = blocks.ChoiceBlock(choices=OUTCOMES, label=_("Outcome"))
    text = blocks.TextBlock(label=_("The customer's last words"), required=False)
    debrief = blocks.TextBlock(label=_("Debrief"))

    class Meta:
        icon = "flag"
        label = _("Ending")


class ScenarioGraphBlock(blocks.StreamBlock):
    line = CustomerLineBlock()
    ending = EndingBlock()

    class Meta:
        block_counts = {"line": {"min_num": 1}, "ending": {"min_num": 1}}
