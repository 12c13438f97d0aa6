from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalManyToManyField

from .blocks import LessonStreamBlock, ObjectivesBlock


class LoginRequiredPageMixin:
    """Course pages are for signed-in people: anyone else is sent to the sign-in page."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        # courses.routing knows when neither this page nor an ancestor is restricted.
        known = getattr(self, "_view_restrictions", None)
        return super().get_view_restrictions() if known is None else known


class CatalogPage(LoginRequiredPageMixin, Page):
    """The catalogue of courses: the root of the course tree."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import learner_courses

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = learner_courses(request.user)
        return context


class CoursePage(LoginRequiredPageMixin, Page):
    """A course: an ordered list of steps (its child pages, in tree order)."""

    summary = models.TextField(_("summary"), max_length=500)
    objectives = StreamField(ObjectivesBlock(), verbose_name=_("learning objectives"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dimensions = ParentalManyToManyField(
        "attitude.ServiceDimension", verbose_name=_("service dimensions trained"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("cover_image"), FieldPanel("dimensions")],
            heading=_("About the course"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
    ]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage", "scenarios.ScenarioPage"]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline
        from .services import record_visit

        context = super().get_context(request, *args, **kwargs)
        enrolment = Enrolment.objects.filter(person=request.user.pk, course=self).first()
        if not getattr(request, "is_preview", False):
            enrolment = record_visit(person=request.user, course=self, enrolment=enrolment)
        context["outline"] = course_outline(self, request.user, enrolment)
        return context


# The progress rule, in one place: a step counts towards its course's progress and the
# course's completion when it is required and published. `counting_steps` is the rule as a
# filter (what the SQL of progress pages uses) and `CourseStep.counts_for_progress` the same
# rule on one step, both built from these field values, so they agree by construction.
COUNTS_FOR_PROGRESS = {"is_required": True, "live": True}


def counting_steps(prefix=""):
    """The steps that count for progress (COUNTS_FOR_PROGRESS) as a Q on CourseStep, or,
    with `prefix` ("step__"), on a model that points at a step (StepCompletion)."""
    return models.Q(**{prefix + name: value for name, value in COUNTS_FOR_PROGRESS.items()})


class CourseStep(Page):
    """What every step of a course shares; lessons, quizzes and scenarios are course steps.
    A required, published step counts towards completing the course (COUNTS_FOR_PROGRESS)."""

    summary = models.TextField(_("summary"), max_length=500, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    is_required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required steps must be done to finish the course."),
    )

    step_panels = [FieldPanel("estimated_minutes"), FieldPanel("is_required")]
    is_creatable = False
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("course step")

    @cached_property
    def course(self):
        return CoursePage.objects.get(pk=self.get_parent().pk)

    @property
    def counts_for_progress(self):
        """Whether this step counts towards its course's progress (COUNTS_FOR_PROGRESS)."""
        return all(getattr(self, name) == value for name, value in COUNTS_FOR_PROGRESS.items())

    @property
    def kind_label(self):
        """What kind of step this is, as learners call it (lección, cuestionario, juego de rol)."""
        return capfirst(self._meta.verbose_name)


class LessonPage(LoginRequiredPageMixin, RoutablePageMixin, CourseStep):
    """A lesson: learning objectives and a body of training blocks."""

    objectives = StreamField(ObjectivesBlock(), verbose_name=_("learning objectives"), blank=True)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("body"),
        MultiFieldPanel(CourseStep.step_panels, heading=_("In the course")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")

    def get_context(self, request, *args, **kwargs):
        from .selectors import enrolment_in, lesson_context
        from .services import record_visit, start_lesson

        context = super().get_context(request, *args, **kwargs)
        enrolment = enrolment_in(self.get_parent().pk, request.user)
        if enrolment is not None:
            self.__dict__["course"] = enrolment.course  # read with it: no query for it
        visit = not getattr(request, "is_preview", False)
        if visit:
            enrolment = record_visit(
                person=request.user, course=self.course, step=self, enrolment=enrolment
            )
        context.update(lesson_context(self, request.user, enrolment))
        if visit and not context["is_started"]:
            start_lesson(person=request.user, lesson=self, enrolment=enrolment)
        return context

    @path("")
    def lesson(self, request):
        return self.render(request)

    @path("completar/", name="complete")
    def complete(self, request):
        """Mark the lesson done and go on to the next step (POST only)."""
        from .services import complete_lesson

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        result = complete_lesson(person=request.user, lesson=self)
        if result.course_completed:
            messages.success(request, gettext("Course completed. Well done!"))
            return redirect(self.course.url)
        following = result.next_step
        return redirect(following.url if following else self.course.url)

    @re_path(r"^reflexion/(?P<block_id>[0-9a-f-]{36})/$", name="reflection")
    def reflection(self, request, block_id):
        """Save the learner's private answer to a reflection prompt (POST only)."""
        from .services import save_reflection

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if block_id not in {block.id for block in self.body if block.block_type == "reflection"}:
            return redirect(self.url)
        save_reflection(
            person=request.user, lesson=self, block_id=block_id, text=request.POST.get("text", "")
        )
        # Confirmed inside the reflection itself (the page's messages sit far above it).
        return redirect(f"{self.url}?guardada={block_id}#reflexion-{block_id}")


class Enrolment(models.Model):
    """A person taking a course; created on their first visit."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        db_index=False,  # the lead column of a composite unique index
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_step = models.ForeignKey(
        CourseStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_visited_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="one_enrolment_per_course")
        ]

    def __str__(self):
        return f"{self.person} · {self.course}"


class StepCompletion(models.Model):
    """A step a person has done. Doing it again changes nothing."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="step_completions",
        db_index=False,  # the lead column of a composite unique index
    )
    step = models.ForeignKey(CourseStep, on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        verbose_name = _("completed step")
        verbose_name_plural = _("completed steps")
        constraints = [
            models.UniqueConstraint(fields=["person", "step"], name="one_completion_per_step")
        ]

    def __str__(self):
        return f"{self.person} · {self.step_id}"


class StepStart(models.Model):
    """The first time a person opened a step that keeps no attempts of its own (a lesson):
    the lifecycle's "started" is reported once, when this row is written
    (courses.services.start_lesson)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="step_starts",
        db_index=False,  # the lead column of a composite unique index
    )
    step = models.ForeignKey(CourseStep, on_delete=models.CASCADE, related_name="starts")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("started"))

    class Meta:
        verbose_name = _("started step")
        verbose_name_plural = _("started steps")
        constraints = [
            models.UniqueConstraint(fields=["person", "step"], name="one_start_per_step")
        ]

    def __str__(self):
        return f"{self.person} · {self.step_id}"


class Reflection(models.Model):
    """A learner's private written answer to a reflection prompt of a lesson."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reflections",
        db_index=False,  # the lead column of a composite unique index
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="reflections")
    block_id = models.CharField(max_length=36)
    text = models.TextField(_("answer"), max_length=5000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "lesson", "block_id"], name="one_reflection_per_prompt"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.lesson_id} · {self.block_id}"


class TeamAssignment(models.Model):
    """A course assigned to a whole team: it reaches everyone in the team now and everyone who
    joins later, who get as many days as the team had when it was assigned."""

    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("due"))
    days_allowed = models.PositiveSmallIntegerField(_("days allowed to newcomers"))
    note = models.TextField(_("note"), blank=True, max_length=1000)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("team assignment")
        verbose_name_plural = _("team assignments")

    def __str__(self):
        return f"{self.team} · {self.course}"


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    @staticmethod
    def is_overdue(today=None):
        """The condition with_status() calls overdue — past the due date, the course not
        completed — in a form an index on the due date serves (NOT EXISTS becomes an
        anti-join instead of a look-up per row), to filter or sort on."""
        from django.db.models import Exists, OuterRef, Q

        today = today or timezone.localdate()
        completed = Enrolment.objects.filter(
            person=OuterRef("person"), course=OuterRef("course"), completed_at__isnull=False
        )
        return Q(due_on__lt=today) & ~Exists(completed)

    def overdue(self, today=None):
        """Active assignments past their due date whose course is not completed: the same
        rows as with_status() calls overdue."""
        return self.active().filter(self.is_overdue(today))

    def with_status(self, today=None):
        """Annotate `status`, derived — never typed: completed when the course is completed,
        otherwise overdue after the due date, in progress once the course was opened, else
        not started."""
        from django.db.models import Case, Exists, OuterRef, Value, When

        today = today or timezone.localdate()
        enrolments = Enrolment.objects.filter(person=OuterRef("person"), course=OuterRef("course"))
        return self.annotate(
            started=Exists(enrolments),
            completed=Exists(enrolments.filter(completed_at__isnull=False)),
        ).annotate(
            status=Case(
                When(completed=True, then=Value(AssignmentStatus.COMPLETED)),
                When(due_on__lt=today, then=Value(AssignmentStatus.OVERDUE)),
                When(started=True, then=Value(AssignmentStatus.IN_PROGRESS)),
                default=Value(AssignmentStatus.NOT_STARTED),
                output_field=models.CharField(),
            )
        )


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "sin-iniciar", _("not started")
    IN_PROGRESS = "en-curso", _("in progress")
    COMPLETED = "completado", _("completed")
    OVERDUE = "vencido", _("overdue")


class BulkAction(models.TextChoices):
    """What a manager can do at once to the people or assignments they tick."""

    ASSIGN = "assign", _("Assign a course")
    EXTEND = "extend", _("Change the due date")
    WITHDRAW = "withdraw", _("Withdraw a course")
    REMIND = "remind", _("Send a reminder")


class Assignment(models.Model):
    """A course a person must take by a due date: given to them directly or through their
    team. One active assignment per person and course."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="assignments")
    due_on = models.DateField(_("due"))
    note = models.TextField(_("note"), blank=True, max_length=1000)
    team_assignment = models.ForeignKey(
        TeamAssignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    reminded_on = models.DateField(_("reminder sent"), null=True, blank=True)
    overdue_notice_on = models.DateField(_("overdue notice sent"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            # Overdue work: the active assignments past their due date (see overdue()).
            models.Index(
                fields=["due_on"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assignment_active_due",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_assignment_per_course",
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.course} · {self.due_on}"


class AssignmentEvent(models.Model):
    """The audit log of assignments: who did what, when."""

    class Action(models.TextChoices):
        CREATED = "created", _("assigned")
        CHANGED = "changed", _("due date changed")
        WITHDRAWN = "withdrawn", _("withdrawn")
        COMPLETED = "completed", _("completed")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment event")
        verbose_name_plural = _("assignment events")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.assignment_id}"


class DigestSent(models.Model):
    """A weekly digest already sent to a supervisor, so the week's digest goes out once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    week = models.DateField(_("week starting"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "week"], name="one_digest_a_week")]

    def __str__(self):
        return f"{self.person_id} · {self.week}"


class OnboardingRule(models.Model):
    """HR's "every new agent gets this course within N days of joining": it reaches agents
    who join after it is made and those who joined within the last N days."""

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField(_("days to complete it"), default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=True)
    assigned_at_creation = models.ManyToManyField(
        Assignment,
        verbose_name=_("assigned when it was created"),
        blank=True,
        related_name="+",
        help_text=_("Exactly what undoing the rule withdraws."),
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("onboarding rule")
        verbose_name_plural = _("onboarding rules")
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=models.Q(is_active=True),
                name="one_active_onboarding_rule_per_course",
            )
        ]

    def __str__(self):
        return f"{self.course} · {self.days}"
