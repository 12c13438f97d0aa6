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


@register.simple_tag(takes_context=True)
def page_after_second_factor(context):
    """Where a person sent to enrol a second factor was going (else home)."""
    from people.two_factor import page_after_enrolment

    return page_after_enrolment(context["request"])


@register.filter
def must_use_second_factor(person):
    """people.policy.must_use_second_factor, for a template."""
    from people.policy import must_use_second_factor as rule

    return rule(person)
