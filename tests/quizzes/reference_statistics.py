"""The item analysis as it was computed before it moved to numpy (quizzes/statistics.py at
7f4f49f, with its loader from quizzes/tasks.py), kept verbatim as the oracle the new
computation is compared with. Slow on purpose: plain Python over every attempt."""

import math
from statistics import fmean, stdev, variance

from django.db.models import OuterRef, Subquery

from quizzes.models import Attempt, AttemptAnswer

EASY, HARD = 0.9, 0.2
FIRST, ALL, LATEST = "first", "all", "latest"
ATTEMPTS = (FIRST, ALL, LATEST)


def _cov(xs, ys):
    """Sample covariance (n − 1)."""
    mx, my = fmean(xs), fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def sd(xs):
    """Sample standard deviation (n − 1); None from fewer than two values."""
    return stdev(xs) if len(xs) > 1 else None


def correlation(xs, ys):
    sx, sy = sd(xs), sd(ys)
    if not sx or not sy:
        return None
    return _cov(xs, ys) / (sx * sy)


def discriminative_efficiency(xs, ys):
    if len(xs) < 2:
        return None
    best = _cov(sorted(xs), sorted(ys))
    if not best:
        return None
    return _cov(xs, ys) / best


def cronbach_alpha(matrix):
    """matrix: one row per attempt, one column per question (all answered)."""
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    columns = list(zip(*matrix, strict=True))
    total_variance = variance([sum(row) for row in matrix])
    if not total_variance:
        return None
    return k / (k - 1) * (1 - sum(variance(c) for c in columns) / total_variance)


def skewness_and_kurtosis(values):
    """Moodle's skewness k3 / k2^1.5 (3+ values) and excess kurtosis k4 / k2² (4+ values);
    None where undefined or when every value is the same."""
    n = len(values)
    if n < 3:
        return None, None
    mean = fmean(values)
    m2, m3, m4 = (sum((v - mean) ** p for v in values) / n for p in (2, 3, 4))
    k2 = n * m2 / (n - 1)
    if not k2:
        return None, None
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    skewness = k3 / k2**1.5
    if n < 4:
        return skewness, None
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    return skewness, k4 / (k2 * k2)


def item_statistics(attempts):
    """attempts: [{"total": T, "questions": {question id: {"score": x, "chosen": [ids],
    "answered": bool}}}]. Returns the quiz-level figures and one dict per question id."""
    n = len(attempts)
    if not n:
        return {
            "attempts": 0, "mean": None, "sd": None, "skewness": None, "kurtosis": None,
            "alpha": None, "error": None, "same_questions": True, "questions": {},
        }  # fmt: skip
    totals = [a["total"] for a in attempts]
    order = sorted(range(n), key=lambda i: totals[i])
    third = max(1, n // 3)
    bottom, top = set(order[:third]), set(order[-third:])
    question_ids = sorted({qid for a in attempts for qid in a["questions"]})
    questions = {}
    for qid in question_ids:
        rows = [(i, a["questions"][qid]) for i, a in enumerate(attempts) if qid in a["questions"]]
        xs = [row["score"] for _, row in rows]
        rests = [totals[i] - row["score"] for i, row in rows]
        facility = fmean(xs)
        discrimination = correlation(xs, rests)
        chosen = {}
        for group, members in (("top", top), ("bottom", bottom)):
            answered = [row for i, row in rows if i in members]
            for row in answered:
                for oid in row.get("chosen", []):
                    chosen.setdefault(str(oid), {"top": 0, "bottom": 0})[group] += 1
        top_n = sum(1 for i, _ in rows if i in top)
        bottom_n = sum(1 for i, _ in rows if i in bottom)
        questions[str(qid)] = {
            "answered": sum(1 for _, row in rows if row.get("answered", True)),
            "attempts": len(xs),
            "facility": facility,
            "sd": sd(xs),
            "discrimination": discrimination,
            "efficiency": discriminative_efficiency(xs, rests),
            "options": {
                oid: {
                    "top": counts["top"] / top_n if top_n else None,
                    "bottom": counts["bottom"] / bottom_n if bottom_n else None,
                }
                for oid, counts in chosen.items()
            },
            "too_easy": facility > EASY,
            "too_hard": facility < HARD,
            "negative": discrimination is not None and discrimination < 0,
        }
    same_questions = len({frozenset(a["questions"]) for a in attempts}) == 1
    alpha = error = None
    if same_questions:
        matrix = [[a["questions"][qid]["score"] for qid in question_ids] for a in attempts]
        alpha = cronbach_alpha(matrix)
        if alpha is not None:
            error = sd(totals) * math.sqrt(max(0.0, 1 - alpha))
    skewness, kurtosis = skewness_and_kurtosis(totals)
    return {
        "attempts": n,
        "mean": fmean(totals),
        "sd": sd(totals),
        "skewness": skewness,
        "kurtosis": kurtosis,
        "mean_percent": fmean(a["percent"] for a in attempts) if "percent" in attempts[0] else None,
        "alpha": alpha,
        "error": error,
        "same_questions": same_questions,
        "questions": questions,
    }


def counted_attempts(quiz_id, which=FIRST):
    """The submitted attempts of a quiz that count: each person's first (Moodle's default),
    each person's latest (what the attitude profile counts), or all of them."""
    submitted = Attempt.objects.submitted().filter(quiz_id=quiz_id)
    if which == ALL:
        return submitted
    ordering = "number" if which == FIRST else "-number"
    pick = submitted.filter(person=OuterRef("person")).order_by(ordering).values("pk")[:1]
    return submitted.filter(pk=Subquery(pick))


def response_matrix(quiz_id, which=FIRST):
    """The attempts that count as {total, percent, questions: {id: score, chosen, answered}},
    read in two queries."""
    counted = counted_attempts(quiz_id, which)
    attempts = {
        a.pk: {"total": 0.0, "percent": a.percent or 0, "questions": {}}
        for a in counted.only("pk", "score")
    }
    answers = AttemptAnswer.objects.filter(attempt__in=counted, score__isnull=False).values_list(
        "attempt_id", "question_id", "score", "response"
    )
    for attempt_id, question_id, score, response in answers:
        row = attempts[attempt_id]
        # Choice questions store the chosen option ids; rating questions have no "choice".
        chosen = sorted(response) if isinstance(response, list) else []
        row["questions"][question_id] = {
            "score": score,
            "chosen": chosen,
            "answered": bool(response),
        }
        row["total"] += score
    return list(attempts.values())


def reference_figures(quiz_id):
    """What refresh_quiz_statistics stored before: {which: figures} for each choice."""
    return {which: item_statistics(response_matrix(quiz_id, which)) for which in ATTEMPTS}
