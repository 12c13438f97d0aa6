"""Reading the attitude profile: per dimension, per axis, the quadrant, and team aggregates.

The rules, in one place:
- A dimension's score is earned / possible over the evidence of the latest completed attempt
  of each activity, shown with its evidence count; under `MIN_EVIDENCE` items it is marked
  "evidencia insuficiente" (the number is still shown, but it does not place the agent).
- An axis score is the mean of its dimensions' scores weighted by each dimension's
  `axis_weight`, over the dimensions with sufficient evidence. Its uncertainty is the standard
  error of a proportion, sqrt(p(1 - p) / n), n being the evidence items behind it.
- The quadrant: competence at or above `THRESHOLD` is "eficaz", treatment at or above it is
  "agradable". A score within its standard error of the threshold is "en el límite".
- Overall is the weighted mean of all dimensions with sufficient evidence.
- Self-ratings 1..5 map to 0..1 as (r - 1) / 4; a gap is self minus measured.
"""

import math
from dataclasses import dataclass, field
from statistics import fmean, pstdev

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from .models import Axis, Evidence, EvidenceRecord, SelfRating, ServiceDimension

MIN_EVIDENCE = 5
THRESHOLD = 0.6
QUADRANTS = {
    (True, True): _("effective and pleasant"),
    (True, False): _("effective but unpleasant"),
    (False, True): _("ineffective but pleasant"),
    (False, False): _("ineffective and unpleasant"),
}


@dataclass
class DimensionScore:
    dimension: ServiceDimension
    earned: float = 0.0
    possible: float = 0.0
    count: int = 0
    self_rating: int | None = None

    @property
    def score(self):
        return self.earned / self.possible if self.possible else None

    @property
    def percent(self):
        return None if self.score is None else round(self.score * 100)

    @property
    def sufficient(self):
        return self.count >= MIN_EVIDENCE

    @property
    def self_score(self):
        return None if self.self_rating is None else (self.self_rating - 1) / 4

    @property
    def self_percent(self):
        return None if self.self_score is None else round(self.self_score * 100)

    @property
    def gap(self):
        """Self-perception minus measured attitude, in points out of 100."""
        if self.self_score is None or self.score is None or not self.sufficient:
            return None
        return round((self.self_score - self.score) * 100)


@dataclass
class AxisScore:
    axis: str
    label: str
    score: float | None
    count: int

    @property
    def percent(self):
        return None if self.score is None else round(self.score * 100)

    @property
    def error(self):
        if self.score is None or not self.count:
            return None
        return math.sqrt(self.score * (1 - self.score) / self.count)

    @property
    def reaches_threshold(self):
        return self.score is not None and self.score >= THRESHOLD

    @property
    def borderline(self):
        return self.error is not None and abs(self.score - THRESHOLD) < self.error


@dataclass
class Profile:
    dimensions: list
    axes: dict = field(default_factory=dict)
    critical_count: int = 0
    activity_count: int = 0

    @property
    def has_evidence(self):
        return any(d.count for d in self.dimensions)

    @property
    def overall(self):
        return _weighted([d for d in self.dimensions if d.sufficient])

    @property
    def overall_percent(self):
        return None if self.overall is None else round(self.overall * 100)

    @property
    def quadrant(self):
        competence, treatment = self.axes[Axis.COMPETENCE], self.axes[Axis.TREATMENT]
        if competence.score is None or treatment.score is None:
            return None
        return QUADRANTS[(competence.reaches_threshold, treatment.reaches_threshold)]

    @property
    def borderline(self):
        return any(axis.borderline for axis in self.axes.values())

    @property
    def has_self_assessment(self):
        return any(d.self_rating is not None for d in self.dimensions)

    def largest_gaps(self, limit=3):
        """The dimensions where self-perception and measured attitude differ most."""
        gaps = [d for d in self.dimensions if d.gap is not None and d.gap != 0]
        return sorted(gaps, key=lambda d: abs(d.gap), reverse=True)[:limit]


def _weighted(scores):
    total = sum(float(d.dimension.axis_weight) for d in scores if d.score is not None)
    if not total:
        return None
    return sum(float(d.dimension.axis_weight) * d.score for d in scores if d.score is not None) / (
        total
    )


