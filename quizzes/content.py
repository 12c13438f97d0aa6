"""Question banks kept in the repository as YAML, one file per course quiz.

Layout: `quizzes/content/<NN>-<course-slug>.yaml` holds the quiz of that course (title, slug,
intro, pass mark; optionally max_attempts, feedback_mode, high_stakes) and its questions.
`load_banks()` reads them; `problems()` lists what breaks our content rules so a test can fail
on it. The loader that turns them into snippets and quiz pages lives in `quizzes/demo.py`.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from attitude.quality import critical_reason_problems
from courses.content import DIMENSIONS

CONTENT_DIR = Path(__file__).resolve().parent / "content"
KINDS = {"single", "multiple", "true_false", "situational", "rating"}
OPTION_FIELDS = {
    "text", "correct", "credit", "expert_rating", "critical", "critical_reason", "feedback",
    "weights",
}  # fmt: skip
QUESTION_FIELDS = {"key", "kind", "text", "situation", "explanation", "tags", "options"}
MIN_QUESTIONS = 12
FEEDBACK_MODES = ("immediate", "after_submit", "after_last_attempt", "after_close")
RATING_SCALE = range(1, 5)


@dataclass
class BankSource:
    path: Path
    course: str
    category: str
    quiz: dict
    questions: list = field(default_factory=list)


def load_bank(path):
    with Path(path).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return BankSource(
        path=Path(path),
        course=data.get("course", ""),
        category=data.get("category", ""),
        quiz=dict(data.get("quiz") or {}),
        questions=list(data.get("questions") or []),
    )


def load_banks(content_dir=CONTENT_DIR):
    return [load_bank(path) for path in sorted(Path(content_dir).glob("*.yaml"))]


def question_problems(where, question):
    """A question needs a key, a known kind, a text, an explanation and 2+ options with
    feedback; the kind decides what marks the right answer: `correct` (single, true/false:
    exactly one; multiple: at least one), `credit` 0..1 on every option with one at 1
    (situational), `expert_rating` 1..4 on every option (rating). Weights are -2..+2 on
    known dimensions."""
    found = []
    key = question.get("key", "?")
    here = f"{where} {key}"
    if set(question) - QUESTION_FIELDS:
        found.append(f"{here}: unknown fields {sorted(set(question) - QUESTION_FIELDS)}")
    kind = question.get("kind")
    if kind not in KINDS:
        return [*found, f"{here}: kind must be one of {sorted(KINDS)}"]
    if not question.get("text") or not question.get("explanation"):
        found.append(f"{here}: text and explanation are required")
    if kind in {"situational", "rating"} and not question.get("situation"):
        found.append(f"{here}: a {kind} question needs a situation")
    options = question.get("options") or []
    if len(options) < 2:
        return [*found, f"{here}: at least two options"]
    for number, option in enumerate(options, 1):
        if not isinstance(option, dict) or set(option) - OPTION_FIELDS:
            found.append(f"{here} option {number}: fields are {sorted(OPTION_FIELDS)}")
            continue
        if not option.get("text") or not option.get("feedback"):
            found.append(f"{here} option {number}: text and feedback are required")
        weights = option.get("weights") or {}
        if set(weights) - DIMENSIONS:
            found.append(f"{here} option {number}: unknown dimensions {set(weights) - DIMENSIONS}")
        if any(not isinstance(w, int) or not -2 <= w <= 2 for w in weights.values()):
            found.append(f"{here} option {number}: weights are whole numbers from -2 to 2")
        found += [
            f"{here} option {number}: {p}"
            for p in critical_reason_problems(option.get("critical"), option.get("critical_reason"))
        ]
    corrects = [bool(option.get("correct")) for option in options if isinstance(option, dict)]
    if kind in {"single", "true_false"} and sum(corrects) != 1:
        found.append(f"{here}: exactly one option must be correct")
    if kind == "true_false" and len(options) != 2:
        found.append(f"{here}: a true/false question has two options")
    if kind == "multiple" and not any(corrects):
        found.append(f"{here}: at least one option must be correct")
    if kind == "situational":
        credits = [option.get("credit") for option in options if isinstance(option, dict)]
        if any(not isinstance(c, (int, float)) or not 0 <= c <= 1 for c in credits):
            found.append(f"{here}: every option needs a credit from 0 to 1")
        elif max(credits) != 1:
            found.append(f"{here}: the best option must have credit 1")
    if kind == "rating":
        ratings = [option.get("expert_rating") for option in options if isinstance(option, dict)]
        if any(r not in RATING_SCALE for r in ratings):
            found.append(f"{here}: every response needs an expert_rating from 1 to 4")
    return found


def bank_problems(bank, min_questions=MIN_QUESTIONS):
    where = bank.path.name
    found = []
    if not bank.course or not bank.category:
        found.append(f"{where}: course and category are required")
    for name in ("title", "slug", "intro", "pass_mark"):
        if not bank.quiz.get(name):
            found.append(f"{where}: quiz.{name} is required")
    if bank.quiz.get("feedback_mode", FEEDBACK_MODES[0]) not in FEEDBACK_MODES:
        found.append(f"{where}: quiz.feedback_mode must be one of {FEEDBACK_MODES}")
    attempts = bank.quiz.get("max_attempts", 0)
    if not isinstance(attempts, int) or attempts < 0:
        found.append(f"{where}: quiz.max_attempts is a whole number (0: no limit)")
    if len(bank.questions) < min_questions:
        found.append(f"{where}: {len(bank.questions)} questions ({min_questions} wanted)")
    keys = [question.get("key") for question in bank.questions]
    if len(keys) != len(set(keys)):
        found.append(f"{where}: two questions share a key")
    for question in bank.questions:
        found.extend(question_problems(where, question))
    return found


def main(args, out):
    """python -m quizzes.content [file …]: the banks' structure and item quality
    (quizzes/quality.py), with the number of questions measuring each dimension; returns 1 if
    anything is wrong. The per-dimension minimum is checked over all banks only."""
    from collections import Counter

    from attitude.quality import coverage_table

    from . import quality

    banks = [load_bank(arg) for arg in args] or load_banks()
    problems = [p for bank in banks for p in bank_problems(bank)]
    if args:
        problems += [str(f) for bank in banks for f in quality.bank_flags(bank)]
    else:
        problems += [str(f) for f in quality.content_flags(banks)]
    for bank in banks:
        kinds = Counter(question.get("kind") for question in bank.questions)
        out.write(f"{bank.path.name}: {len(bank.questions)} questions {dict(kinds)}\n")
    out.write("\n" + coverage_table({"questions": quality.seeded_coverage(banks)}) + "\n\n")
    out.write("\n".join(problems) + ("\n" if problems else "no problems\n"))
    return 1 if problems else 0


if __name__ == "__main__":
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.utils import translation

    translation.activate("en")  # like the structural problems: the msgids, in English
    sys.exit(main(sys.argv[1:], sys.stdout))
