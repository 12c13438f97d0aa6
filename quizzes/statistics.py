"""Item analysis of a quiz, as Moodle's quiz statistics define it.

Which attempts count is a choice (ATTEMPTS): each person's first submitted attempt (Moodle's
default), every submitted attempt, or each person's latest (what the attitude profile counts).

For the attempts that count, each question's score x (0..1) and the attempt's total T (the
sum of its question scores):
- answered: how many of them answered the question (an unanswered one scores 0 and counts in
  the figures below, but not here);
- facility index F = mean(x): how easy the question was (shown as a percentage);
- standard deviation of x, with n − 1 (none from a single attempt);
- discrimination index D = Pearson correlation of x with the rest of the test (T − x): do
  the agents who do well on the rest also do well on this one (shown ×100)?
- discriminative efficiency E = cov(x, T − x) / the largest covariance those same values
  could have (both sorted the same way): D relative to what this question could reach;
- per option, the share of the top and bottom thirds of attempts (by T) that chose it
  (distractor analysis: the tempting but poor service response draws the bottom third).
For the totals: mean, standard deviation (n − 1), skewness and excess kurtosis (Moodle's,
from the k-statistics: k3 / k2^1.5 and k4 / k2², which need 3 and 4 attempts).
For the whole quiz, only when every attempt sat the same questions (k ≥ 2); with questions
drawn at random the attempts sat different tests and no test-level figure is given:
- Cronbach's alpha = k / (k − 1) · (1 − Σ var(x_i) / var(T)) (internal consistency);
- standard error of measurement = SD(T) · √(1 − alpha).
Flags: too easy above 90 % facility, too hard below 20 %, negative discrimination below 0.

The figures come from numpy arrays (`Responses`: one row per scored answer), so a quiz with
10,000 attempts is analysed in a fraction of a second; the definitions above are those of the
plain-Python version this replaced, and tests/quizzes/reference_statistics.py keeps that
version to compare with. A question or total whose values are all equal has a spread of
exactly 0 (no correlation, no efficiency), as in exact arithmetic. Among equal totals the
earlier attempt (in the order given) ranks lower in the thirds.
"""

import math
from dataclasses import dataclass

import numpy as np

EASY, HARD = 0.9, 0.2
FIRST, ALL, LATEST = "first", "all", "latest"
ATTEMPTS = (FIRST, ALL, LATEST)
_TOP, _BOTTOM = 1, 2


@dataclass(frozen=True)
class Responses:
    """The attempts of a quiz as arrays.

    Per attempt, in the order ties are broken in: `totals`, and `percents` (None when not
    known). Per scored answer: `attempt` (index into `totals`), `question` (index into the
    sorted `question_ids`), `score`, `answered` and `choice` (index into `choices`: the option
    ids each distinct response chose)."""

    totals: np.ndarray
    percents: np.ndarray | None
    attempt: np.ndarray
    question: np.ndarray
    score: np.ndarray
    answered: np.ndarray
    choice: np.ndarray
    question_ids: list
    choices: list

    @classmethod
    def from_attempts(cls, attempts):
        """From [{"total": T, "percent": p (optional), "questions": {question id: {"score": x,
        "chosen": [ids], "answered": bool}}}], in that order."""
        question_ids = sorted({qid for a in attempts for qid in a["questions"]})
        index = {qid: i for i, qid in enumerate(question_ids)}
        codes = {}
        rows = [
            (
                i,
                index[qid],
                row["score"],
                row.get("answered", True),
                codes.setdefault(tuple(row.get("chosen", [])), len(codes)),
            )
            for i, a in enumerate(attempts)
            for qid, row in a["questions"].items()
        ]
        columns = list(zip(*rows, strict=True)) or [(), (), (), (), ()]
        has_percent = bool(attempts) and "percent" in attempts[0]
        return cls(
            totals=np.array([a["total"] for a in attempts], dtype=float),
            percents=np.array([a["percent"] for a in attempts]) if has_percent else None,
            attempt=np.array(columns[0], dtype=np.int64),
            question=np.array(columns[1], dtype=np.int64),
            score=np.array(columns[2], dtype=float),
            answered=np.array(columns[3], dtype=bool),
            choice=np.array(columns[4], dtype=np.int64),
            question_ids=question_ids,
            choices=list(codes),
        )


