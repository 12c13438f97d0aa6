"""Courses listen to people: joining a team brings the team's standing assignments."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from people.models import Membership, Role, User


@receiver(post_save, sender=Membership, dispatch_uid="courses_assign_newcomer")
def assign_newcomer(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.ended_at is None:
        from .services import assign_newcomer as give

        give(instance)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="courses_onboard_agents")
def onboard_new_agent(sender, instance, action, pk_set, reverse=False, **kwargs):
    """Becoming an agent (the Agente group) brings the onboarding courses."""
    if action != "post_add" or reverse or not pk_set:
        return
    from django.contrib.auth.models import Group

    if Group.objects.filter(pk__in=pk_set, name=Role.AGENT).exists():
        from .services import onboard

        onboard(instance)