def profile_for(person):
    """The attitude profile of one person, in three queries whatever their history."""
    dimensions = list(ServiceDimension.objects.all())
    measured = {s.dimension.pk: s for _, s in _scores_per_person([person.pk], dimensions)}
    ratings = dict(SelfRating.objects.filter(person=person).values_list("dimension", "rating"))
    records = EvidenceRecord.objects.filter(person=person).current()
    totals = records.aggregate(critical=Sum("critical_count"), activities=Count("pk"))
    scores = [measured.get(d.pk) or DimensionScore(dimension=d) for d in dimensions]
    for score in scores:
        score.self_rating = ratings.get(score.dimension.pk)
    return Profile(
        dimensions=scores,
        axes=_axes(scores),
        critical_count=totals["critical"] or 0,
        activity_count=totals["activities"] or 0,
    )


def _axes(scores):
    axes = {}
    for axis, label in Axis.choices:
        members = [d for d in scores if d.dimension.axis == axis and d.sufficient]
        axes[axis] = AxisScore(
            axis=axis,
            label=label,
            score=_weighted(members),
            count=sum(d.count for d in members),
        )
    return axes


@dataclass
class TeamDimension:
    dimension: ServiceDimension
    mean: float | None
    spread: float | None
    people: int

    @property
    def mean_percent(self):
        return None if self.mean is None else round(self.mean * 100)

    @property
    def spread_percent(self):
        return None if self.spread is None else round(self.spread * 100)


def team_profile(people, *, scores=None, dimensions=None):
    """Per dimension across `people` (a QuerySet of users, already limited by the access
    policy): the mean of the members' scores and their spread (population standard
    deviation), over members with sufficient evidence on that dimension. One query for the
    evidence whatever the team's size; none when `scores` ({person id: [DimensionScore]},
    from `scores_by_person`) already holds them, as for several teams read at once."""
    dimensions = list(ServiceDimension.objects.all()) if dimensions is None else dimensions
    if scores is None:
        scores = scores_by_person(people, dimensions)
        people = scores
    per_dimension = {}
    for person in people:
        for score in scores.get(person, ()):
            if score.sufficient and score.score is not None:
                per_dimension.setdefault(score.dimension.pk, []).append(score.score)
    result = []
    for d in dimensions:
        values = per_dimension.get(d.pk, [])
        result.append(
            TeamDimension(
                dimension=d,
                mean=fmean(values) if values else None,
                spread=pstdev(values) if values else None,
                people=len(values),
            )
        )
    return result


def scores_by_person(people, dimensions):
    """{person id: [DimensionScore]} for each of `people` with evidence: the sums the
    database grouped per person and dimension, in one query."""
    scores = {}
    for person, score in _scores_per_person(people, dimensions):
        scores.setdefault(person, []).append(score)
    return scores


def overall_percent(scores):
    """Profile.overall, in percent, from one person's DimensionScores."""
    overall = _weighted([d for d in scores if d.sufficient])
    return None if overall is None else round(overall * 100)


def _scores_per_person(people, dimensions):
    """(person id, DimensionScore) for each person and dimension with evidence, over the
    latest attempt of each activity: one query whatever the number of people."""
    by_pk = {d.pk: d for d in dimensions}
    rows = (
        Evidence.objects.filter(record__person__in=people, record__is_latest=True)
        .values("record__person", "dimension")
        .annotate(earned=Sum("earned"), possible=Sum("possible"), count=Count("pk"))
    )
    for row in rows:
        yield (
            row["record__person"],
            DimensionScore(
                dimension=by_pk[row["dimension"]],
                earned=row["earned"] or 0.0,
                possible=row["possible"] or 0.0,
                count=row["count"],
            ),
        )


def record_dimensions(*, source, reference):
    """Per dimension, earned/possible over the evidence of one attempt or run only (not the
    profile, which combines the latest of every activity): what this attempt showed, with the
    number of items behind each score, in the dimensions' order. Two queries."""
    totals = {
        row["dimension"]: row
        for row in Evidence.objects.filter(record__source=source, record__reference=reference)
        .values("dimension")
        .annotate(earned=Sum("earned"), possible=Sum("possible"), count=Count("pk"))
    }
    return [
        DimensionScore(
            dimension=dimension,
            earned=totals[dimension.pk]["earned"],
            possible=totals[dimension.pk]["possible"],
            count=totals[dimension.pk]["count"],
        )
        for dimension in ServiceDimension.objects.filter(pk__in=totals)
    ]


