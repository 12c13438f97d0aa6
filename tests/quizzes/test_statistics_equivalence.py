"""The item analysis computed with numpy from streamed answers gives the same figures as the
plain-Python computation it replaced (tests/quizzes/reference_statistics.py), on the same
random data in the database, for first, latest and all attempts, and at the edges: one
attempt, every score equal, questions left blank, questions drawn at random, no attempt."""

import random

from django.utils import timezone

import pytest

from people.models import User
from quizzes.models import Attempt, AttemptAnswer
from quizzes.tasks import quiz_figures

from .reference_statistics import reference_figures

pytestmark = pytest.mark.django_db

QUESTIONS = [501, 502, 503, 504, 505, 506]
OPTIONS = {q: [q * 10 + i for i in range(4)] for q in QUESTIONS}
DYADIC = [0.0, 0.25, 0.5, 0.75, 1.0]
THIRDS = [0.0, 1 / 3, 2 / 3, 1.0, 0.2]


def assert_same(new, old, path="figures"):
    if isinstance(old, dict):
        assert new.keys() == old.keys(), path
        for key in old:
            assert_same(new[key], old[key], f"{path}[{key!r}]")
    elif isinstance(old, float):
        assert isinstance(new, float), path
        assert new == pytest.approx(old, rel=1e-9, abs=1e-9), path
    else:
        assert new == old, path
        assert type(new) is type(old), path


def generate(quiz, *, people=120, seed=1, scores=DYADIC, drawn=None, blank=0.1, equal=None):
    """People (some with the same name) with one to three attempts each, answered by a latent
    ability; some questions left blank (scored 0), some rating answers (no option chosen),
    one open attempt and one unscored answer that must not count. `drawn`: each attempt sits
    that many of the questions; `equal`: every score is that value."""
    rng = random.Random(seed)
    users = User.objects.bulk_create(
        User(
            email=f"p{seed}-{i}@example.com",
            full_name=f"Agente {rng.randrange(max(1, people // 3))}",
        )
        for i in range(people)
    )
    now = timezone.now()
    attempts, plans = [], []
    for user in users:
        ability = rng.random()
        for number in range(1, rng.choice([1, 1, 2, 3]) + 1):
            attempts.append(
                Attempt(person=user, quiz=quiz, number=number, submitted_at=now, score=0.0)
            )
            sat = rng.sample(QUESTIONS, drawn) if drawn else QUESTIONS
            plans.append([(q, ability + rng.gauss(0, 0.3)) for q in sat])
    attempts[-1].submitted_at = None  # still open: not counted
    Attempt.objects.bulk_create(attempts)
    answers = []
    for attempt, plan in zip(attempts, plans, strict=True):
        earned = []
        for q, skill in plan:
            if rng.random() < blank:
                response, score = [], 0.0
            elif q == QUESTIONS[-1]:
                response = {"r1": rng.randint(1, 4)}  # a rating question
                score = rng.choice(scores)
            else:
                response = rng.sample(OPTIONS[q], rng.choice([1, 1, 2]))
                level = min(len(scores) - 1, max(0, int(skill * len(scores))))
                score = scores[level]
            score = equal if equal is not None else score
            earned.append(score)
            answers.append(
                AttemptAnswer(attempt=attempt, question_id=q, response=response, score=score)
            )
        attempt.score = sum(earned) / len(earned)
    answers[0].score = None  # saved but never scored: not counted
    AttemptAnswer.objects.bulk_create(answers)
    Attempt.objects.bulk_update(attempts, ["score"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_attempts_give_the_same_figures(quiz, seed):
    generate(quiz, seed=seed)
    new, old = quiz_figures(quiz.pk), reference_figures(quiz.pk)
    assert_same(new, old)
    assert old["all"]["attempts"] > old["first"]["attempts"] > 100
    assert old["first"]["alpha"] is None  # the unscored answer leaves one attempt short
    assert old["first"]["questions"]["501"]["options"]


def test_every_attempt_sitting_every_question_gives_the_same_reliability(quiz):
    generate(quiz, seed=4, blank=0.2)
    AttemptAnswer.objects.filter(score__isnull=True).update(score=0.0)
    new, old = quiz_figures(quiz.pk), reference_figures(quiz.pk)
    assert_same(new, old)
    assert old["all"]["alpha"] is not None and old["first"]["error"] is not None


def test_partial_credit_in_thirds_gives_the_same_figures(quiz):
    generate(quiz, seed=5, scores=THIRDS)
    assert_same(quiz_figures(quiz.pk), reference_figures(quiz.pk))


def test_questions_drawn_at_random_give_the_same_figures(quiz):
    generate(quiz, seed=6, drawn=4)
    new, old = quiz_figures(quiz.pk), reference_figures(quiz.pk)
    assert_same(new, old)
    assert not old["all"]["same_questions"]


def test_every_score_equal_gives_no_spread_and_no_correlation(quiz):
    generate(quiz, seed=7, people=30, equal=1.0, blank=0)
    AttemptAnswer.objects.filter(score__isnull=True).update(score=1.0)
    new, old = quiz_figures(quiz.pk), reference_figures(quiz.pk)
    assert_same(new, old)
    item = new["all"]["questions"]["501"]
    assert item["sd"] == 0.0 and item["discrimination"] is None and item["efficiency"] is None
    assert new["all"]["alpha"] is None and new["all"]["skewness"] is None


def test_one_attempt_and_no_attempt(quiz):
    assert_same(quiz_figures(quiz.pk), reference_figures(quiz.pk))
    assert quiz_figures(quiz.pk)["all"]["attempts"] == 0
    single = quiz
    generate(single, seed=8, people=1)
    Attempt.objects.filter(quiz=single, number__gt=1).delete()
    Attempt.objects.filter(quiz=single).update(submitted_at=timezone.now())
    new, old = quiz_figures(single.pk), reference_figures(single.pk)
    assert_same(new, old)
    assert new["first"]["attempts"] == 1 and new["first"]["sd"] is None


def test_everything_left_blank(quiz):
    generate(quiz, seed=9, people=12, blank=1.0)
    new, old = quiz_figures(quiz.pk), reference_figures(quiz.pk)
    assert_same(new, old)
    assert new["all"]["questions"]["502"]["answered"] == 0
