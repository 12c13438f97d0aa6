"""Issuing, revoking and reissuing certificates.

Certification reads from every other app and nothing reads from it: it hears about progress
through model signals (signals.py) and checks the person's programmes then.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from attitude.selectors import profile_for
from courses.models import Enrolment

from .models import Certificate, CertificateEvent, Programme


@dataclass
class Requirements:
    """Where a person stands against a programme: each requirement, met or not."""

    items: list = field(default_factory=list)  # [(label, met)]

    @property
    def met(self):
        return bool(self.items) and all(ok for _, ok in self.items)


def requirements(person, programme):
    """A programme is met when every required course is completed; every quiz in those
    courses has a submitted attempt at or above the programme's minimum (or passed, when no
    minimum is set); the overall attitude score reaches its minimum; and each dimension with
    a minimum reaches it (with sufficient evidence)."""
    from quizzes.models import Attempt, QuizPage

    result = Requirements()
    courses = list(programme.courses.all())
    done = set(
        Enrolment.objects.filter(
            person=person, course__in=courses, completed_at__isnull=False
        ).values_list("course", flat=True)
    )
    for course in courses:
        label = _("Course “%(title)s” completed") % {"title": course.title}
        result.items.append((label, course.pk in done))
    quizzes = [q for c in courses for q in QuizPage.objects.child_of(c).live()]
    best = dict(
        Attempt.objects.submitted()
        .filter(person=person, quiz__in=quizzes)
        .values("quiz")
        .annotate(best=Max("score"))
        .values_list("quiz", "best")
    )
    for quiz in quizzes:
        score = best.get(quiz.pk)
        needed = (
            programme.min_quiz_percent if programme.min_quiz_percent is not None else quiz.pass_mark
        )
        ok = score is not None and score * 100 >= needed
        label = _("“%(title)s” at %(needed)s%% or more") % {"title": quiz.title, "needed": needed}
        result.items.append((label, ok))
    minimums = list(programme.dimension_minimums.select_related("dimension"))
    if programme.min_attitude_percent is not None or minimums:
        profile = profile_for(person)
        if programme.min_attitude_percent is not None:
            overall = profile.overall_percent
            label = _("Overall attitude at %(needed)s%% or more") % {
                "needed": programme.min_attitude_percent
            }
            result.items.append(
                (label, overall is not None and overall >= programme.min_attitude_percent)
            )
        scores = {d.dimension.pk: d for d in profile.dimensions}
        for minimum in minimums:
            score = scores.get(minimum.dimension_id)
            ok = bool(score and score.sufficient and score.percent >= minimum.min_percent)
            label = _("%(dimension)s at %(needed)s%% or more") % {
                "dimension": minimum.dimension.label,
                "needed": minimum.min_percent,
            }
            result.items.append((label, ok))
    return result


def issue_if_met(*, person, programme, now=None):
    """Issue the certificate the moment the requirements are met — exactly once: nothing
    happens while a valid certificate exists. Issuers for the same person queue on a row
    lock and re-check after it, so simultaneous completions create one certificate (the
    unique cycle is a second line of defence)."""
    from people.models import User

    now = now or timezone.now()
    if not programme.is_active or not requirements(person, programme).met:
        return None
    certificates = Certificate.objects.filter(person=person, programme=programme)
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=person.pk).first()
            if certificates.current(now).exists():
                return None
            last = certificates.aggregate(n=Max("cycle"))["n"] or 0
            certificate = Certificate.objects.create(
                person=person,
                programme=programme,
                cycle=last + 1,
                issued_at=now,
                expires_at=programme.expiry_for(now),
            )
            CertificateEvent.objects.create(certificate=certificate, action="issued")
    except IntegrityError:
        return None
    return certificate


def check_person(person):
    """Check every active programme for one person (called when their progress changes)."""
    return [
        certificate
        for programme in Programme.objects.filter(is_active=True).prefetch_related("courses")
        if (certificate := issue_if_met(person=person, programme=programme))
    ]


@transaction.atomic
def revoke(*, certificate, actor, reason):
    """HR revokes a certificate with a reason; it is kept, marked revoked, and audited."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = actor
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    CertificateEvent.objects.create(
        certificate=certificate, action="revoked", actor=actor, detail=reason[:300]
    )
    return certificate


def add_coaching_note(*, person, author, text):
    """A coaching note is plain text (markup removed), at most 2,000 characters."""
    from people.text import plain_text

    from .models import CoachingNote

    clean = plain_text(text, 2000)
    if not clean:
        raise ValueError("empty note")
    return CoachingNote.objects.create(person=person, author=author, text=clean)


@transaction.atomic
def reissue(*, certificate, actor):
    """A new document for the same certification (e.g. a name corrected): a new code and PDF
    with the same dates; the old certificate is revoked saying it was reissued. Audited."""
    old_code = certificate.code
    revoke(certificate=certificate, actor=actor, reason="Reemitido con un código nuevo")
    last = Certificate.objects.filter(
        person=certificate.person, programme=certificate.programme
    ).aggregate(n=Max("cycle"))["n"]
    new = Certificate.objects.create(
        person=certificate.person,
        programme=certificate.programme,
        cycle=last + 1,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
    )
    CertificateEvent.objects.create(
        certificate=new, action="reissued", actor=actor, detail=f"sustituye a {old_code}"
    )
    return new