def first_and_latest(people, numbers):
    """Masks over attempts: each person's first attempt (lowest number) and latest."""
    first = np.zeros(len(people), dtype=bool)
    latest = np.zeros(len(people), dtype=bool)
    if len(people):
        order = np.lexsort((numbers, people))
        sorted_people = people[order]
        change = sorted_people[1:] != sorted_people[:-1]
        first[order[np.r_[True, change]]] = True
        latest[order[np.r_[change, True]]] = True
    return first, latest


def _sd(squares, n, constant):
    """Sample standard deviation (n − 1) from the sum of squared deviations; None from fewer
    than two values, exactly 0 when they are all equal."""
    if n < 2:
        return None
    return 0.0 if constant else math.sqrt(squares / (n - 1))


def _per_question(keys, values, counts):
    sums = np.bincount(keys, weights=values, minlength=len(counts))
    return np.divide(sums, counts, out=np.zeros(len(counts)), where=counts > 0)


def _option_counts(question, choice, rows, choices):
    """{question index: {option id: how many of `rows` chose it}}."""
    counts = {}
    if not len(choices):
        return counts
    keys, tally = np.unique(question[rows] * len(choices) + choice[rows], return_counts=True)
    for key, times in zip(keys.tolist(), tally.tolist(), strict=True):
        q, c = divmod(key, len(choices))
        for oid in choices[c]:
            per_option = counts.setdefault(q, {})
            per_option[str(oid)] = per_option.get(str(oid), 0) + times
    return counts


def skewness_and_kurtosis(totals, mean, constant):
    """Moodle's skewness k3 / k2^1.5 (3+ values) and excess kurtosis k4 / k2² (4+ values);
    None where undefined or when every value is the same."""
    n = len(totals)
    if n < 3 or constant:
        return None, None
    deviations = totals - mean
    squares = deviations * deviations
    m2 = float(squares.sum()) / n
    m3 = float((squares * deviations).sum()) / n
    m4 = float((squares * squares).sum()) / n
    k2 = n * m2 / (n - 1)
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    skewness = k3 / k2**1.5
    if n < 4:
        return skewness, None
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    return skewness, k4 / (k2 * k2)


