"""Issuing, revoking and reissuing certificates.

Certification reads from every other app and nothing reads from it: it hears about progress
through the course steps' lifecycle and attitude's signals (signals.py) and checks the
person's programmes then, once per change.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Notification
from people.notifications import notify
from people.policy import can_edit_coaching_note
from people.text import plain_text

from .models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CoachingNote,
    CoachingNoteRevision,
    NoteKind,
    Programme,
)
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


def _announce_issued(certificate):
    """The holder is told, in the transaction that issues the certificate."""
    notify(
        person=certificate.person,
        kind=Notification.Kind.CERTIFICATE_ISSUED,
        params={"programme": certificate.programme.name},
        url=reverse("certification:mine"),
        email=(None, {}),
    )


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
            _announce_issued(certificate)
    except IntegrityError:
        return None
    return certificate


def check_person(person):
    """Check every active programme for one person (called once per change of their progress,
    after it is committed: certification.signals says which changes)."""
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


class _Unchanged:
    """The default of an edit's optional fields: keep what the note has."""

    def __repr__(self):
        return "UNCHANGED"


UNCHANGED = _Unchanged()


def _check_activity(person, attempt, run, position):
    """A note is about at most one of the person's own attempts or runs; a position (from 1)
    only with one of them."""
    if attempt is not None and run is not None:
        raise ValueError("a note is about an attempt or a run, not both")
    for activity in (attempt, run):
        if activity is not None and activity.person_id != person.pk:
            raise ValueError("the activity belongs to someone else")
    if position is not None and (position < 1 or (attempt is None and run is None)):
        raise ValueError("a position needs an attempt or a run and starts at 1")


@transaction.atomic
def add_coaching_note(
    *,
    person,
    author,
    text,
    kind=NoteKind.PRIVATE,
    attempt=None,
    run=None,
    position=None,
    follow_up_on=None,
):
    """A coaching note is plain text (markup removed), at most 2,000 characters, private
    unless `kind` is NoteKind.SHARED; it may be about one of the person's own quiz attempts or
    role-play runs (and the question or choice `position` there, from 1) and carry a
    follow-up date for its author. Shared feedback is told to the agent."""
    clean = plain_text(text, 2000)
    if not clean:
        raise ValueError("empty note")
    _check_activity(person, attempt, run, position)
    kind = NoteKind(kind)
    note = CoachingNote.objects.create(
        person=person,
        author=author,
        text=clean,
        kind=kind,
        attempt=attempt,
        run=run,
        position=position,
        follow_up_on=follow_up_on,
    )
    if note.is_shared:
        _tell_agent(note)
    return note


def _tell_agent(note):
    """The agent hears of shared feedback when it is shared or its text changes: a
    notification on the site and an email that names the author and links to the page of
    their feedback (the feedback itself stays on the site)."""
    author = note.author.full_name if note.author else ""
    notify(
        person=note.person,
        kind=Notification.Kind.FEEDBACK_SHARED,
        params={"author": author, "note": note.pk},
        url=reverse("certification:my_feedback") + f"#note-{note.pk}",
        email=(None, {}),
    )


@transaction.atomic
def edit_coaching_note(*, note, editor, text, kind=None, follow_up_on=UNCHANGED):
    """Only the author or HR (who may see the person) edit a note, and every edit keeps
    what was there before as a revision with its editor and time; an edit that changes
    nothing stores nothing. `kind=None` keeps the kind; `follow_up_on` is kept unless given
    (None removes it). Shared feedback whose text changes, or a private note made shared,
    waits for the agent's acknowledgement again and is told to them; a note made private
    again is hidden from the agent. A new follow-up date is a new follow-up to do."""
    if not can_edit_coaching_note(editor, note):
        raise PermissionDenied
    locked = CoachingNote.objects.select_for_update().get(pk=note.pk)
    clean = plain_text(text, 2000)
    if not clean:
        raise ValueError("empty note")
    new_kind = NoteKind(kind) if kind else locked.kind
    new_follow_up = locked.follow_up_on if follow_up_on is UNCHANGED else follow_up_on
    if (clean, new_kind, new_follow_up) == (locked.text, locked.kind, locked.follow_up_on):
        return locked
    CoachingNoteRevision.objects.create(
        note=locked,
        text=locked.text,
        kind=locked.kind,
        follow_up_on=locked.follow_up_on,
        edited_by=editor,
    )
    tell = new_kind == NoteKind.SHARED and (locked.kind != NoteKind.SHARED or clean != locked.text)
    if tell or new_kind != NoteKind.SHARED:
        locked.acknowledged_at = None
    if new_follow_up != locked.follow_up_on:
        locked.followed_up_at = None
    locked.text, locked.kind, locked.follow_up_on = clean, new_kind, new_follow_up
    locked.save(update_fields=["text", "kind", "follow_up_on", "followed_up_at", "acknowledged_at"])
    if tell:
        _tell_agent(locked)
    return locked


