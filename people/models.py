import unicodedata
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

SQLITE_COLLATION = "actitud_es"


def spanish_sort_key(text):
    """How a Spanish reader orders names: case and accents do not count (Álvaro sorts with
    the A), but ñ is its own letter after n."""
    folded = (text or "").casefold().replace("ñ", "n\U0010ffff")
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


def _spanish_collation(left, right):
    a, b = spanish_sort_key(left), spanish_sort_key(right)
    return (a > b) - (a < b) or (left > right) - (left < right)


def register_sqlite_collation(sender, connection, **kwargs):
    """connection_created receiver: SQLite has no Spanish collation, so we give it ours."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _spanish_collation)


class SpanishOrder(models.Func):
    """An expression that orders text in Spanish alphabetical order on both databases
    (PostgreSQL's ICU collation "es-x-icu"; on SQLite the collation registered above)."""

    template = '%(expressions)s COLLATE "es-x-icu"'
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template=f"%(expressions)s COLLATE {SQLITE_COLLATION}"
        )


def by_name(prefix=""):
    """order_by() arguments for people in Spanish order of full name, then email."""
    return [SpanishOrder(f"{prefix}full_name").asc(), f"{prefix}email"]


class Role(models.TextChoices):
    """The four roles. Each value is the name of the Django group that grants it."""

    AGENT = "Agente", _("Agent")
    SUPERVISOR = "Supervisor", _("Supervisor")
    HR = "RRHH", _("HR")
    EDITOR = "Editor", _("Editor")


