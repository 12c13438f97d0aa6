"""Item quality: the measurable rules of ITEM-WRITING.md, shared by quizzes and role-plays.

A *decision* is a question or a customer line of a role-play with the options it offers. The
quiz and scenario adapters (quizzes/quality.py, scenarios/quality.py) turn their content into
`Decision`s; the rules below are the same for both:

- the keyed option (the one with the highest grade) is not the longest by more than 25 % over
  the longest other option, and is the longest in at most a third of a bank's items (or a
  scenario's decisions);
- every decision measures some dimension: at least one option weights it and the options
  differ on it (attitude.scoring); a weighted dimension on which every option is equal is a
  weight that cannot count;
- every option carries an explicit weight on every dimension measured at its decision (0 is a
  weight); the keyed option leaving one unscored is reported on its own;
- a negatively weighted option never earns 100 % on a dimension (only negative weights were
  offered);
- the grade (credit) and the weights rank the options the same way: no option has more credit
  than another and less attitude evidence;
- a critical option states why (CRITICAL_REASONS);
- rating items' expert ratings are not a permutation of 1–4 in every item of a bank;
- every dimension is measured by at least MIN_QUESTIONS questions and MIN_DECISIONS role-play
  decisions across the seeded content.

Plain data and no database, so the YAML checkers (`python -m quizzes.content`,
`python -m scenarios.content`), the editor pages and the suite share one definition.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import scoring

# The keys of attitude.models.CriticalReason (a test keeps the two equal).
CRITICAL_REASONS = ("lie", "insult", "discrimination", "data_leak", "unsafe_advice", "no_consent")
# The ten dimensions in the order of the sources (courses.content.DIMENSIONS; a test keeps
# them equal).
DIMENSIONS = (
    "seguridad", "credibilidad", "comunicacion", "comprension-del-cliente", "accesibilidad",
    "cortesia", "profesionalismo", "capacidad-de-respuesta", "fiabilidad", "elementos-tangibles",
)  # fmt: skip
LONGER_BY = 0.25  # the keyed option may be at most this much longer than the longest other
LONGEST_SHARE = 1 / 3  # … and the longest in at most this share of a bank's items
MIN_QUESTIONS = 8
MIN_DECISIONS = 5
RATING_PERMUTATION = [1, 2, 3, 4]

KEY_TOO_LONG = "key-too-long"
KEY_OFTEN_LONGEST = "key-often-longest"
DEAD_WEIGHT = "dead-weight"
MEASURES_NOTHING = "measures-nothing"
IMPLICIT_ZERO = "implicit-zero"
BEST_UNSCORED = "best-unscored"
NEGATIVE_FULL_MARKS = "negative-full-marks"
OPPOSITE_RANKING = "opposite-ranking"
NO_CRITICAL_REASON = "no-critical-reason"
RATING_PERMUTATIONS = "rating-permutation"
UNDER_MINIMUM = "under-minimum"


@dataclass(frozen=True)
class Option:
    text: str
    weights: dict = field(default_factory=dict)
    grade: float | None = None  # credit, correctness or expert rating; None: from the weights
    critical: bool = False
    critical_reason: str = ""


@dataclass(frozen=True)
class Decision:
    where: str  # what the editor recognises: a question key, a line key
    options: tuple
    compare_lengths: bool = True  # not for true/false
    ratings: tuple = ()  # the expert ratings of a rating item, in option order


@dataclass(frozen=True)
class Flag:
    code: str
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


def critical_reason_problems(critical, reason):
    """A stated reason is one of CRITICAL_REASONS and only on a critical option or choice.
    (That every critical one states its reason is a quality flag, so content can still be
    loaded while it is being rewritten.)"""
    if not reason:
        return []
    if reason not in CRITICAL_REASONS:
        return [f"critical_reason must be one of {list(CRITICAL_REASONS)}"]
    if not critical:
        return ["critical_reason is only for a critical option"]
    return []


def evidence_score(decision, option):
    """How good an option is by its weights, 0..1: the mean of its evidence on the dimensions
    the decision measures (a critical option 0); None when nothing is measured."""
    offered = [o.weights for o in decision.options]
    measured = scoring.weight_ranges(offered)
    if not measured:
        return None
    if option.critical:
        return 0.0
    scores = scoring.normalised(offered, [option.weights])
    return sum(scores.values()) / len(scores)


def grades(decision):
    """Each option's grade: its own, or (role-plays) its evidence score; critical is 0."""
    found = []
    for option in decision.options:
        grade = option.grade if option.grade is not None else evidence_score(decision, option)
        found.append(0.0 if option.critical else (grade or 0.0))
    return found


def keyed(decision):
    """Indexes of the keyed options: those with the highest grade (none if all are equal)."""
    found = grades(decision)
    if not found or max(found) == min(found):
        return []
    return [n for n, grade in enumerate(found) if grade == max(found)]


def key_is_longest(decision):
    """True when a keyed option is (one of) the longest; None when lengths are not compared."""
    keys = keyed(decision)
    if not decision.compare_lengths or not keys or len(keys) == len(decision.options):
        return None
    lengths = [len(o.text.strip()) for o in decision.options]
    return any(lengths[n] == max(lengths) for n in keys)


def _length_flags(decision):
    keys = keyed(decision)
    if key_is_longest(decision) is None:
        return []
    lengths = [len(o.text.strip()) for o in decision.options]
    longest_key = max(lengths[n] for n in keys)
    longest_other = max(length for n, length in enumerate(lengths) if n not in keys)
    if longest_other and longest_key > (1 + LONGER_BY) * longest_other:
        return [
            Flag(
                KEY_TOO_LONG,
                decision.where,
                _(
                    "the keyed option is %(percent)s %% longer than the longest other one "
                    "(at most %(limit)s %%)."
                )
                % {
                    "percent": round(100 * (longest_key / longest_other - 1)),
                    "limit": round(100 * LONGER_BY),
                },
            )
        ]
    return []


