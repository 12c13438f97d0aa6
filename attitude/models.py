from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Axis(models.TextChoices):
    """The two axes of service attitude; together they place an agent in one of four types."""

    TREATMENT = "trato", _("Treatment of the customer")
    COMPETENCE = "competencia", _("Technical competence")


class CriticalReason(models.TextChoices):
    """Why an option or choice is critical: the one written criterion (ITEM-WRITING.md). A
    choice that is defensive, cold or a poor procedure is scored low, never critical."""

    LIE = "lie", _("Lie or deception of the customer")
    INSULT = "insult", _("Insult, mockery or disrespect")
    DISCRIMINATION = "discrimination", _("Discriminatory remark or treatment")
    DATA_LEAK = "data_leak", _("Disclosing personal data to the wrong person")
    UNSAFE_ADVICE = "unsafe_advice", _("Advice or instruction that puts the customer at risk")
    NO_CONSENT = "no_consent", _("Sale, sign-up or change without the customer's informed consent")


class KeyReview(models.Model):
    """Who last reviewed an item's key (its credits, ratings, weights and critical options) and
    when: a key is a claim an expert panel signs. A key revised after its review counts as not
    reviewed. Set by the editor action "Marcar clave como revisada"."""

    REVIEW_FIELDS = ("reviewed_by", "reviewed_on")

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_on = models.DateTimeField(_("key reviewed on"), null=True, blank=True)

    class Meta:
        abstract = True

    def key_revised_at(self):
        """When the content was last revised (override per model)."""
        return None

    @property
    def key_reviewed(self):
        revised = self.key_revised_at()
        return self.reviewed_on is not None and (revised is None or revised <= self.reviewed_on)

    def keep_key_review(self, obj):
        """Revisions never carry a review: restoring or publishing one keeps the current."""
        for name in ("reviewed_by_id", "reviewed_on"):
            setattr(obj, name, getattr(self, name))
        return obj


class ServiceDimensionQuerySet(models.QuerySet):
    def labels(self):
        """(slug, name) pairs in the active language, for choices and lookups."""
        return [(d.slug, d.label) for d in self.only("slug", "name", "name_en")]


class ServiceDimension(index.Indexed, models.Model):
    """One of the ten components of good service. Names, descriptions and axes are editable;
    the slug is the stable key that content and evidence refer to.

    Name, description and self-assessment statement are written in Spanish and, optionally,
    in English (the `_en` fields); `label`, `about` and `statement` give the text of the
    active language, falling back to the Spanish while the English is empty."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    axis = models.CharField(_("axis"), max_length=20, choices=Axis.choices)
    axis_weight = models.DecimalField(
        _("weight in its axis"),
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text=_("How much this dimension counts towards its axis score."),
    )
    self_assessment = models.CharField(
        _("self-assessment statement"),
        max_length=200,
        blank=True,
        help_text=_("What the agent rates themself on, e.g. “I keep the promises I make.”"),
    )
    self_assessment_en = models.CharField(
        _("self-assessment statement in English"), max_length=200, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("description"),
        FieldPanel("description_en"),
        FieldPanel("axis"),
        FieldPanel("axis_weight"),
        FieldPanel("self_assessment"),
        FieldPanel("self_assessment_en"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_en"),
        index.SearchField("description"),
        index.SearchField("description_en"),
    ]

    objects = ServiceDimensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("service dimension")
        verbose_name_plural = _("service dimensions")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.label

    def _in_language(self, field):
        english = getattr(self, f"{field}_en")
        if english and (get_language() or "").startswith("en"):
            return english
        return getattr(self, field)

    @property
    def label(self):
        """The name in the active language."""
        return self._in_language("name")

    @property
    def about(self):
        """The description in the active language."""
        return self._in_language("description")

    @property
    def statement(self):
        """The self-assessment statement in the active language ("" when there is none)."""
        return self._in_language("self_assessment")


class EvidenceRecordQuerySet(models.QuerySet):
    def current(self):
        """Only the latest completed attempt of each activity counts."""
        return self.filter(is_latest=True)


class EvidenceRecord(models.Model):
    """One completed, scored attempt at an activity (a quiz attempt, a scenario run): the unit
    that "only the latest attempt of each activity counts" applies to."""

    class Source(models.TextChoices):
        QUIZ = "quiz", _("Quiz")
        SCENARIO = "scenario", _("Scenario")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence_records"
    )
    activity = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("activity")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reference = models.CharField(_("attempt"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    is_latest = models.BooleanField(_("counts"), default=True)
    critical_count = models.PositiveSmallIntegerField(_("critical choices"), default=0)

    objects = EvidenceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence record")
        verbose_name_plural = _("evidence records")
        constraints = [
            models.UniqueConstraint(fields=["source", "reference"], name="one_record_per_attempt"),
            models.UniqueConstraint(
                fields=["person", "activity"],
                condition=models.Q(is_latest=True),
                name="one_latest_record_per_activity",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.source} {self.reference}"


class Evidence(models.Model):
    """One scored answer on one dimension: `earned` out of `possible` (normally 0..1 of 1)."""

    record = models.ForeignKey(EvidenceRecord, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(ServiceDimension, on_delete=models.CASCADE, related_name="+")
    earned = models.FloatField(_("earned"))
    possible = models.FloatField(_("possible"), default=1.0)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.dimension_id}: {self.earned}/{self.possible}"


class SelfRating(models.Model):
    """How an agent rates themself on one dimension, 1 (rarely) to 5 (always); ungraded."""

    SCALE = range(1, 6)

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="self_ratings",
        db_index=False,  # the lead column of a composite unique index
    )
    dimension = models.ForeignKey(ServiceDimension, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("self-rating")
        verbose_name_plural = _("self-ratings")
        constraints = [
            models.UniqueConstraint(fields=["person", "dimension"], name="one_self_rating"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="self_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.dimension_id}: {self.rating}"
