"""Where people stand against a programme, computed by the database: each requirement of the
programme is a boolean column on a QuerySet of people, so one person (Mis certificados, the
issuing check) and a whole organisation (the progress matrix, its export) are read with the
same SQL — one home for the rule, `services.requirements` — and a page of the matrix costs
the same few queries for 10 people or 10,000.

The rule, stated once (services.requirements repeats it for its callers):
- every required course is completed;
- every live quiz of those courses has a submitted attempt at or above the programme's
  minimum (its own pass mark when the programme sets none);
- the overall attitude — the mean of the dimensions with sufficient evidence, weighted by
  each dimension's axis weight (attitude.selectors) — reaches the programme's minimum;
- each dimension with a minimum reaches it, with sufficient evidence.
Percentages of attitude are compared rounded to a whole number, as the profile shows them.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from attitude.models import Evidence, ServiceDimension
from attitude.selectors import MIN_EVIDENCE
from courses.models import Enrolment
from people.models import Membership

from .models import Certificate


class Kind(models.TextChoices):
    COURSE = "course"
    QUIZ = "quiz"
    ATTITUDE = "attitude"
    DIMENSION = "dimension"


@dataclass
class Requirement:
    """One requirement of a programme: what it asks (`label`, a sentence; `heading`, the
    matrix's column), where the person goes to meet it (`page`, a course or quiz page, or
    None for attitude, met through the profile) and the boolean SQL expression that says
    whether a person (the outer row) meets it, annotated as `key`."""

    key: str
    kind: str
    label: str
    heading: str
    condition: object
    page: object = None
    needed: int | None = None


def _latest_evidence():
    """The evidence that counts for one person (the outer row): the latest attempt of each
    activity, as in the profile."""
    return (
        Evidence.objects.filter(record__person=OuterRef("pk"), record__is_latest=True)
        .order_by()
        .values("record__person")
    )


def _dimension_terms(dimension_pk):
    """A dimension's ratio (earned / possible) and whether it counts (sufficient evidence,
    something possible), as aggregates over `_latest_evidence()` rows."""
    on = Q(dimension=dimension_pk)
    earned, possible = Sum("earned", filter=on), Sum("possible", filter=on)
    counts = GreaterThanOrEqual(Count("pk", filter=on), MIN_EVIDENCE) & GreaterThan(possible, 0)
    ratio = ExpressionWrapper(earned / possible, output_field=FloatField())
    return ratio, counts


def _met(condition):
    """A boolean aggregate of one person's evidence, False when they have none."""
    return Case(When(condition, then=Value(True)), default=Value(False))


def _evidence_check(condition):
    subquery = _latest_evidence().annotate(met=_met(condition)).values("met")
    return Coalesce(Subquery(subquery, output_field=models.BooleanField()), Value(False))


def _percent_at_least(fraction, needed):
    """`fraction` (0..1) as a percentage rounded to a whole number is at least `needed`."""
    return GreaterThanOrEqual(
        ExpressionWrapper(fraction * Value(100.0), output_field=FloatField()),
        Value(needed - 0.5),
    )


def _course(course):
    return Requirement(
        key=f"req_course_{course.pk}",
        kind=Kind.COURSE,
        label=_("Course “%(title)s” completed") % {"title": course.title},
        heading=course.title,
        page=course,
        condition=Exists(
            Enrolment.objects.filter(
                person=OuterRef("pk"), course=course.pk, completed_at__isnull=False
            )
        ),
    )


def _quiz(quiz, programme):
    from quizzes.models import Attempt

    needed = (
        programme.min_quiz_percent if programme.min_quiz_percent is not None else quiz.pass_mark
    )
    # The passing rule of quizzes.models.reaches, in SQL (one home for it).
    passed = Attempt.objects.reaching(needed).filter(person=OuterRef("pk"), quiz=quiz.pk)
    return Requirement(
        key=f"req_quiz_{quiz.pk}",
        kind=Kind.QUIZ,
        label=_("“%(title)s” at %(needed)s%% or more") % {"title": quiz.title, "needed": needed},
        heading=_("%(title)s ≥ %(needed)s %%") % {"title": quiz.title, "needed": needed},
        page=quiz,
        needed=needed,
        condition=Exists(passed),
    )