def acknowledge_note(*, note, person, seen_revision=None):
    """The agent acknowledges shared feedback about them once: the first time counts, a
    repeat changes nothing. Anyone else, or a private note, is refused (PermissionDenied).

    `seen_revision` is the newest revision's id when the agent's page showed the note (0: it
    had none): when the note was edited since, what they read is no longer what it says, so
    nothing is acknowledged and `acknowledged_at` stays None."""
    if note.person_id != person.pk or not note.is_shared:
        raise PermissionDenied
    unread = CoachingNote.objects.shared().filter(pk=note.pk, acknowledged_at__isnull=True)
    if seen_revision is not None:
        unread = unread.exclude(revisions__pk__gt=seen_revision)
    unread.update(acknowledged_at=timezone.now())
    note.refresh_from_db(fields=["acknowledged_at"])
    return note


def complete_follow_up(*, note, person):
    """The author marks a note's follow-up as done (once: a repeat changes nothing); it
    leaves their home's list of follow-ups."""
    if note.author_id != person.pk or note.follow_up_on is None:
        raise PermissionDenied
    CoachingNote.objects.filter(pk=note.pk, followed_up_at__isnull=True).update(
        followed_up_at=timezone.now()
    )
    note.refresh_from_db(fields=["followed_up_at"])
    return note


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


class CannotRetake(Exception):
    """The agent could not repeat the quiz or role-play now; the message says why, in words
    for the supervisor."""


def retake_blocker(*, person, step, now=None):
    """Why `person` could not repeat `step` now ("" when they can): it must be a published
    quiz or role-play, and a quiz must be open and have an attempt left for them."""
    from quizzes.models import QuizPage
    from scenarios.models import ScenarioPage

    specific = step.specific
    if not isinstance(specific, QuizPage | ScenarioPage):
        return _("Only a quiz or a role-play can be repeated.")
    if not specific.live:
        return _("“%(title)s” is no longer published.") % {"title": specific.title}
    if isinstance(specific, QuizPage):
        if specific.is_closed(now):
            return _("The quiz “%(title)s” is closed.") % {"title": specific.title}
        if specific.attempts_left(person) == 0:
            return _("%(name)s has no attempts left at “%(title)s”.") % {
                "name": person.full_name,
                "title": specific.title,
            }
    return ""


@transaction.atomic
def request_retake(*, person, step, requested_by, due_on=None):
    """A supervisor or HR asks an agent to repeat a quiz or role-play: by a due date (a
    re-assignment) or without one (a nudge). There is at most one open request per person and
    step: asking again updates the open one's due date (a nudge keeps it). Each request tells
    the agent once, in the site and by email, in this transaction (people.notifications).
    The request is done when the agent submits or finishes the activity again
    (Retake.objects.open()). Raises CannotRetake when the agent could not repeat it."""
    from people.models import User

    from .models import Retake

    # One request at a time per person, so two simultaneous requests never open two.
    User.objects.select_for_update().filter(pk=person.pk).first()
    blocker = retake_blocker(person=person, step=step)
    if blocker:
        raise CannotRetake(blocker)
    retake = Retake.objects.open().filter(person=person, step=step).first()
    if retake is None:
        retake = Retake.objects.create(
            person=person, step=step, due_on=due_on, requested_by=requested_by
        )
    elif due_on is not None:
        retake.due_on, retake.requested_by = due_on, requested_by
        retake.save(update_fields=["due_on", "requested_by"])
    step = step.specific
    notify(
        person=person,
        kind=Notification.Kind.RETAKE_REQUESTED if due_on else Notification.Kind.NUDGE,
        params={
            "author": requested_by.full_name if requested_by else "",
            "step": step.title,
            "due_on": retake.due_on.isoformat() if retake.due_on else None,
        },
        url=step.url or "",
        email=(
            "certification/email/retake",
            {"person": person, "step": step, "retake": retake, "requested_by": requested_by},
        ),
    )
    return retake