TREND_DAYS = 30
TREND_STEP = 3  # points out of 100: a smaller change reads as steady


@dataclass
class Trend:
    """The overall attitude score of the last `TREND_DAYS` days against the days before."""

    recent: int
    previous: int

    @property
    def change(self):
        return self.recent - self.previous

    @property
    def direction(self):
        if self.change >= TREND_STEP:
            return "up"
        if self.change <= -TREND_STEP:
            return "down"
        return "steady"


def overall_trends(people, dimensions, *, now=None, days=TREND_DAYS):
    """{person id: Trend} for each of `people` with enough evidence in both windows: the last
    `days` days and the `days` before them. Each window scores every answer recorded in it
    (any attempt, not only the latest: the trend is about how the person does lately), as
    the weighted mean of earned/possible per dimension, over the dimensions measured in both
    windows, so a new dimension cannot fake a change; each window needs `MIN_EVIDENCE`
    answers on those dimensions. One query whatever the number of people."""
    from datetime import timedelta

    from django.db.models import Case, IntegerField, Q, Value, When
    from django.utils import timezone

    now = now or timezone.now()
    split, start = now - timedelta(days=days), now - timedelta(days=2 * days)
    rows = (
        Evidence.objects.filter(
            record__person__in=people, record__recorded_at__gte=start, record__recorded_at__lte=now
        )
        .annotate(
            recent=Case(
                When(Q(record__recorded_at__gte=split), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values("record__person", "recent", "dimension")
        .annotate(earned=Sum("earned"), possible=Sum("possible"), count=Count("pk"))
        .order_by()
    )
    by_pk = {d.pk: d for d in dimensions}
    windows = {}
    for row in rows:
        windows.setdefault(row["record__person"], ({}, {}))[row["recent"]][row["dimension"]] = (
            DimensionScore(
                dimension=by_pk[row["dimension"]],
                earned=row["earned"] or 0.0,
                possible=row["possible"] or 0.0,
                count=row["count"],
            )
        )
    trends = {}
    for person, (previous, recent) in windows.items():
        shared = [pk for pk in recent if pk in previous and pk in by_pk]
        before = [previous[pk] for pk in shared]
        after = [recent[pk] for pk in shared]
        if min(sum(d.count for d in before), sum(d.count for d in after)) < MIN_EVIDENCE:
            continue
        old, new = _weighted(before), _weighted(after)
        if old is not None and new is not None:
            trends[person] = Trend(recent=round(new * 100), previous=round(old * 100))
    return trends


ORGANISATION_CACHE_SECONDS = 600


def organisation_profile(dimensions):
    """Per dimension, the mean over everyone in the organisation with sufficient evidence of
    their score on it — the figure a team's mean (`team_profile`) compares with, computed
    the same way but in the database: the people's scores are grouped in a subquery and
    averaged over it, one query whatever the size of the organisation. {dimension id: mean}.

    It reads all the organisation's evidence, and moves slowly, so it is kept in the cache
    for `ORGANISATION_CACHE_SECONDS`: every supervisor's Mi equipo shares one reading."""
    from django.core.cache import cache

    key = "attitude:organisation_profile:" + ",".join(str(d.pk) for d in dimensions)
    return cache.get_or_set(
        key, lambda: _organisation_profile(dimensions), ORGANISATION_CACHE_SECONDS
    )


def _organisation_profile(dimensions):
    from django.db.models import Avg, F, FloatField, Q
    from django.db.models.functions import Cast

    per_person = (
        Evidence.objects.filter(record__is_latest=True, record__person__is_active=True)
        .values("record__person", "dimension")
        .annotate(
            score=Cast(Sum("earned"), FloatField()) / Cast(Sum("possible"), FloatField()),
            count=Count("pk"),
        )
        .filter(count__gte=MIN_EVIDENCE)
        .order_by()
    )
    means = per_person.aggregate(
        **{f"d{d.pk}": Avg(F("score"), filter=Q(dimension=d.pk)) for d in dimensions}
    )
    return {d.pk: means[f"d{d.pk}"] for d in dimensions}
