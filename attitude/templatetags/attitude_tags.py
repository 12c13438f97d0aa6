from django import template

from attitude.models import CriticalReason

register = template.Library()


@register.filter
def critical_reason_label(value):
    """The label of a stored critical reason ("" when none or no longer known)."""
    try:
        return CriticalReason(value).label
    except ValueError:
        return ""