def _attitude(needed, dimensions):
    """Σ w·ratio ≥ (needed − ½)/100 · Σ w over the dimensions that count: the weighted mean,
    rounded, reaches `needed`. One pass over the person's evidence, conditional sums per
    dimension; written without a division by Σ w, so a person with no dimension that counts
    does not meet it."""
    weighted = Value(0.0)
    weights = Value(0.0)
    for d in dimensions:
        weight = Value(float(d.axis_weight))
        ratio, counts = _dimension_terms(d.pk)
        weighted = weighted + Case(
            When(counts, then=ratio * weight), default=Value(0.0), output_field=FloatField()
        )
        weights = weights + Case(
            When(counts, then=weight), default=Value(0.0), output_field=FloatField()
        )
    weighted = ExpressionWrapper(weighted * Value(100.0), output_field=FloatField())
    threshold = ExpressionWrapper(weights * Value(needed - 0.5), output_field=FloatField())
    return Requirement(
        key="req_attitude",
        kind=Kind.ATTITUDE,
        label=_("Overall attitude at %(needed)s%% or more") % {"needed": needed},
        heading=_("Overall attitude ≥ %(needed)s %%") % {"needed": needed},
        needed=needed,
        condition=_evidence_check(
            GreaterThan(weights, Value(0.0)) & GreaterThanOrEqual(weighted, threshold)
        ),
    )


def _dimension(minimum):
    needed = minimum.min_percent
    name = minimum.dimension.label
    ratio, counts = _dimension_terms(minimum.dimension_id)
    return Requirement(
        key=f"req_dimension_{minimum.dimension_id}",
        kind=Kind.DIMENSION,
        label=_("%(dimension)s at %(needed)s%% or more") % {"dimension": name, "needed": needed},
        heading=_("%(dimension)s ≥ %(needed)s %%") % {"dimension": name, "needed": needed},
        needed=needed,
        condition=_evidence_check(counts & _percent_at_least(ratio, needed)),
    )


def requirements_of(programme):
    """The programme's requirements in the order a person meets them: its courses in the
    catalogue's order, the live quizzes of those courses in course order, overall attitude,
    then each dimension minimum. A fixed number of queries (courses, quizzes, minimums and
    dimensions), whatever the number of people they are then checked for."""
    from quizzes.models import QuizPage

    courses = list(programme.courses.order_by("path"))
    items = [_course(course) for course in courses]
    if courses:
        children = Q()
        for course in courses:
            children |= Q(path__startswith=course.path, depth=course.depth + 1)
        items += [
            _quiz(q, programme) for q in QuizPage.objects.live().filter(children).order_by("path")
        ]
    minimums = list(programme.dimension_minimums.select_related("dimension"))
    if programme.min_attitude_percent is not None:
        items.append(_attitude(programme.min_attitude_percent, ServiceDimension.objects.all()))
    items += [_dimension(minimum) for minimum in minimums]
    return items


def valid_certificates(programme, now):
    return Certificate.objects.current(now).filter(person=OuterRef("pk"), programme=programme)


def with_requirements(people, items):
    """`people` (a QuerySet of users) annotated with each requirement's key (True when met)
    and `missing`, how many of them are not met."""
    people = people.annotate(
        **{
            item.key: ExpressionWrapper(item.condition, output_field=models.BooleanField())
            for item in items
        }
    )
    missing = Value(0)
    for item in items:
        missing = missing + Case(
            When(**{item.key: True}, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    return people.annotate(missing=ExpressionWrapper(missing, output_field=IntegerField()))


def with_standing(people, programme, items, now=None):
    """`with_requirements`, plus `certified_until` (the expiry of the person's valid
    certificate of the programme, None without one) and `team_name` (their current team)."""
    now = now or timezone.now()
    return with_requirements(people, items).annotate(
        certified_until=Subquery(
            valid_certificates(programme, now).order_by("-expires_at").values("expires_at")[:1]
        ),
        team_name=Subquery(
            Membership.objects.current().filter(person=OuterRef("pk")).values("team__name")[:1]
        ),
    )
