"""The question bank (snippets with revisions), quiz pages and attempts."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, RevisionMixin
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase

from attitude.models import CriticalReason, KeyReview
from attitude.panels import KeyReviewPanel
from courses.models import CourseStep, LoginRequiredPageMixin

from .panels import QuestionQualityPanel, QuizRulesPanel
from .widgets import DimensionWeightsWidget


def reaches(score, percent):
    """The passing rule, in one place: a quiz score (0..1) reaches a mark (a percentage) when
    score × 100 ≥ mark, in double precision, without rounding the score first. A quiz is
    passed at its pass mark (QuizPage.passes); a programme asks for its own minimum or the
    quiz's pass mark (certification.progress). `AttemptQuerySet.reaching` is the same rule in
    SQL, written with the same expression so the database and Python agree on every score."""
    return score * 100.0 >= percent


class QuestionCategory(models.Model):
    """A bank category; a quiz can draw questions at random from one."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    panels = [FieldPanel("name")]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.Question", related_name="tagged_items")


class QuestionForm(WagtailAdminModelForm):
    """Checks the options as a whole: what marks the right answer depends on the kind."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("options")
        if formset is None or not formset.is_valid():
            return cleaned
        options = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for problem in Question.option_problems(cleaned.get("kind"), options):
            self.add_error(None, problem)
        return cleaned


class Question(KeyReview, RevisionMixin, index.Indexed, ClusterableModel):
    """A question of the bank. Attempts keep a snapshot of it, so editing never changes old
    results."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple response")
        TRUE_FALSE = "true_false", _("True or false")
        SITUATIONAL = "situational", _("Situational judgement")
        RATING = "rating", _("Rate each response")

    key = models.SlugField(
        _("key"),
        max_length=60,
        unique=True,
        help_text=_("A short, stable identifier, e.g. cs-07."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    situation = models.TextField(
        _("situation"),
        blank=True,
        help_text=_("The customer situation, for situational and rating questions."),
    )
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)
    dimensions = ParentalManyToManyField(
        "attitude.ServiceDimension", verbose_name=_("dimensions measured"), blank=True
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True)

    base_form_class = QuestionForm
    panels = [
        MultiFieldPanel(
            [FieldPanel("key"), FieldPanel("kind"), FieldPanel("category"), FieldPanel("tags")],
            heading=_("Question"),
        ),
        FieldPanel("situation"),
        FieldPanel("text"),
        FieldPanel("explanation"),
        FieldPanel("dimensions"),
        InlinePanel("options", heading=_("Options"), label=_("Option"), min_num=2),
        QuestionQualityPanel(heading=_("Item-quality checks")),
        KeyReviewPanel(url_name="quizzes_review_key"),
    ]
    search_fields = [
        index.SearchField("text"),
        index.SearchField("situation"),
        index.AutocompleteField("text"),
        index.FilterField("kind"),
        index.FilterField("category"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key}: {self.text[:80]}"

    def key_revised_at(self):
        revision = self.latest_revision
        return revision.created_at if revision else None

    def with_content_json(self, content):
        return self.keep_key_review(super().with_content_json(content))

    @classmethod
    def option_problems(cls, kind, options):
        """What marks the right answer, by kind: single choice and true/false have exactly one
        correct option; multiple response at least one; situational judgement a credit on
        every option with the best at 1; rating an expert rating on every response. A critical
        option says why it is critical (attitude.models.CriticalReason), and only a critical
        one carries a reason."""
        problems = []
        correct = sum(1 for option in options if option.get("is_correct"))
        if kind in {cls.Kind.SINGLE, cls.Kind.TRUE_FALSE} and correct != 1:
            problems.append(gettext("Mark exactly one option as correct."))
        if kind == cls.Kind.TRUE_FALSE and len(options) != 2:
            problems.append(gettext("A true-or-false question has two options."))
        if kind == cls.Kind.MULTIPLE and not correct:
            problems.append(gettext("Mark at least one option as correct."))
        if kind == cls.Kind.SITUATIONAL:
            credits = [option.get("credit") for option in options]
            if any(credit is None for credit in credits) or max(credits, default=0) != 1:
                problems.append(gettext("Give every option a credit from 0 to 1; the best gets 1."))
        if kind == cls.Kind.RATING and any(not option.get("expert_rating") for option in options):
            problems.append(gettext("Give every response an expert rating."))
        if any(
            option.get("is_critical") and not option.get("critical_reason") for option in options
        ):
            problems.append(gettext("Say why each critical option is critical."))
        if any(
            option.get("critical_reason") and not option.get("is_critical") for option in options
        ):
            problems.append(gettext("Only a critical option has a reason for being critical."))
        return problems


class AnswerOption(Orderable):
    """An option of a question, with its feedback and the weights it carries on the service
    dimensions it touches (−2…+2; unset means not measured)."""

    RATINGS = [
        (1, _("1 · very ineffective")),
        (2, _("2 · ineffective")),
        (3, _("3 · effective")),
        (4, _("4 · very effective")),
    ]

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.TextField(_("text"))
    is_correct = models.BooleanField(_("correct"), default=False)
    credit = models.DecimalField(
        _("credit"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Situational judgement: from 0 (poor) to 1 (best)."),
    )
    expert_rating = models.PositiveSmallIntegerField(
        _("expert rating"),
        choices=RATINGS,
        null=True,
        blank=True,
        help_text=_("Rating questions: how effective the experts judge this response."),
    )
    is_critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_(
            "Lying to, insulting or discriminating against the customer, leaking their data, "
            "unsafe advice or a change without consent: choosing it fails "
            "the question whatever else was chosen."
        ),
    )
    critical_reason = models.CharField(
        _("why it is critical"),
        max_length=20,
        choices=CriticalReason.choices,
        blank=True,
        help_text=_(
            "Required for a critical option. Defensiveness, coldness or a poor procedure are "
            "scored low, not critical."
        ),
    )
    feedback = models.TextField(_("feedback"), blank=True)
    weights = models.JSONField(_("dimension weights"), default=dict, blank=True)

    panels = [
        FieldPanel("text"),
        MultiFieldPanel(
            [
                FieldPanel("is_correct"),
                FieldPanel("credit"),
                FieldPanel("expert_rating"),
                FieldPanel("is_critical"),
                FieldPanel("critical_reason"),
            ],
            heading=_("Scoring"),
        ),
        FieldPanel("feedback"),
        FieldPanel("weights", widget=DimensionWeightsWidget),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.credit is not None and not 0 <= self.credit <= 1:
            raise ValidationError({"credit": gettext("Credit goes from 0 to 1.")})


class FeedbackMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, question by question")
    AFTER_SUBMIT = "after_submit", _("After submitting")
    AFTER_LAST_ATTEMPT = "after_last_attempt", _("After the last attempt, or once the quiz closes")
    AFTER_CLOSE = "after_close", _("Only once the quiz closes")


class QuizPage(LoginRequiredPageMixin, RoutablePageMixin, CourseStep):
    """A quiz as a step of a course. Passing it completes the step."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "ul", "link"])
    draw_category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("draw from category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn at random"),
        default=0,
        help_text=_("Drawn from the category, besides the fixed questions."),
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means no limit.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    feedback_mode = models.CharField(
        _("show feedback"),
        max_length=20,
        choices=FeedbackMode.choices,
        default=FeedbackMode.AFTER_SUBMIT,
    )
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    high_stakes = models.BooleanField(
        _("counts for certification"),
        default=True,
        help_text=_(
            "Leave on when a certification programme requires this course: the right answers, "
            "the feedback on each option and the explanations are then shown only once the "
            "agent has no attempts left or the quiz has closed. Turn off for a practice quiz."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        InlinePanel("fixed_questions", heading=_("Fixed questions"), label=_("Question")),
        MultiFieldPanel(
            [FieldPanel("draw_category"), FieldPanel("draw_count")],
            heading=_("Questions drawn at random"),
        ),
        MultiFieldPanel(
            [
                QuizRulesPanel(),
                FieldPanel("high_stakes"),
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
                FieldPanel("feedback_mode"),
                FieldPanel("closes_at"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(CourseStep.step_panels, heading=_("In the course")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")

    def clean(self):
        super().clean()
        if self.draw_count and not self.draw_category_id:
            raise ValidationError({"draw_category": gettext("Choose the category to draw from.")})
        if not 1 <= self.pass_mark <= 100:
            raise ValidationError({"pass_mark": gettext("The pass mark goes from 1 to 100.")})

    @property
    def time_limit(self):
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None

    def passes(self, score):
        """A score (0..1) passes the quiz at or above its pass mark (`reaches`)."""
        return reaches(score, self.pass_mark)

    def is_closed(self, now=None):
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at

    def attempts_left(self, person):
        """How many more attempts the person may start (None: no limit)."""
        if not self.max_attempts:
            return None
        used = self.attempts.filter(person=person).count()
        return max(0, self.max_attempts - used)

    def key_visible(self, attempt, now=None):
        """Whether the agent may see the key of this attempt: which options are right, their
        credits and expert ratings, the feedback on each option, the explanations and the score
        of each question. The feedback setting says when: after each checked question, after
        submitting, after the last attempt, or once the quiz closes. A quiz that counts for
        certification shows it, whatever the setting, only once the agent has no attempts
        left or the quiz has closed, so no retry is answered from the key. The overall and
        per-dimension scores are no key: they are always shown after submitting."""
        closed = self.is_closed(now)
        no_retry = closed or self.attempts_left(attempt.person) == 0
        if self.high_stakes and not no_retry:
            return False
        if not attempt.is_submitted:  # only a checked question, only with immediate feedback
            return self.feedback_mode == FeedbackMode.IMMEDIATE
        if self.feedback_mode == FeedbackMode.AFTER_LAST_ATTEMPT:
            return no_retry
        if self.feedback_mode == FeedbackMode.AFTER_CLOSE:
            return closed
        return True

    def key_rule_warnings(self):
        """What the editor should know about when agents will see the key, given the settings
        (the rule itself is key_visible): a certification quiz whose feedback setting would
        show the key while retries remain, and settings under which it never shows."""
        warnings = []
        early = {FeedbackMode.IMMEDIATE, FeedbackMode.AFTER_SUBMIT}
        if self.high_stakes and self.max_attempts != 1 and self.feedback_mode in early:
            warnings.append(
                gettext(
                    "This quiz counts for certification and allows more than one attempt, so "
                    "agents will not see the right answers “%(mode)s”: they are held until the "
                    "agent has no attempts left or the quiz closes. Choose “%(safe)s”, or allow "
                    "a single attempt."
                )
                % {
                    "mode": FeedbackMode(self.feedback_mode).label.lower(),
                    "safe": FeedbackMode.AFTER_LAST_ATTEMPT.label.lower(),
                }
            )
        waits_for_last = self.high_stakes or self.feedback_mode == FeedbackMode.AFTER_LAST_ATTEMPT
        if self.closes_at is None and (
            self.feedback_mode == FeedbackMode.AFTER_CLOSE
            or (waits_for_last and not self.max_attempts)
        ):
            warnings.append(
                gettext(
                    "With these settings agents never see the right answers: limit the "
                    "attempts or set a closing date."
                )
            )
        return warnings

    # Routes: the views live in views.py to keep the model thin.
    def get_context(self, request, *args, **kwargs):
        from .selectors import quiz_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(quiz_overview(self, request.user))
        return context

    @path("")
    def overview(self, request):
        return self.render(request)

    @path("empezar/", name="start")
    def start(self, request):
        from .views import start

        return start(request, self)

    @path("pregunta/<int:position>/", name="question")
    def question(self, request, position):
        from .views import question

        return question(request, self, position)

    @path("guardar/<int:position>/", name="autosave")
    def autosave(self, request, position):
        from .views import autosave

        return autosave(request, self, position)

    @path("revisar/", name="review")
    def review(self, request):
        from .views import review

        return review(request, self)

    @path("enviar/", name="submit")
    def submit(self, request):
        from .views import submit

        return submit(request, self)

    @path("resultado/<int:number>/", name="result")
    def result(self, request, number):
        from .views import result

        return result(request, self, number)


class QuizQuestion(Orderable):
    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("fixed question")


class AttemptQuerySet(models.QuerySet):
    def open(self):
        return self.filter(submitted_at__isnull=True)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def expired(self, now=None):
        """Open attempts whose time ran out (the deadline includes the grace period)."""
        return self.open().filter(deadline__lte=now or timezone.now())

    def reaching(self, percent):
        """Submitted attempts whose score reaches `percent`: the rule of `reaches`, computed
        by the database (score × 100.0 ≥ percent in double precision, as Python does)."""
        percent_of = models.ExpressionWrapper(
            models.F("score") * models.Value(100.0), output_field=models.FloatField()
        )
        return self.submitted().alias(percent=percent_of).filter(percent__gte=percent)


class Attempt(models.Model):
    """One go at a quiz. `snapshot` keeps what was shown — texts, options, credits, weights —
    so later edits of the bank never change this attempt's result or review."""

    GRACE = timedelta(seconds=30)

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        db_index=False,  # the lead column of a composite unique index
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted when time ran out"), default=False)
    snapshot = models.JSONField(_("what was shown"), default=dict)
    score = models.FloatField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    critical_count = models.PositiveSmallIntegerField(_("critical choices"), default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        # By the keys, not the related models: ordering by "person" joined the user table to
        # sort by name on every query of attempts.
        ordering = ["quiz_id", "person_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "quiz", "number"], name="attempt_number"),
            models.UniqueConstraint(
                fields=["person", "quiz"],
                condition=models.Q(submitted_at__isnull=True),
                name="one_open_attempt_per_quiz",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.quiz_id} #{self.number}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def questions(self):
        return self.snapshot.get("questions", [])

    @property
    def percent(self):
        return None if self.score is None else round(self.score * 100)

    def time_left(self, now=None):
        if self.deadline is None:
            return None
        return max(timedelta(0), self.deadline - self.GRACE - (now or timezone.now()))

    def time_is_up(self, now=None):
        """The time limit has passed (the grace period after it is for the browser's last
        post, so an attempt submitted in it still ran out of time)."""
        return self.deadline is not None and self.time_left(now) == timedelta(0)

    def has_expired(self, now=None):
        return self.deadline is not None and (now or timezone.now()) >= self.deadline


class AttemptAnswer(models.Model):
    """The saved answer to one question of an attempt; saved as the agent goes, scored on
    submission (or when checked, with immediate feedback)."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question_id = models.PositiveIntegerField(_("question"))
    response = models.JSONField(_("response"), default=list)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)
    checked = models.BooleanField(_("checked"), default=False)
    score = models.FloatField(_("score"), null=True, blank=True)
    critical = models.BooleanField(_("critical choice"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.question_id}"


class QuizStatistics(models.Model):
    """Item analysis of a quiz, refreshed by a background task after submissions so no
    editor waits for it to be computed. One recompute is queued at a time (`refresh_queued_at`
    says since when; a request older than the task lease counts as lost); recomputes are
    numbered as they start, and figures are stored only over older ones."""

    quiz = models.OneToOneField(QuizPage, on_delete=models.CASCADE, related_name="statistics")
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    data = models.JSONField(default=dict)
    refresh_queued_at = models.DateTimeField(_("recompute queued"), null=True, blank=True)
    refreshes_started = models.PositiveIntegerField(_("recomputes started"), default=0)
    refresh_stored = models.PositiveIntegerField(_("recompute stored"), default=0)

    class Meta:
        verbose_name = _("quiz statistics")
        verbose_name_plural = _("quiz statistics")

    def __str__(self):
        return f"{self.quiz_id} · {self.attempts}"
