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
"""

import math
from statistics import fmean, stdev, variance

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
