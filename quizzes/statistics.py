"""Item analysis of a quiz, after Moodle's quiz statistics.

For the submitted attempts of a quiz, each question's score x (0..1) and the attempt's total
T (the sum of its question scores):
- facility index F = mean(x): how easy the question was (shown as a percentage);
- standard deviation of x (population);
- discrimination index D = Pearson correlation of x with the rest of the test (T − x): do
  the agents who do well on the rest also do well on this one (shown ×100)?
- discriminative efficiency E = cov(x, T − x) / the largest covariance those same values
  could have (both sorted the same way): D relative to what this question could reach;
- per option, the share of the top and bottom thirds of attempts (by T) that chose it
  (distractor analysis: the tempting but poor service response draws the bottom third).
For the whole quiz, over the questions every attempt answered (k ≥ 2):
- Cronbach's alpha = k / (k − 1) · (1 − Σ var(x_i) / var(T)) (internal consistency);
- standard error of measurement = SD(T) · √(1 − alpha).
Flags: too easy above 90 % facility, too hard below 20 %, negative discrimination below 0.
"""

import math
from statistics import fmean, pstdev

EASY, HARD = 0.9, 0.2


def _cov(xs, ys):
    mx, my = fmean(xs), fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / len(xs)


def correlation(xs, ys):
    sx, sy = pstdev(xs), pstdev(ys)
    if not sx or not sy:
        return None
    return _cov(xs, ys) / (sx * sy)


def discriminative_efficiency(xs, ys):
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
    totals = [sum(row) for row in matrix]
    total_variance = pstdev(totals) ** 2
    if not total_variance:
        return None
    return k / (k - 1) * (1 - sum(pstdev(c) ** 2 for c in columns) / total_variance)


def item_statistics(attempts):
    """attempts: [{"total": T, "questions": {question id: {"score": x, "chosen": [ids]}}}].
    Returns the quiz-level figures and one dict per question id."""
    n = len(attempts)
    if not n:
        return {"attempts": 0, "mean": None, "alpha": None, "error": None, "questions": {}}
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
        discrimination = correlation(xs, rests) if len(xs) > 1 else None
        chosen = {}
        for group, members in (("top", top), ("bottom", bottom)):
            answered = [row for i, row in rows if i in members]
            for row in answered:
                for oid in row.get("chosen", []):
                    chosen.setdefault(str(oid), {"top": 0, "bottom": 0})[group] += 1
        top_n = sum(1 for i, _ in rows if i in top)
        bottom_n = sum(1 for i, _ in rows if i in bottom)
        questions[str(qid)] = {
            "answered": len(xs),
            "facility": facility,
            "sd": pstdev(xs),
            "discrimination": discrimination,
            "efficiency": discriminative_efficiency(xs, rests) if len(xs) > 1 else None,
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
    common = [qid for qid in question_ids if all(qid in a["questions"] for a in attempts)]
    matrix = [[a["questions"][qid]["score"] for qid in common] for a in attempts]
    alpha = cronbach_alpha(matrix) if common else None
    error = None
    if alpha is not None:
        error = pstdev(totals) * math.sqrt(max(0.0, 1 - alpha))
    return {
        "attempts": n,
        "mean": fmean(totals),
        "mean_percent": fmean(a["percent"] for a in attempts) if "percent" in attempts[0] else None,
        "alpha": alpha,
        "error": error,
        "questions": questions,
    }
