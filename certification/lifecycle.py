"""What happens to certificates over time, run daily by `manage.py process_certificates`
and, for behaviour, whenever new attitude evidence arrives."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from attitude.selectors import profile_for
from courses.models import Assignment
from courses.services import give_assignment
from people.models import Notification
from people.notifications import notify

from .models import Certificate, CertificateEvent, Programme

WARNING_DAYS = 30


def _notify(certificate, kind, template):
    """The holder and their current supervisors are told, each on the channels they want
    (the supervisors' text names the holder), in the caller's transaction."""
    holder = certificate.person
    team = holder.current_team
    params = {
        "programme": certificate.programme.name,
        "expires_on": timezone.localtime(certificate.expires_at).date(),
    }
    email = (f"certification/email/{template}", {"certificate": certificate})
    notify(person=holder, kind=kind, params=params, url=reverse("certification:mine"), email=email)
    for supervisor in team.supervisors.filter(is_active=True) if team is not None else []:
        notify(
            person=supervisor,
            kind=kind,
            params={**params, "holder": holder.full_name},
            url=reverse("certification:agent_detail", kwargs={"pk": holder.pk}),
            email=email,
        )


def warn_expiring(today=None):
    """Thirty days before expiry, once per certificate: each warning is sent and recorded
    under the certificate's row lock after checking again that it is still due, so two runs
    at once warn once."""
    today = today or timezone.localdate()
    due = Certificate.objects.filter(
        revoked_at__isnull=True,
        expiry_warned_on__isnull=True,
        expires_at__date__gt=today,
        expires_at__date__lte=today + timedelta(days=WARNING_DAYS),
    )
    count = 0
    for pk in list(due.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            certificate = (
                due.select_for_update(of=("self",))
                .select_related("person", "programme")
                .filter(pk=pk)
                .first()
            )
            if certificate is None:  # revoked or warned meanwhile
                continue
            _notify(certificate, Notification.Kind.CERTIFICATE_EXPIRING, "expiring")
            Certificate.objects.filter(pk=pk).update(expiry_warned_on=today)
            count += 1
    return count


def handle_expired(today=None):
    """On the day a certificate expires: its status changes (by date), the holder and
    supervisor are told, and the programme's courses are assigned again for recertification
    (due in 30 days). Once per certificate: each one is handled in its own transaction under
    its row lock, after checking again that it is neither revoked nor handled, so a revoke
    or a second run at the same moment never doubles it."""
    today = today or timezone.localdate()
    due = Certificate.objects.filter(
        revoked_at__isnull=True, expired_on__isnull=True, expires_at__date__lte=today
    )
    count = 0
    for pk in list(due.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            certificate = (
                due.select_for_update(of=("self",))
                .select_related("person", "programme")
                .filter(pk=pk)
                .first()
            )
            if certificate is None:  # revoked or handled meanwhile
                continue
            with translation.override("es"):  # stored text, read by the agent: Spanish first
                note = translation.gettext("Recertification: %(programme)s") % {
                    "programme": certificate.programme.name
                }
            for course in certificate.programme.courses.all():
                give_assignment(
                    person=certificate.person,
                    course=course,
                    due_on=today + timedelta(days=30),
                    note=note,
                )
            _notify(certificate, Notification.Kind.CERTIFICATE_EXPIRED, "expired")
            Certificate.objects.filter(pk=pk).update(expired_on=today)
            CertificateEvent.objects.create(certificate=certificate, action="expired")
            count += 1
    return count


def assign_refreshers(person, today=None):
    """Every programme rule whose dimension the person now scores below its threshold (with
    enough evidence to say so) assigns its refresher course, with the reason in the note."""
    today = today or timezone.localdate()
    rules = [
        rule for p in Programme.objects.filter(is_active=True) for rule in p.refresher_rules.all()
    ]
    if not rules:
        return []
    scores = {d.dimension.pk: d for d in profile_for(person).dimensions}
    given = []
    for rule in rules:
        score = scores.get(rule.dimension_id)
        if score is None or not score.sufficient or score.percent >= rule.below_percent:
            continue
        if Assignment.objects.active().filter(person=person, course=rule.course).exists():
            continue
        with translation.override("es"):
            note = (
                f"Repaso: tu puntuación en {rule.dimension.name} es del {score.percent} %, "
                f"por debajo del {rule.below_percent} % que pide el programa."
            )
        reason = {
            "dimension": rule.dimension.name,
            "percent": score.percent,
            "threshold": rule.below_percent,
        }
        assignment = give_assignment(
            person=person,
            course=rule.course,
            due_on=today + timedelta(days=rule.days_to_complete),
            note=note,
            notice=(Notification.Kind.REFRESHER, reason),
        )
        given.append(assignment)
    return given