def figures(responses, counted=None):
    """The quiz-level figures and one dict per question id (as a string), for the attempts
    where the mask `counted` is true (all of them when None)."""
    r = responses
    if counted is None:
        counted = np.ones(len(r.totals), dtype=bool)
    picked = np.flatnonzero(counted)
    n = len(picked)
    if not n:
        return {
            "attempts": 0, "mean": None, "sd": None, "skewness": None, "kurtosis": None,
            "alpha": None, "error": None, "same_questions": True, "questions": {},
        }  # fmt: skip
    totals = r.totals[picked]
    position = np.full(len(r.totals), -1, dtype=np.int64)
    position[picked] = np.arange(n)
    keep = counted[r.attempt]
    a, q, x = position[r.attempt[keep]], r.question[keep], r.score[keep]
    k = len(r.question_ids)

    rank = np.argsort(totals, kind="stable")
    third = max(1, n // 3)
    group = np.zeros(n, dtype=np.int8)
    group[rank[:third]] |= _BOTTOM
    group[rank[-third:]] |= _TOP
    top_rows, bottom_rows = (group[a] & _TOP) > 0, (group[a] & _BOTTOM) > 0
    top_n = np.bincount(q[top_rows], minlength=k).tolist()
    bottom_n = np.bincount(q[bottom_rows], minlength=k).tolist()
    top_counts = _option_counts(q, r.choice[keep], top_rows, r.choices)
    bottom_counts = _option_counts(q, r.choice[keep], bottom_rows, r.choices)

    counts = np.bincount(q, minlength=k)
    rest = totals[a] - x
    mean_x, mean_rest = _per_question(q, x, counts), _per_question(q, rest, counts)
    dx, drest = x - mean_x[q], rest - mean_rest[q]
    squares_x = np.bincount(q, weights=dx * dx, minlength=k).tolist()
    squares_rest = np.bincount(q, weights=drest * drest, minlength=k).tolist()
    products = np.bincount(q, weights=dx * drest, minlength=k).tolist()
    # Discriminative efficiency pairs the k-th smallest score with the k-th smallest rest.
    by_x, by_rest = np.lexsort((x, q)), np.lexsort((rest, q))
    sorted_q, sorted_x, sorted_rest = q[by_x], x[by_x], rest[by_rest]
    best = np.bincount(
        sorted_q,
        weights=(sorted_x - mean_x[sorted_q]) * (sorted_rest - mean_rest[sorted_q]),
        minlength=k,
    ).tolist()
    answered = np.bincount(q, weights=r.answered[keep], minlength=k).tolist()
    ends = np.cumsum(counts)
    starts = (ends - counts).tolist()
    ends, mean_x, counts = ends.tolist(), mean_x.tolist(), counts.tolist()

    questions, variances = {}, []
    for i in range(k):
        m = counts[i]
        if not m:
            continue
        lo, hi = starts[i], ends[i] - 1
        constant_x = sorted_x[lo] == sorted_x[hi]
        constant_rest = sorted_rest[lo] == sorted_rest[hi]
        sd_x = _sd(squares_x[i], m, constant_x)
        sd_rest = _sd(squares_rest[i], m, constant_rest)
        if m > 1:
            variances.append(0.0 if constant_x else squares_x[i] / (m - 1))
        discrimination = products[i] / (m - 1) / (sd_x * sd_rest) if sd_x and sd_rest else None
        efficiency = None if m < 2 or constant_x or constant_rest else products[i] / best[i]
        options = {}
        for oid in sorted(top_counts.get(i, {}).keys() | bottom_counts.get(i, {}).keys()):
            t, b = top_counts.get(i, {}).get(oid, 0), bottom_counts.get(i, {}).get(oid, 0)
            options[oid] = {
                "top": t / top_n[i] if top_n[i] else None,
                "bottom": b / bottom_n[i] if bottom_n[i] else None,
            }
        facility = mean_x[i]
        questions[str(r.question_ids[i])] = {
            "answered": int(answered[i]),
            "attempts": m,
            "facility": facility,
            "sd": sd_x,
            "discrimination": discrimination,
            "efficiency": efficiency,
            "options": options,
            "too_easy": facility > EASY,
            "too_hard": facility < HARD,
            "negative": discrimination is not None and discrimination < 0,
        }

    mean = math.fsum(totals.tolist()) / n
    constant_totals = bool(totals.min() == totals.max())
    deviations = totals - mean
    total_squares = float((deviations * deviations).sum())
    sd_totals = _sd(total_squares, n, constant_totals)
    # The same questions for every attempt: each has an answer to every question present.
    same_questions = bool((np.bincount(a, minlength=n) == len(questions)).all())
    alpha = error = None
    if same_questions and n >= 2 and len(questions) >= 2 and not constant_totals:
        p = len(questions)
        alpha = p / (p - 1) * (1 - math.fsum(variances) / (total_squares / (n - 1)))
        error = sd_totals * math.sqrt(max(0.0, 1 - alpha))
    skewness, kurtosis = skewness_and_kurtosis(totals, mean, constant_totals)
    percents = r.percents
    return {
        "attempts": n,
        "mean": mean,
        "sd": sd_totals,
        "skewness": skewness,
        "kurtosis": kurtosis,
        "mean_percent": (
            math.fsum(percents[picked].tolist()) / n if percents is not None else None
        ),
        "alpha": alpha,
        "error": error,
        "same_questions": same_questions,
        "questions": questions,
    }


def item_statistics(attempts):
    """attempts: [{"total": T, "questions": {question id: {"score": x, "chosen": [ids],
    "answered": bool}}}]. Returns the quiz-level figures and one dict per question id."""
    return figures(Responses.from_attempts(attempts))
