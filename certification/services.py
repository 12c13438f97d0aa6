"""Issuing, revoking and reissuing certificates.

Certification reads from every other app and nothing reads from it: it hears about progress
through model signals (signals.py) and checks the person's programmes then.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Certificate, CertificateEvent, CertificateStatus, Programme
from .progress import Kind, requirements_of, with_requirements


@dataclass
class Requirements:
    """Where a person stands against a programme: each requirement (a progress.Requirement)
    with whether it is met, in the programme's order."""

    checks: list = field(default_factory=list)  # [(Requirement, met)]

    @property
    def items(self):
        """[(label, met)]: each requirement in words."""
        return [(requirement.label, met) for requirement, met in self.checks]

    @property
    def met(self):
        return bool(self.checks) and all(ok for _, ok in self.checks)

    @property
    def missing(self):
        return [requirement for requirement, met in self.checks if not met]

    @property
    def done(self):
        return [requirement for requirement, met in self.checks if met]


def requirements(person, programme):
    """A programme is met when every required course is completed; every quiz in those
    courses has a submitted attempt at or above the programme's minimum (or passed, when no
    minimum is set); the overall attitude score reaches its minimum; and each dimension with
    a minimum reaches it (with sufficient evidence).

    The rule is written once, as SQL, in `progress.requirements_of`, which the progress
    matrix reads for many people at once: here it is read for one person, in one query after
    the programme's own (courses, quizzes, minimums)."""
    from people.models import User

    items = requirements_of(programme)
    if not items:
        return Requirements()
    row = (
        with_requirements(User.objects.filter(pk=person.pk), items)
        .values(*(item.key for item in items))
        .first()
    ) or {}
    return Requirements(checks=[(item, bool(row.get(item.key))) for item in items])


@dataclass
class Standing:
    """A person's standing in one programme, for them to read: their valid certificate (if
    any) and each requirement, done or missing."""

    programme: Programme
    requirements: Requirements
    certificate: Certificate | None = None

    @property
    def courses(self):
        return [(r, met) for r, met in self.requirements.checks if r.kind == Kind.COURSE]

    @property
    def courses_done(self):
        return sum(1 for _, met in self.courses if met)

    @property
    def results(self):
        """The requirements other than courses (quizzes, attitude), for the summary line."""
        return [r for r, _ in self.requirements.checks if r.kind != Kind.COURSE]


def standings(person, certificates=()):
    """Where `person` stands in each active programme and in every other programme they
    hold a certificate of (`certificates`, theirs, with status), by programme name. A fixed
    number of queries per programme, none per requirement."""
    valid = {c.programme_id: c for c in certificates if c.status == CertificateStatus.VALID}
    held = {c.programme_id for c in certificates}
    programmes = Programme.objects.filter(Q(is_active=True) | Q(pk__in=held)).order_by("name")
    return [
        Standing(
            programme=programme,
            requirements=requirements(person, programme),
            certificate=valid.get(programme.pk),
        )
        for programme in programmes
    ]


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


class NotValid(Exception):
    """The certificate had already been revoked (by someone else, a moment ago); nothing was
    changed."""


def _locked(certificate):
    """The certificate's row, locked until the transaction ends and read afresh: every change
    of a certificate's state happens under this lock, after checking the state again."""
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


def _mark_revoked(certificate, *, actor, reason):
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = actor
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    CertificateEvent.objects.create(
        certificate=certificate, action="revoked", actor=actor, detail=reason[:300]
    )


