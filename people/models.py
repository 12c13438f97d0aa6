from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    employee_number = models.CharField(_("employee number"), max_length=30, blank=True)
    wants_reminders = models.BooleanField(
        _("email reminders"),
        default=True,
        help_text=_("Reminders before a due date, overdue notices and the weekly digest."),
    )
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
        ordering = ["full_name", "email"]
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


class PeopleImport(models.Model):
    """An uploaded CSV of people, kept from preview to confirmation and as a record of who
    imported what."""

    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.TextField(_("content"))
    encoding = models.CharField(_("encoding"), max_length=20)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


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
