"""Courses listen to people: joining a team brings the team's standing assignments."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from people.models import Membership


@receiver(post_save, sender=Membership, dispatch_uid="courses_assign_newcomer")
def assign_newcomer(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.ended_at is None:
        from .services import assign_newcomer as give

        give(instance)
