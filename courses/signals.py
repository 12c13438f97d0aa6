"""Courses listen to people: joining a team brings the team's standing assignments."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from people.models import Membership, Role, User
from people.signals import memberships_created


@receiver(post_save, sender=Membership, dispatch_uid="courses_assign_newcomer")
def assign_newcomer(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.ended_at is None:
        from .services import assign_newcomer as give

        give(instance)


@receiver(memberships_created, dispatch_uid="courses_assign_newcomers")
def assign_newcomers(sender, memberships, **kwargs):
    """People who joined teams in bulk (a CSV import) get the teams' standing assignments."""
    from .services import assign_newcomers as give

    give([m for m in memberships if m.ended_at is None])


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="courses_onboard_agents")
def onboard_new_agent(sender, instance, action, pk_set, reverse=False, **kwargs):
    """Becoming an agent (the Agente group) brings the onboarding courses: a person added to
    the group (`person.groups.add`) or people added to it at once (`group.user_set.add`)."""
    if action != "post_add" or not pk_set:
        return
    from django.contrib.auth.models import Group

    from .services import onboard, onboard_many

    if reverse:
        if instance.name == Role.AGENT:
            onboard_many(User.objects.filter(pk__in=pk_set))
    elif Group.objects.filter(pk__in=pk_set, name=Role.AGENT).exists():
        onboard(instance)
