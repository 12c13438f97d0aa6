"""SCORM packages as course steps: the uploaded package, the step that shows it, and each
person's attempt with the run-time (CMI) data the package saved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from courses.models import CourseStep, LoginRequiredPageMixin


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", _("SCORM 1.2")
    SCORM_2004_3 = "2004 3rd", _("SCORM 2004 3rd edition")
    SCORM_2004_4 = "2004 4th", _("SCORM 2004 4th edition")

    @property
    def is_2004(self):
        return self != ScormVersion.SCORM_12


class ScormPackage(models.Model):
    """An uploaded SCORM zip, validated and unpacked under media storage at `unpack_dir`
    (scorm/<uuid>); `launch_path` is the file the learner opens, relative to it."""

    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("package (zip)"), upload_to="scorm/uploads/", max_length=255)
    version = models.CharField(_("SCORM version"), max_length=10, choices=ScormVersion.choices)
    launch_path = models.CharField(_("launch file"), max_length=1000)
    unpack_dir = models.CharField(_("unpacked folder"), max_length=255, unique=True)
    size = models.PositiveBigIntegerField(_("unpacked size (bytes)"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.title} (SCORM {self.version})"

    @property
    def scorm_version(self):
        return ScormVersion(self.version)

    def storage_name(self, relative_path):
        """The storage name of a file of the unpacked package."""
        return f"{self.unpack_dir}/{relative_path}"


class ScormPage(LoginRequiredPageMixin, CourseStep):
    """A SCORM package as a step of a course: learners open it in a frame inside the course;
    the step is done when the package reports it completed or passed (scorm.cmi.outcome)."""

    package = models.ForeignKey(
        ScormPackage,
        verbose_name=_("SCORM package"),
        on_delete=models.PROTECT,
        related_name="pages",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("package"),
        MultiFieldPanel(CourseStep.step_panels, heading=_("In the course")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("SCORM package")

    def get_context(self, request, *args, **kwargs):
        from .selectors import player_context

        context = super().get_context(request, *args, **kwargs)
        context.update(player_context(self, request))
        return context


class ScormAttemptQuerySet(models.QuerySet):
    def current(self):
        """The attempts in use: one per person and page, the ones not closed."""
        return self.filter(closed_at__isnull=True)


class ScormAttempt(models.Model):
    """One person's go at a SCORM step: the CMI data the package last committed (kept whole in
    `cmi`, with the values the LMS reads copied into columns), and when its outcome was
    reported. A reset by HR closes the attempt, kept as history, and the next launch starts a
    new one; so does a launch after an attempt that ended failed."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="scorm_attempts",
    )
    page = models.ForeignKey(
        ScormPage, verbose_name=_("step"), on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    version = models.CharField(_("SCORM version"), max_length=10, choices=ScormVersion.choices)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    cmi = models.JSONField(_("CMI data"), default=dict, blank=True)
    commits = models.PositiveIntegerField(_("commits"), default=0)
    lesson_status = models.CharField(_("lesson status"), max_length=20, blank=True)
    completion_status = models.CharField(_("completion status"), max_length=20, blank=True)
    success_status = models.CharField(_("success status"), max_length=20, blank=True)
    score_raw = models.FloatField(_("raw score"), null=True, blank=True)
    score_min = models.FloatField(_("minimum score"), null=True, blank=True)
    score_max = models.FloatField(_("maximum score"), null=True, blank=True)
    score_scaled = models.FloatField(_("scaled score"), null=True, blank=True)
    suspend_data = models.TextField(_("suspend data"), blank=True)
    location = models.CharField(_("location"), max_length=1000, blank=True)
    exit = models.CharField(_("exit"), max_length=20, blank=True)
    total_seconds = models.FloatField(_("total time (seconds)"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    # Closed: HR reset it (reset_by says who), or it ended failed and a new launch began.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reset by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScormAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "page"],
                condition=Q(closed_at__isnull=True),
                name="one_current_scorm_attempt",
            ),
            models.UniqueConstraint(
                fields=["person", "page", "number"], name="unique_scorm_attempt_number"
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.page} #{self.number}"

    @property
    def registration(self):
        from courses.lifecycle import registration_for

        return registration_for("scorm-attempt", self.pk)

    def event_key(self, what):
        return f"scorm-attempt-{self.pk}:{what}"