def decision_flags(decision):
    """Every flag of one decision (see the module docstring)."""
    where = decision.where
    offered = [o.weights for o in decision.options]
    found = _length_flags(decision)
    measured = scoring.weight_ranges(offered)
    for slug in scoring.measured(offered):
        if slug not in measured:
            found.append(
                Flag(
                    DEAD_WEIGHT,
                    where,
                    _("every option weighs the same on %(dimension)s: those weights cannot count.")
                    % {"dimension": slug},
                )
            )
    if not measured:
        found.append(Flag(MEASURES_NOTHING, where, _("it measures no dimension.")))
    keys = keyed(decision)
    for number, option in enumerate(decision.options, 1):
        missing = [slug for slug in measured if slug not in option.weights]
        if missing and number - 1 in keys:
            found.append(
                Flag(
                    BEST_UNSCORED,
                    where,
                    _("the keyed option %(n)s leaves %(dimensions)s unscored (counts as 0).")
                    % {"n": number, "dimensions": ", ".join(missing)},
                )
            )
        elif missing:
            found.append(
                Flag(
                    IMPLICIT_ZERO,
                    where,
                    _("option %(n)s has no weight on %(dimensions)s; write it (0 is a weight).")
                    % {"n": number, "dimensions": ", ".join(missing)},
                )
            )
        for slug, (_low, high) in measured.items():
            weight = option.weights.get(slug)
            if weight is not None and weight < 0 and weight == high:
                found.append(
                    Flag(
                        NEGATIVE_FULL_MARKS,
                        where,
                        _(
                            "option %(n)s weighs %(weight)s on %(dimension)s yet earns 100 %% "
                            "there: only negative weights were offered."
                        )
                        % {"n": number, "weight": weight, "dimension": slug},
                    )
                )
        if option.critical and not option.critical_reason:
            found.append(
                Flag(
                    NO_CRITICAL_REASON,
                    where,
                    _("option %(n)s is critical but does not say why (critical_reason).")
                    % {"n": number},
                )
            )
    found += _ranking_flags(decision)
    return found


def _ranking_flags(decision):
    """Credit and weights rank the options the same way: for any two options, more credit
    never comes with less evidence. Role-play choices have no credit of their own."""
    if any(o.grade is None for o in decision.options):
        return []
    credit = grades(decision)
    evidence = [evidence_score(decision, o) for o in decision.options]
    if any(e is None for e in evidence):
        return []
    for a in range(len(credit)):
        for b in range(len(credit)):
            if credit[a] > credit[b] and evidence[a] < evidence[b] - 1e-9:
                return [
                    Flag(
                        OPPOSITE_RANKING,
                        decision.where,
                        _(
                            "option %(a)s earns more credit than option %(b)s but less attitude "
                            "evidence (%(ea)s %% against %(eb)s %%): credit and weights disagree."
                        )
                        % {
                            "a": a + 1,
                            "b": b + 1,
                            "ea": round(100 * evidence[a]),
                            "eb": round(100 * evidence[b]),
                        },
                    )
                ]
    return []


def collection_flags(where, decisions):
    """Flags of a bank's items, or a scenario's decisions, taken together: the keyed option
    the longest in more than a third of them; rating keys a permutation of 1–4 in every
    rating item."""
    found = []
    compared = [k for k in (key_is_longest(d) for d in decisions) if k is not None]
    if compared and sum(compared) > LONGEST_SHARE * len(compared):
        found.append(
            Flag(
                KEY_OFTEN_LONGEST,
                where,
                _("the keyed option is the longest in %(n)s of %(total)s items (at most a third).")
                % {"n": sum(compared), "total": len(compared)},
            )
        )
    rated = [d for d in decisions if d.ratings]
    if rated and all(sorted(d.ratings) == RATING_PERMUTATION for d in rated):
        found.append(
            Flag(
                RATING_PERMUTATIONS,
                where,
                _(
                    "every rating item rates its responses 1, 2, 3 and 4 once each: learners "
                    "can rank instead of judge."
                ),
            )
        )
    return found


def coverage(decisions):
    """How many decisions measure each dimension (weights that vary there)."""
    counts = Counter()
    for decision in decisions:
        counts.update(list(scoring.weight_ranges([o.weights for o in decision.options])))
    return counts


def coverage_flags(counts, minimum, what, dimensions=DIMENSIONS):
    """A dimension measured by fewer than `minimum` decisions; `what` names them (translated)."""
    return [
        Flag(
            UNDER_MINIMUM,
            slug,
            _("measured by %(n)s %(what)s (at least %(minimum)s wanted).")
            % {"n": counts.get(slug, 0), "what": what, "minimum": minimum},
        )
        for slug in dimensions
        if counts.get(slug, 0) < minimum
    ]


def coverage_table(columns, dimensions=DIMENSIONS):
    """A Markdown table: one row per dimension, one column per {heading: Counter}."""
    headings = list(columns)
    rows = [
        "| " + " | ".join([_("Dimension"), *headings]) + " |",
        "|" + "---|" * (len(headings) + 1),
    ]
    for slug in dimensions:
        counts = [str(columns[heading].get(slug, 0)) for heading in headings]
        rows.append("| " + " | ".join([slug, *counts]) + " |")
    return "\n".join(rows)
