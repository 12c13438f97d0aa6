"""Grading: pure functions over a question's snapshot and the agent's response.

A snapshot question is a dict: {"id", "kind", "options": [{"id", "correct", "credit",
"expert_rating", "critical", "weights", ...}]}. A response is a list of chosen option ids
(choice kinds) or {option id: rating 1..4} (rating questions).
"""

from dataclasses import dataclass, field

from attitude import scoring

RATING_MIN, RATING_MAX = 1, 4
ENDORSED = 3  # rating a response 3 or 4 ("effective") endorses it


@dataclass
class QuestionResult:
    score: float  # 0..1
    critical: bool = False
    evidence: list = field(default_factory=list)  # [(dimension slug, earned, possible)]


def chosen_ids(question, response):
    """The option ids the response picks (or, for rating questions, endorses)."""
    offered = {option["id"] for option in question["options"]}
    if question["kind"] == "rating":
        ratings = ratings_of(question, response)
        return {oid for oid, rating in ratings.items() if rating >= ENDORSED}
    if not isinstance(response, list):
        return set()
    return {oid for oid in response if oid in offered}


def ratings_of(question, response):
    offered = {option["id"] for option in question["options"]}
    if not isinstance(response, dict):
        return {}
    ratings = {}
    for key, value in response.items():
        try:
            oid, rating = int(key), int(value)
        except (TypeError, ValueError):
            continue
        if oid in offered and RATING_MIN <= rating <= RATING_MAX:
            ratings[oid] = rating
    return ratings


def unrated(question, response):
    """The rows of a rating question the response has not rated yet, in the order shown
    (empty for other kinds)."""
    if question["kind"] != "rating":
        return []
    ratings = ratings_of(question, response)
    return [option for option in question["options"] if option["id"] not in ratings]


def is_answered(question, response):
    """A question is answered once it has a response; a rating question only once every row
    is rated (a partly rated one is still to finish)."""
    if not response:
        return False
    if question["kind"] == "rating":
        return not unrated(question, response)
    return bool(chosen_ids(question, response))


def raw_score(question, response):
    """The score before the critical rule, 0..1, by kind:
    - single choice, true/false: 1 for the correct option, else 0;
    - multiple response: right picks / number of correct options minus wrong picks / number
      of incorrect options, never below 0 (partial credit; wrong picks cost);
    - situational judgement: the credit of the option chosen;
    - rating: the mean over responses of 1 − |rating − expert rating| / 3 (an unrated
      response earns 0)."""
    options = question["options"]
    kind = question["kind"]
    if kind == "rating":
        ratings = ratings_of(question, response)
        if not options:
            return 0.0
        span = RATING_MAX - RATING_MIN
        return sum(
            1 - abs(ratings[o["id"]] - o["expert_rating"]) / span if o["id"] in ratings else 0
            for o in options
        ) / len(options)
    chosen = chosen_ids(question, response)
    if kind in {"single", "true_false", "situational"}:
        if len(chosen) != 1:
            return 0.0
        option = next(o for o in options if o["id"] in chosen)
        if kind == "situational":
            return float(option.get("credit") or 0)
        return 1.0 if option.get("correct") else 0.0
    correct = {o["id"] for o in options if o.get("correct")}
    wrong = {o["id"] for o in options} - correct
    earned = len(chosen & correct) / len(correct) if correct else 0.0
    if wrong:
        earned -= len(chosen & wrong) / len(wrong)
    return max(0.0, earned)


def dimension_evidence(question, response, score, critical):
    """What one decision says about each dimension (the rule is in attitude.scoring): on every
    dimension some option weights (an unweighted option counting 0) and on which the options
    differ, the chosen options' weights normalised by the range offered at this question,
    several picks averaged. An unanswered question earns 0 on every such dimension and a
    critical choice 0 on all of them. Rating questions score how well the agent judged the
    responses (the question's score) on each of those dimensions."""
    offered = [o.get("weights") for o in question["options"]]
    measured = scoring.weight_ranges(offered)
    if not measured:
        return []
    if critical:
        return [(slug, 0.0, 1.0) for slug in measured]
    if question["kind"] == "rating":
        return [(slug, score, 1.0) for slug in measured]
    picked = chosen_ids(question, response)
    if not picked:
        return [(slug, 0.0, 1.0) for slug in measured]
    chosen = [o.get("weights") for o in question["options"] if o["id"] in picked]
    return [(slug, s, 1.0) for slug, s in scoring.normalised(offered, chosen).items()]


def grade(question, response):
    """Score one question. Choosing (or, in a rating question, endorsing) a critical option
    fails the question whatever else was chosen."""
    critical = any(
        o.get("critical") for o in question["options"] if o["id"] in chosen_ids(question, response)
    )
    score = 0.0 if critical else raw_score(question, response)
    return QuestionResult(
        score=score,
        critical=critical,
        evidence=dimension_evidence(question, response, score, critical),
    )


def public_question(question):
    """What the learner's page may see before submission: no correctness, credit or weights."""
    return {
        "id": question["id"],
        "kind": question["kind"],
        "situation": question.get("situation", ""),
        "text": question["text"],
        "options": [{"id": o["id"], "text": o["text"]} for o in question["options"]],
    }
