"""Certification listens: a completed course, a submitted quiz or new attitude evidence may
complete a programme, so the person's programmes are checked once the change is committed."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from attitude.models import EvidenceRecord
from attitude.services import evidence_rewritten
from courses.models import Enrolment


def _check_later(person_id):
    def check():
        from people.models import User

        from .lifecycle import assign_refreshers
        from .services import check_person

        person = User.objects.filter(pk=person_id).first()
        if person is not None:
            check_person(person)
            assign_refreshers(person)

    transaction.on_commit(check)


@receiver(post_save, sender=Enrolment, dispatch_uid="certification_enrolment")
def enrolment_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.completed_at is not None:
        _check_later(instance.person_id)


@receiver(post_save, sender=EvidenceRecord, dispatch_uid="certification_evidence")
def evidence_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _check_later(instance.person_id)


@receiver(evidence_rewritten, dispatch_uid="certification_evidence_rewritten")
def evidence_rescored(sender, person_id, **kwargs):
    _check_later(person_id)
