"""Certification programmes (snippets) and the certificates issued under them."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel


class Programme(RevisionMixin, ClusterableModel):
    """What it takes to be certified: courses completed, quiz results and attitude scores;
    and how long the certificate stays valid."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    courses = ParentalManyToManyField(
        "courses.CoursePage", verbose_name=_("required courses"), related_name="+"
    )
    min_quiz_percent = models.PositiveSmallIntegerField(
        _("minimum quiz result (%)"),
        null=True,
        blank=True,
        help_text=_("Every quiz of the required courses, best attempt. Empty: passing is enough."),
    )
    min_attitude_percent = models.PositiveSmallIntegerField(
        _("minimum overall attitude (%)"), null=True, blank=True
    )
    validity_months = models.PositiveSmallIntegerField(_("valid for (months)"), default=12)
    is_active = models.BooleanField(_("issuing certificates"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("courses"),
        MultiFieldPanel(
            [
                FieldPanel("min_quiz_percent"),
                FieldPanel("min_attitude_percent"),
                InlinePanel("dimension_minimums", label=_("Minimum on a dimension")),
            ],
            heading=_("Results required"),
        ),
        FieldPanel("validity_months"),
        InlinePanel("refresher_rules", heading=_("Behavioural refreshers"), label=_("Refresher")),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("certification programme")
        verbose_name_plural = _("certification programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def expiry_for(self, issued_at):
        """The expiry rule, in one place: a certificate issued at `issued_at` expires
        `validity_months` later, each month an average one (365.25 / 12 days, the total
        rounded to whole days), so the length never depends on the month of issue. Issuing
        stores it (`Certificate.expires_at`); from that instant on the certificate is expired
        (`expires_at <= now`: Certificate.status_at, CertificateQuerySet.current and
        with_status say so in Python and SQL)."""
        return issued_at + timedelta(days=round(self.validity_months * 365.25 / 12))


class RefresherRule(Orderable):
    """Recertification driven by behaviour: when a person's latest score on a dimension falls
    below the threshold, the refresher course is assigned to them, saying why."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="refresher_rules")
    dimension = models.ForeignKey(
        "attitude.ServiceDimension", verbose_name=_("dimension"), on_delete=models.CASCADE
    )
    below_percent = models.PositiveSmallIntegerField(_("when below (%)"))
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("refresher course"), on_delete=models.CASCADE
    )
    days_to_complete = models.PositiveSmallIntegerField(_("days to complete it"), default=30)

    panels = [
        FieldPanel("dimension"),
        FieldPanel("below_percent"),
        FieldPanel("course"),
        FieldPanel("days_to_complete"),
    ]


class DimensionMinimum(Orderable):
    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="dimension_minimums")
    dimension = models.ForeignKey(
        "attitude.ServiceDimension", verbose_name=_("dimension"), on_delete=models.CASCADE
    )
    min_percent = models.PositiveSmallIntegerField(_("minimum (%)"))

    panels = [FieldPanel("dimension"), FieldPanel("min_percent")]


def new_code():
    """An unguessable, URL-safe code (about 120 bits) that starts with a letter or digit, so
    a spreadsheet never reads it as a formula (an export would then escape it as "'-…")."""
    while True:
        code = secrets.token_urlsafe(15)
        if code[0].isalnum():
            return code


class CertificateStatus(models.TextChoices):
    VALID = "vigente", _("valid")
    EXPIRED = "vencido", _("expired")
    REVOKED = "revocado", _("revoked")


class CertificateQuerySet(models.QuerySet):
    def with_status(self, now=None):
        """Annotate `status`: revoked if revoked, expired after its expiry, else valid."""
        now = now or timezone.now()
        return self.annotate(
            status=models.Case(
                models.When(revoked_at__isnull=False, then=models.Value(CertificateStatus.REVOKED)),
                models.When(expires_at__lte=now, then=models.Value(CertificateStatus.EXPIRED)),
                default=models.Value(CertificateStatus.VALID),
                output_field=models.CharField(),
            )
        )

    def current(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def in_status(self, status, now=None):
        """The certificates with_status() would give `status`, as plain conditions on the
        columns (which the indexes on expiry serve; a filter on the annotation cannot)."""
        now = now or timezone.now()
        if status == CertificateStatus.VALID:
            return self.current(now)
        if status == CertificateStatus.EXPIRED:
            return self.filter(revoked_at__isnull=True, expires_at__lte=now)
        if status == CertificateStatus.REVOKED:
            return self.filter(revoked_at__isnull=False)
        return self.none()

    def expiring_within(self, days, now=None):
        now = now or timezone.now()
        return self.current(now).filter(expires_at__lte=now + timedelta(days=days))


class Certificate(models.Model):
    """Issued once per cycle when a person meets a programme's requirements; verifiable in
    public by its code."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        db_index=False,  # the lead column of a composite unique index
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="certificates")
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    code = models.CharField(_("code"), max_length=40, unique=True, default=new_code)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expiry_warned_on = models.DateField(_("expiry warning sent"), null=True, blank=True)
    expired_on = models.DateField(_("expiry handled"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacement",
        help_text=_("The certificate this one reissued."),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        indexes = [
            # Every list and export sorts by issue date; "valid" and "expiring" read the
            # expiry of the certificates that are not revoked.
            models.Index(fields=["issued_at"], name="certificate_issued"),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(revoked_at__isnull=True),
                name="certificate_unrevoked_expiry",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "cycle"], name="one_certificate_per_cycle"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.programme} · {self.code}"

    def status_at(self, now=None):
        now = now or timezone.now()
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.expires_at <= now:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    def newest_replacement(self):
        """The end of this certificate's reissue chain (the certificate that reissued it, the
        one that reissued that, …), or None when it was never reissued."""
        newest = None
        current = self
        while (following := Certificate.objects.filter(replaces=current).first()) is not None:
            newest = current = following
        return newest

    def history(self):
        """What happened to this certificate, newest first: its own events and the reissue
        that replaced it (stored on the new certificate), with their authors."""
        return (
            CertificateEvent.objects.filter(
                models.Q(certificate=self)
                | models.Q(certificate__replaces=self, action=CertificateEvent.Action.REISSUED)
            )
            .select_related("actor", "certificate")
            .order_by("-at", "-pk")
        )

    def is_replaced_by_a_valid_one(self, now=None):
        """A revoked certificate is "replaced" in public only when its reissue chain ends in a
        certificate that is valid now; its code is never shown."""
        newest = self.newest_replacement()
        return newest is not None and newest.status_at(now) == CertificateStatus.VALID


class CertificateEvent(models.Model):
    """Audit of certificates: issued, revoked (with the reason), reissued, expired."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("certificate issued")
        REVOKED = "revoked", _("certificate revoked")
        REISSUED = "reissued", _("certificate reissued")
        EXPIRED = "expired", _("certificate expired")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.action} {self.certificate_id}"


class NoteKind(models.TextChoices):
    PRIVATE = "private", _("Private note (only supervisors and HR)")
    SHARED = "shared", _("Feedback shared with the agent")


class CoachingNoteQuerySet(models.QuerySet):
    def shared(self):
        return self.filter(kind=NoteKind.SHARED)

    def pending(self):
        """Shared feedback the agent has not acknowledged yet."""
        return self.shared().filter(acknowledged_at__isnull=True)

    def follow_ups_due(self, *, author, today):
        """The notes `author` wrote whose follow-up date is `today` or earlier and which
        they have not marked as followed up, the oldest date first."""
        return self.filter(
            author=author, follow_up_on__lte=today, followed_up_at__isnull=True
        ).order_by("follow_up_on", "pk")

    def with_history(self):
        """The author and the revisions (with their editors, newest first) in two more
        queries, whatever the number of notes."""
        return self.select_related("author").prefetch_related(
            models.Prefetch(
                "revisions",
                queryset=CoachingNoteRevision.objects.select_related("edited_by").order_by(
                    "-edited_at", "-pk"
                ),
            )
        )


class CoachingNote(models.Model):
    """A supervisor's or HR's note on an agent, plain text cleaned of markup, kept with its
    author and time. A private note is never shown to the agent; shared feedback is, and the
    agent acknowledges it. A note may point at the quiz attempt or role-play run it is about
    (and the question or choice number there), and carry a follow-up date for its author.

    Notes are never deleted and every edit keeps what was there before as a
    CoachingNoteRevision (certification.services.edit_coaching_note), so the notes and their
    revisions are their own audit trail."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    kind = models.CharField(
        _("kind"), max_length=10, choices=NoteKind.choices, default=NoteKind.PRIVATE
    )
    attempt = models.ForeignKey(
        "quizzes.Attempt",
        verbose_name=_("quiz attempt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_notes",
    )
    run = models.ForeignKey(
        "scenarios.Run",
        verbose_name=_("role-play"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_notes",
    )
    position = models.PositiveSmallIntegerField(
        _("question or choice number"),
        null=True,
        blank=True,
        help_text=_("Counted from 1 in the attempt or the role-play."),
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("read by the agent"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    objects = CoachingNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The supervisor's home reads their own follow-ups that are due.
            models.Index(
                fields=["author", "follow_up_on"],
                condition=models.Q(follow_up_on__isnull=False, followed_up_at__isnull=True),
                name="coaching_note_follow_up",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(attempt__isnull=False, run__isnull=False),
                name="coaching_note_one_activity",
            ),
            models.CheckConstraint(
                condition=models.Q(position__isnull=True)
                | models.Q(attempt__isnull=False)
                | models.Q(run__isnull=False),
                name="coaching_note_position_needs_activity",
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True) | models.Q(kind=NoteKind.SHARED),
                name="coaching_note_only_shared_acknowledged",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.created_at:%Y-%m-%d}"

    @property
    def is_shared(self):
        return self.kind == NoteKind.SHARED

    @property
    def last_revision(self):
        """The newest revision (from the prefetch of `with_history()`), or None."""
        revisions = list(self.revisions.all())
        return revisions[0] if revisions else None


class CoachingNoteRevision(models.Model):
    """What a coaching note said before one edit, who edited it and when."""

    note = models.ForeignKey(CoachingNote, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(_("text before"), max_length=2000)
    kind = models.CharField(_("kind before"), max_length=10, choices=NoteKind.choices)
    follow_up_on = models.DateField(_("follow-up before"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited"), default=timezone.now)

    class Meta:
        verbose_name = _("coaching note revision")
        verbose_name_plural = _("coaching note revisions")
        ordering = ["-edited_at", "-pk"]

    def __str__(self):
        return f"{self.note_id} · {self.edited_at:%Y-%m-%d %H:%M}"


class RetakeQuerySet(models.QuerySet):
    def with_done(self):
        """Annotate `done`: the person submitted an attempt at the quiz, or finished a run of
        the role-play, after the request was made. Derived from the attempts and runs, never
        typed in, so it cannot disagree with them."""
        from quizzes.models import Attempt
        from scenarios.models import Run

        attempt = Attempt.objects.filter(
            person=models.OuterRef("person"),
            quiz=models.OuterRef("step"),
            submitted_at__gt=models.OuterRef("created_at"),
        )
        run = Run.objects.filter(
            person=models.OuterRef("person"),
            scenario=models.OuterRef("step"),
            finished_at__gt=models.OuterRef("created_at"),
        )
        return self.annotate(done=models.Exists(attempt) | models.Exists(run))

    def open(self):
        """The requests the person has not answered yet with a new attempt or run."""
        return self.with_done().filter(done=False)


class Retake(models.Model):
    """A supervisor's (or HR's) request that an agent repeat a quiz or a role-play: with a
    due date (a re-assignment) or without one (a nudge). It is done once the agent submits a
    new attempt at the quiz or finishes a new run of the role-play after the request."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="retakes",
        db_index=False,  # the lead column of the composite index below
    )
    step = models.ForeignKey(
        "courses.CourseStep",
        verbose_name=_("quiz or role-play"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)

    objects = RetakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("retake request")
        verbose_name_plural = _("retake requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "step"], name="retake_person_step")]

    def __str__(self):
        return f"{self.person} · {self.step_id} · {self.created_at:%Y-%m-%d}"


def hash_feed_token(token):
    """The SHA-256 of a calendar feed token: what is stored and looked up (the token itself is
    shown once, when the link is made, and never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def for_token(self, token):
        """The active feed with this token, its person with it (None for a revoked or unknown
        token, or an account that was deactivated)."""
        return (
            self.active()
            .filter(token_hash=hash_feed_token(token), person__is_active=True)
            .select_related("person")
            .first()
        )

    @transaction.atomic
    def renew(self, *, person, language):
        """A person has at most one working feed link: making one revokes the one they had.
        Returns the new feed and its token, which exists nowhere else."""
        self.filter(person=person).active().update(revoked_at=timezone.now())
        token = secrets.token_urlsafe(32)
        feed = self.create(person=person, token_hash=hash_feed_token(token), language=language)
        return feed, token

    def revoke(self, *, person):
        """Stop the person's feed link working at once; returns how many links stopped."""
        return self.filter(person=person).active().update(revoked_at=timezone.now())


class CalendarFeed(models.Model):
    """A private, revocable iCalendar link to a person's calendar (their due dates and
    certificate expiries, and their teams' for a supervisor), for Outlook or Google Calendar:
    whoever has the link reads the calendar without signing in, so only its hash is kept."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=10, default="es")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_calendar_feed",
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.created_at:%Y-%m-%d}"