class UserQuerySet(models.QuerySet):
    def with_role(self, role):
        return self.filter(groups__name=role)

    def active(self):
        return self.filter(is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    #: 64 characters: HR systems number people with short codes, but some use a GUID
    #: (36 characters; a Workday worker id is 32 hexadecimal digits), often with a prefix.
    employee_number = models.CharField(_("employee number"), max_length=64, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = by_name()
        constraints = [
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=~Q(employee_number=""),
                name="unique_employee_number",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split() or [self.email])[0]

    # Roles ---------------------------------------------------------------------------------
    @cached_property
    def role_names(self):
        """The names of this person's role groups, read once per request."""
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role):
        return role in self.role_names

    @property
    def is_agent(self):
        return self.has_role(Role.AGENT)

    @property
    def is_supervisor(self):
        return self.has_role(Role.SUPERVISOR)

    @property
    def is_hr(self):
        return self.is_superuser or self.has_role(Role.HR)

    @property
    def is_editor(self):
        return self.is_superuser or self.has_role(Role.EDITOR)

    @property
    def roles(self):
        """The roles held, in the order of Role."""
        return [role for role in Role if self.has_role(role)]

    @cached_property
    def current_membership(self):
        return (
            self.memberships.filter(ended_at__isnull=True).select_related("team").first()
            if self.pk
            else None
        )

    @property
    def current_team(self):
        membership = self.current_membership
        return membership.team if membership else None


class Team(models.Model):
    """A team of agents led by one or more supervisors."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    supervisors = models.ManyToManyField(
        User, verbose_name=_("supervisors"), related_name="supervised_teams", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def members(self):
        """People whose current team this is."""
        return User.objects.filter(memberships__team=self, memberships__ended_at__isnull=True)


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """One stay of a person in a team. The open one (no end) is the current team; the closed
    ones are the history of moves."""

    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships"
    )
    started_at = models.DateTimeField(_("joined"), default=timezone.now)
    ended_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="one_current_team",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.person} → {self.team}"


def current_team_name(person_ref="person"):
    """The name of the current team of the person at `person_ref` (an OuterRef path), as a
    subquery: one query for every row of a report."""
    return models.Subquery(
        Membership.objects.current()
        .filter(person=models.OuterRef(person_ref))
        .values("team__name")[:1]
    )


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("awaiting confirmation")
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("importing")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed")


class PeopleImport(models.Model):
    """An uploaded CSV of people, kept from preview to confirmation and as a record of who
    imported what. Confirming queues it; the task queue applies it, all rows or none, and
    `status` says where it stands."""

    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.TextField(_("content"))
    encoding = models.CharField(_("encoding"), max_length=20)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    def summary_text(self):
        """What a confirmed import did, each count agreeing with its noun ("1 fila omitida")."""
        created, updated, unchanged, skipped = (
            self.summary.get(key, 0) for key in ("created", "updated", "unchanged", "skipped")
        )
        parts = [
            ngettext(
                "%(count)d person added (invitation sent)",
                "%(count)d people added (invitations sent)",
                created,
            )
            % {"count": created},
            ngettext("%(count)d person updated", "%(count)d people updated", updated)
            % {"count": updated},
            ngettext("%(count)d person unchanged", "%(count)d people unchanged", unchanged)
            % {"count": unchanged},
            ngettext("%(count)d row skipped", "%(count)d rows skipped", skipped)
            % {"count": skipped},
        ]
        return ", ".join(parts)


class OutboxTaskQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)

    def due(self, now=None):
        """Pending tasks whose time has come and that no relay is handing over right now."""
        now = now or timezone.now()
        return (
            self.pending()
            .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        )


class OutboxTask(models.Model):
    """A background task on its way to a task queue outside the database (Redis). It is written
    in the same transaction as the work that asks for it, so a task exists exactly when its work
    was committed; the relay (people.outbox.relay) hands it to the queue and stamps `sent_at`.
    A queue that is down delays the hand-over, never the request."""

    task_path = models.CharField(_("task"), max_length=255)
    args_kwargs = models.JSONField(_("arguments"), default=dict)
    backend = models.CharField(_("backend"), max_length=32, default="default")
    queue_name = models.CharField(_("queue"), max_length=32, default="default")
    priority = models.SmallIntegerField(_("priority"), default=0)
    run_after = models.DateTimeField(_("run after"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    tries = models.PositiveIntegerField(_("hand-over tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        ordering = ["pk"]
        indexes = [models.Index(fields=["sent_at", "run_after"], name="outbox_pending")]

    def __str__(self):
        return self.task_path


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")


class OutgoingEmailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=EmailStatus.FAILED)

    def stale(self, lease, now=None):
        """Emails a worker should be busy with but apparently is not: queued for longer than
        the lease past their due time (the task that would send them was lost), or claimed
        for longer than the lease (the worker died while sending)."""
        now = now or timezone.now()
        cutoff = now - lease
        return self.filter(
            Q(status=EmailStatus.QUEUED, next_attempt_at__lt=cutoff)
            | Q(status=EmailStatus.SENDING, claimed_at__lt=cutoff)
        )


class OutgoingEmail(models.Model):
    """One email we send, kept with its outcome. The worker sends it and tries again after a
    failure, up to EMAIL_MAX_ATTEMPTS times; one that still could not be sent is listed for HR
    (/rrhh/correos/), who can send it again. Nothing we send is dropped silently."""

    template = models.CharField(_("template"), max_length=200, blank=True)
    person = models.ForeignKey(
        User,
        verbose_name=_("invited person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For invitations: a new one is rendered when it is sent again."),
    )
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    to = models.JSONField(_("to"), default=list)
    from_email = models.CharField(_("from"), max_length=320, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="email_status")]

    def __str__(self):
        return self.subject


class CommandLock(models.Model):
    """Who is running a scheduled command right now, on databases without advisory locks
    (SQLite): one row per command, held until `expires_at` (see people.locks)."""

    name = models.CharField(_("command"), max_length=100, primary_key=True)
    holder = models.CharField(_("held by"), max_length=64, blank=True)
    expires_at = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("command lock")
        verbose_name_plural = _("command locks")

    def __str__(self):
        return self.name


class SubmittedForm(models.Model):
    """One row per create form submitted: the form's one-time token (see
    `people.forms.SubmitOnce`). Its uniqueness turns a double click or a resent POST into
    one creation, across workers, because the second insert waits for the first's
    transaction and then fails."""

    token = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey("people.User", null=True, on_delete=models.CASCADE)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("submitted form")

    def __str__(self):
        return self.token


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_person(self, person):
        return self.filter(person=person)


class Notification(models.Model):
    """Something we tell one person, kept for the notification centre (/avisos/). Its text is
    not stored: it is written at display time, in the reader's language, from `kind` and
    `params` (see people.notifications.message), so a notification reads the same in the list,
    the bell and the email's subject line whatever language the reader chose later."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("New assignment")
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        DUE_DATE_CHANGED = "due_date_changed", _("Due date changed")
        FEEDBACK_SHARED = "feedback_shared", _("Feedback from your supervisor")
        RETAKE_REQUESTED = "retake_requested", _("Asked to take again")
        NUDGE = "nudge", _("Reminder from your supervisor")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_EXPIRING = "certificate_expiring", _("Certificate expiring")
        CERTIFICATE_EXPIRED = "certificate_expired", _("Certificate expired")
        REFRESHER = "refresher", _("Refresher course")
        REPORT = "report", _("Scheduled report")
        DIGEST = "digest", _("Weekly team summary")

    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    params = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def message(self):
        """The text, in the active language."""
        from .notifications import message

        return message(self)


class Channel(models.TextChoices):
    SITE = "site", _("On the site")
    EMAIL = "email", _("By email")


class NotificationPreference(models.Model):
    """A person's choice for one kind of notification on one channel. Without a row the
    default of people.notifications.DEFAULTS applies, so only choices made are stored."""

    person = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Notification.Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "channel"], name="one_preference_per_kind_and_channel"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.kind} · {self.channel}: {self.enabled}"


class ReportFrequency(models.TextChoices):
    WEEKLY = "semanal", _("weekly")
    MONTHLY = "mensual", _("monthly")


class ScheduledReport(models.Model):
    """A filtered report (an export page and its filters) a person gets by email every week
    or month. What it shows is decided when it is sent, by the access policy of that day, so
    a supervisor who leaves a team stops receiving its people. `last_period` names the week
    ("2026-W49") or month ("2026-12") last sent: each period is sent once."""

    owner = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="scheduled_reports",
    )
    kind = models.CharField(_("report"), max_length=40)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=ReportFrequency.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_period = models.CharField(_("last period sent"), max_length=10, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled report")
        verbose_name_plural = _("scheduled reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.owner} · {self.kind} · {self.frequency}"


from .sso import IdentityProvider, SignInEvent, SsoDomain  # noqa: E402, F401
