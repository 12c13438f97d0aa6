"""The item-quality rules of attitude/quality.py applied to questions: from the YAML banks
(the content checker, the suite) and from the question bank's snippets (the editor page).

A question's options are graded by kind: correct 1 / wrong 0 (single, true/false, multiple
response), their credit (situational judgement), their expert rating (rating items).
"""

from django.utils.translation import gettext

from attitude import quality

from .content import load_banks

COVERAGE_HEADING = "Preguntas"  # the column of the README content table


def as_decision(question, where=None):
    """A question in the snapshot's shape (grading.py; YAML uses the same keys) as a
    quality.Decision."""
    kind = question.get("kind")

    def grade(option):
        if kind == "situational":
            return float(option.get("credit") or 0)
        if kind == "rating":
            return float(option.get("expert_rating") or 0)
        return 1.0 if option.get("correct") else 0.0

    options = question.get("options") or []
    return quality.Decision(
        where=where or str(question.get("key", "?")),
        options=tuple(
            quality.Option(
                text=str(option.get("text") or ""),
                weights=dict(option.get("weights") or {}),
                grade=grade(option),
                critical=bool(option.get("critical")),
                critical_reason=option.get("critical_reason") or "",
            )
            for option in options
        ),
        compare_lengths=kind != "true_false",
        ratings=tuple(o.get("expert_rating") or 0 for o in options) if kind == "rating" else (),
    )


def question_as_snapshot(question):
    """A Question snippet in the snapshot's shape, its options in editor order."""
    return {
        "key": question.key,
        "kind": question.kind,
        "options": [
            {
                "text": option.text,
                "correct": option.is_correct,
                "credit": None if option.credit is None else float(option.credit),
                "expert_rating": option.expert_rating,
                "critical": option.is_critical,
                "critical_reason": option.critical_reason,
                "weights": dict(option.weights or {}),
            }
            for option in question.options.all()
        ],
    }


def question_flags(question):
    """The flags of one Question snippet, for its edit page."""
    return quality.decision_flags(as_decision(question_as_snapshot(question), where=""))


def bank_flags(bank):
    """Every flag of one YAML bank: per question, then the bank as a whole."""
    decisions = [as_decision(q) for q in bank.questions]
    found = [flag for d in decisions for flag in quality.decision_flags(d)]
    return found + quality.collection_flags(bank.path.name, decisions)


def seeded_coverage(banks=None):
    """{dimension: questions measuring it} over every bank."""
    banks = load_banks() if banks is None else banks
    return quality.coverage(as_decision(q) for bank in banks for q in bank.questions)


def content_flags(banks=None):
    """Every flag of the seeded banks, the per-dimension minimum included."""
    banks = load_banks() if banks is None else banks
    found = [flag for bank in banks for flag in bank_flags(bank)]
    return found + quality.coverage_flags(
        seeded_coverage(banks), quality.MIN_QUESTIONS, gettext("questions")
    )
