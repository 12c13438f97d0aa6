"""Client personalities (snippets), scenario pages and the runs agents play."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, RevisionMixin
from wagtail.search import index

from attitude.models import KeyReview
from attitude.panels import KeyReviewPanel
from courses.models import CourseStep, LoginRequiredPageMixin

from . import graph as scenario_graph
from .blocks import OUTCOMES, ScenarioGraphBlock
from .panels import ScenarioMapPanel


class ClientPersonality(RevisionMixin, index.Indexed, models.Model):
    """A kind of customer from the sources, with how to recognise them and what to do and
    not to do with them."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"))
    recognise = models.TextField(_("how to recognise them"))
    do = models.TextField(_("what to do"), help_text=_("One item per line."))
    dont = models.TextField(_("what not to do"), help_text=_("One item per line."))
    color = models.CharField(_("colour"), max_length=7, default="#0b5c7a")
    avatar = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("avatar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("recognise"),
        FieldPanel("do"),
        FieldPanel("dont"),
        MultiFieldPanel([FieldPanel("avatar"), FieldPanel("color")], heading=_("Picture")),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        verbose_name = _("client personality")
        verbose_name_plural = _("client personalities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def do_items(self):
        return [item.strip() for item in self.do.splitlines() if item.strip()]

    @property
    def dont_items(self):
        return [item.strip() for item in self.dont.splitlines() if item.strip()]


class Channel(models.TextChoices):
    PHONE = "telefono", _("Phone")
    COUNTER = "mostrador", _("Counter")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("Email")


def graph_from_stream(stream):
    """The StreamField's lines and endings as the plain graph of scenarios/graph.py."""
    lines, endings = [], []
    for block in stream:
        value = dict(block.value)
        if block.block_type == "line":
            value["choices"] = [
                {**choice, "weights": {w["dimension"]: int(w["weight"]) for w in choice["weights"]}}
                for choice in value["choices"]
            ]
            lines.append(value)
        else:
            endings.append(value)
    return scenario_graph.build(lines, endings)


class ScenarioPage(KeyReview, LoginRequiredPageMixin, RoutablePageMixin, CourseStep):
    """A branching role-play as a step of a course. Finishing it completes the step and adds
    evidence to the agent's attitude profile."""

    personality = models.ForeignKey(
        ClientPersonality,
        verbose_name=_("client personality"),
        on_delete=models.PROTECT,
        related_name="scenarios",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    situation = models.TextField(_("situation"))
    allow_back = models.BooleanField(_("allow going back"), default=False)
    graph = StreamField(ScenarioGraphBlock(), verbose_name=_("conversation"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("personality"), FieldPanel("channel"), FieldPanel("allow_back")],
            heading=_("Set-up"),
        ),
        FieldPanel("situation"),
        ScenarioMapPanel(heading=_("Scenario map")),
        FieldPanel("graph"),
        KeyReviewPanel(url_name="scenarios_review_key"),
        MultiFieldPanel(CourseStep.step_panels, heading=_("In the course")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("situation")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("scenario")

    def as_graph(self):
        return graph_from_stream(self.graph)

    def key_revised_at(self):
        return self.latest_revision_created_at

    def with_content_json(self, content):
        return self.keep_key_review(super().with_content_json(content))

    def clean(self):
        """Saving and publishing both refuse a broken graph, naming the line at fault."""
        super().clean()
        problems = scenario_graph.problems(self.as_graph())
        if problems:
            raise ValidationError({"graph": [str(problem) for problem in problems]})

    def get_context(self, request, *args, **kwargs):
        from .selectors import scenario_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(scenario_overview(self, request.user))
        return context

    @path("")
    def overview(self, request):
        return self.render(request)

    @path("empezar/", name="start")
    def start(self, request):
        from .views import start

        return start(request, self)

    @path("jugar/", name="play")
    def play(self, request):
        from .views import play

        return play(request, self)

    @path("elegir/", name="choose")
    def choose(self, request):
        from .views import choose

        return choose(request, self)

    @path("atras/", name="back")
    def back(self, request):
        from .views import back

        return back(request, self)

    @path("resultado/<int:number>/", name="result")
    def result(self, request, number):
        from .views import result

        return result(request, self, number)


class Run(models.Model):
    """One play-through of a scenario. `snapshot` freezes the graph as it was when the run
    started, so later edits never change what this run meant.

    The play page never shows the author's keys or order: `offered` lists the current line's
    choices in the order shown, each behind a random token, and `turn` is a random name for
    the run's present state (what the "go back" form posts); both are dealt again each time
    the run moves (scenarios.services)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scenario_runs",
        db_index=False,  # the lead column of a composite unique index
    )
    scenario = models.ForeignKey(ScenarioPage, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveSmallIntegerField(_("run"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    current_key = models.CharField(_("current line"), max_length=60)
    offered = models.JSONField(
        _("choices offered"),
        default=list,
        blank=True,
        help_text=_("The current line's choices as shown: [{token, index}] in page order."),
    )
    turn = models.CharField(_("turn"), max_length=32, blank=True)
    snapshot = models.JSONField(_("scenario as played"), default=dict)
    ending_key = models.CharField(_("ending"), max_length=60, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=OUTCOMES, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    critical = models.BooleanField(_("ended by a critical choice"), default=False)

    class Meta:
        verbose_name = _("scenario run")
        verbose_name_plural = _("scenario runs")
        ordering = ["scenario_id", "person_id", "number"]  # no join (see quizzes.Attempt)
        constraints = [
            models.UniqueConstraint(fields=["person", "scenario", "number"], name="run_number"),
            models.UniqueConstraint(
                fields=["person", "scenario"],
                condition=models.Q(finished_at__isnull=True),
                name="one_open_run_per_scenario",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.scenario_id} #{self.number}"

    @property
    def is_finished(self):
        return self.finished_at is not None

    @cached_property
    def graph(self):
        return self.snapshot["graph"]

    @property
    def percent(self):
        return None if self.score is None else round(self.score * 100)


class RunStep(models.Model):
    """One decision taken in a run, stored the moment it is taken."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="steps", db_index=False)
    position = models.PositiveSmallIntegerField(_("position"))
    line_key = models.CharField(_("line"), max_length=60)
    choice_key = models.CharField(_("choice"), max_length=60)
    choice_index = models.PositiveSmallIntegerField()
    token = models.CharField(_("token posted"), max_length=32, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["run_id", "position"]  # "run" sorted by Run's ordering, joining two tables
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="one_step_per_position")
        ]

    def __str__(self):
        return f"{self.run_id} · {self.position}: {self.choice_key}"
