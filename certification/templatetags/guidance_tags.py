from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def due_phrase(due_on, today=None):
    """How far a due date is, as people say it: "vence en 3 días", "vence hoy", "venció hace
    2 días"."""
    days = (due_on - (today or timezone.localdate())).days
    if days < 0:
        return ngettext("overdue by %(days)d day", "overdue by %(days)d days", -days) % {
            "days": -days
        }
    if days == 0:
        return _("due today")
    if days == 1:
        return _("due tomorrow")
    return ngettext("due in %(days)d day", "due in %(days)d days", days) % {"days": days}