@transaction.atomic
def revoke(*, certificate, actor, reason):
    """HR revokes a certificate with a reason; it is kept, marked revoked, and audited.

    A revoke wins over a reissue: when the certificate was reissued meanwhile, its
    replacement is revoked instead (with the same reason), so no valid certificate is left
    for the cycle. A certificate already revoked for any other reason raises NotValid.
    Returns the certificate actually revoked."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    locked = _locked(certificate)
    while locked.revoked_at is not None:
        replacement = Certificate.objects.filter(replaces=locked).first()
        if replacement is None:
            raise NotValid
        locked = _locked(replacement)
    _mark_revoked(locked, actor=actor, reason=reason)
    certificate.refresh_from_db()
    return locked


def add_coaching_note(*, person, author, text):
    """A coaching note is plain text (markup removed), at most 2,000 characters."""
    from people.text import plain_text

    from .models import CoachingNote

    clean = plain_text(text, 2000)
    if not clean:
        raise ValueError("empty note")
    return CoachingNote.objects.create(person=person, author=author, text=clean)


def _replacement(locked, *, actor, detail):
    """The certificate that replaces `locked` (held under its row lock): same person, programme
    and dates, a new code, the next cycle, linked through `replaces`, its reissue recorded."""
    last = Certificate.objects.filter(person=locked.person, programme=locked.programme).aggregate(
        n=Max("cycle")
    )["n"]
    new = Certificate.objects.create(
        person=locked.person,
        programme=locked.programme,
        cycle=last + 1,
        issued_at=locked.issued_at,
        expires_at=locked.expires_at,
        replaces=locked,
    )
    CertificateEvent.objects.create(certificate=new, action="reissued", actor=actor, detail=detail)
    return new


@transaction.atomic
def reissue(*, certificate, actor):
    """A new document for the same certification (e.g. a name corrected): a new code and PDF
    with the same dates; the old certificate is revoked saying it was reissued. Audited.

    Only a certificate that is not revoked can be reissued, checked under its row lock: of
    simultaneous reissues one succeeds and the others raise NotValid, and a reissue that
    comes after a revoke raises NotValid too."""
    locked = _locked(certificate)
    if locked.revoked_at is not None:
        raise NotValid
    _mark_revoked(locked, actor=actor, reason="Reemitido con un código nuevo")
    new = _replacement(locked, actor=actor, detail=f"sustituye a {locked.code}")
    certificate.refresh_from_db()
    return new


class CannotReissue(Exception):
    """A revoked certificate that may not be reissued; `reasons` says why, in words for HR."""

    def __init__(self, reasons):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = reasons


def reissue_blockers(certificate, now=None):
    """Why a revoked certificate cannot be reissued now (an empty list: it can). A revoked
    certificate is reissued only when it was not reissued already, it has not expired, the
    programme still issues certificates, the person is active, holds no other valid
    certificate of the programme and still meets every requirement of the programme."""
    now = now or timezone.now()
    reasons = []
    if Certificate.objects.filter(replaces=certificate).exists():
        reasons.append(_("It was already reissued: reissue the newer certificate instead."))
    if certificate.expires_at <= now:
        reasons.append(_("It has expired: a reissue would not be valid either."))
    if not certificate.programme.is_active:
        reasons.append(_("The programme no longer issues certificates."))
    if not certificate.person.is_active:
        reasons.append(_("The person's account is deactivated."))
    others = Certificate.objects.filter(
        person=certificate.person, programme=certificate.programme
    ).exclude(pk=certificate.pk)
    if others.current(now).exists():
        reasons.append(_("The person already holds a valid certificate of this programme."))
    unmet = [
        label
        for label, ok in requirements(certificate.person, certificate.programme).items
        if not ok
    ]
    if unmet:
        reasons.append(
            _("The person no longer meets the programme: %(unmet)s.") % {"unmet": "; ".join(unmet)}
        )
    return reasons


@transaction.atomic
def reissue_revoked(*, certificate, actor):
    """HR reissues a revoked certificate (revoked by mistake, or revoked before a reissue was
    possible): a new code and PDF with the same dates, linked to the revoked one, audited —
    only when `reissue_blockers` finds nothing, checked again under the row lock; otherwise
    CannotReissue says why. A certificate that is not revoked raises NotValid (use
    `reissue`). The person's row is locked first, as `issue_if_met` does, so a reissue and a
    new issue (or two reissues of different certificates) never leave two valid ones."""
    from people.models import User

    User.objects.select_for_update().filter(pk=certificate.person_id).first()
    locked = _locked(certificate)
    if locked.revoked_at is None:
        raise NotValid
    reasons = reissue_blockers(locked)
    if reasons:
        raise CannotReissue(reasons)
    return _replacement(locked, actor=actor, detail=f"sustituye a {locked.code} (revocado)")
