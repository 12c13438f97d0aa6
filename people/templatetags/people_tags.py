from django import template

from people.models import Role

register = template.Library()


@register.filter
def role_label(name):
    """A role group's name ("Agente") as the role's label in the active language ("Agent");
    other groups keep their name."""
    try:
        return Role(name).label
    except ValueError:
        return name
