"""Item analysis as Moodle defines it, checked against an independent computation with
numpy and scipy on a synthetic response matrix; the report reads what the background task
stored."""

from http import HTTPStatus

from django.urls import reverse

import numpy as np
import pytest
from scipy import stats

from quizzes.models import QuizStatistics
from quizzes.services import save_answer, start_attempt, submit_attempt
from quizzes.statistics import item_statistics

from .conftest import option_id, question_id


def synthetic_matrix(people=60, questions=8, *, seed=20261125):
    """Scores 0..1 driven by a latent ability, so questions correlate as real ones do. Each
    call draws from its own seeded generator: the same matrix whatever ran before it (in
    which xdist worker, in which order)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(people, 1))
    difficulty = rng.normal(size=(1, questions))
    probability = 1 / (1 + np.exp(-(ability - difficulty) * 1.7))
    return (rng.random((people, questions)) < probability).astype(float)


def as_attempts(matrix):
    return [
        {
            "total": float(row.sum()),
            "questions": {q: {"score": float(x)} for q, x in enumerate(row)},
        }
        for row in matrix
    ]


def test_facility_discrimination_and_alpha_match_numpy():
    matrix = synthetic_matrix()
    figures = item_statistics(as_attempts(matrix))
    totals = matrix.sum(axis=1)
    k = matrix.shape[1]
    alpha = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / totals.var(ddof=1))
    assert figures["alpha"] == pytest.approx(alpha)
    # SD and SEM with n − 1, as Moodle (n would be off by about 1 % at 60 attempts)
    assert figures["sd"] == pytest.approx(totals.std(ddof=1))
    assert figures["error"] == pytest.approx(totals.std(ddof=1) * np.sqrt(1 - alpha))
    assert figures["error"] != pytest.approx(totals.std() * np.sqrt(1 - alpha), rel=1e-3)
    assert figures["skewness"] == pytest.approx(stats.skew(totals, bias=False))
    assert figures["kurtosis"] == pytest.approx(stats.kurtosis(totals, fisher=True, bias=False))
    for q in range(k):
        item = figures["questions"][str(q)]
        rest = totals - matrix[:, q]
        assert item["facility"] == pytest.approx(matrix[:, q].mean())
        assert item["sd"] == pytest.approx(matrix[:, q].std(ddof=1))
        if matrix[:, q].std() == 0:  # everyone scored the same: nothing to correlate
            assert item["discrimination"] is None
            continue
        assert item["discrimination"] == pytest.approx(np.corrcoef(matrix[:, q], rest)[0, 1])
        best = np.cov(np.sort(matrix[:, q]), np.sort(rest))[0, 1]
        actual = np.cov(matrix[:, q], rest)[0, 1]
        assert item["efficiency"] == pytest.approx(actual / best)


def test_flags_name_easy_hard_and_negatively_discriminating_questions():
    """Nine questions driven by ability (enough that one reversed question cannot pull their
    rest scores below zero: no seed from 1 to 60 flags one) beside three made bad on purpose."""
    matrix = synthetic_matrix(people=90, questions=12)
    matrix[:, 0] = 1.0  # everyone right: too easy
    matrix[:, 1] = 0.0  # everyone wrong: too hard
    totals = matrix[:, 3:].sum(axis=1)
    matrix[:, 2] = (totals < np.median(totals)).astype(float)  # the weaker get it right
    figures = item_statistics(as_attempts(matrix))["questions"]
    assert figures["0"]["too_easy"] and figures["1"]["too_hard"]
    assert figures["2"]["negative"]
    assert not [q for q in map(str, range(3, 12)) if figures[q]["negative"]]


def test_distractor_analysis_counts_the_top_and_bottom_thirds():
    attempts = [
        {"total": float(t), "questions": {1: {"score": t / 9, "chosen": [10 if t > 4 else 11]}}}
        for t in range(9)
    ]
    options = item_statistics(attempts)["questions"]["1"]["options"]
    assert options["10"] == {"top": 1.0, "bottom": 0.0}
    assert options["11"] == {"top": 0.0, "bottom": 1.0}


def test_no_attempts_no_figures():
    assert item_statistics([])["attempts"] == 0


@pytest.mark.django_db
def test_statistics_are_refreshed_after_each_submission_and_shown_to_editors(
    client, quiz, user_factory, editor, agent, django_capture_on_commit_callbacks
):
    for n in range(4):
        person = user_factory()
        attempt = start_attempt(person=person, quiz=quiz)
        if n % 2:
            good = option_id(attempt, "q-single", "Cortesía")
            save_answer(
                attempt=attempt, question_id=question_id(attempt, "q-single"), response=[good]
            )
        with django_capture_on_commit_callbacks(execute=True):
            submit_attempt(attempt=attempt)
    statistics = QuizStatistics.objects.get(quiz=quiz)
    assert statistics.attempts == 4
    single = question_id(attempt, "q-single")
    assert statistics.data["first"]["questions"][str(single)]["facility"] == 0.5
    client.force_login(editor)
    response = client.get(reverse("quizzes_item_analysis_quiz", args=[quiz.pk]))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "q-single" in html and "50,0%" in html and "alfa de Cronbach" in html
    assert client.get(reverse("quizzes_item_analysis")).status_code == HTTPStatus.OK
    client.force_login(agent)
    response = client.get(reverse("quizzes_item_analysis_quiz", args=[quiz.pk]))
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)


def test_one_attempt_has_no_spread_and_few_attempts_no_shape():
    figures = item_statistics(as_attempts(np.array([[1.0, 0.0, 1.0]])))
    assert figures["sd"] is None and figures["skewness"] is None
    assert figures["questions"]["0"]["sd"] is None
    three = item_statistics(as_attempts(np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])))
    assert three["skewness"] == pytest.approx(stats.skew([1.0, 0.0, 2.0], bias=False))
    assert three["kurtosis"] is None  # needs four


def test_answered_counts_the_attempts_that_answered_not_those_that_saw_the_question():
    attempts = as_attempts(np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]]))
    attempts[1]["questions"][1]["answered"] = False  # left blank: scored 0
    figures = item_statistics(attempts)["questions"]["1"]
    assert (figures["answered"], figures["attempts"]) == (2, 3)


def test_with_random_draws_there_is_no_test_level_reliability():
    matrix = synthetic_matrix(people=30, questions=6)
    attempts = as_attempts(matrix)
    for n, attempt in enumerate(attempts):  # each sat five of the six questions
        drawn_out = n % 6
        attempt["total"] -= attempt["questions"].pop(drawn_out)["score"]
    figures = item_statistics(attempts)
    assert not figures["same_questions"]
    assert figures["alpha"] is None and figures["error"] is None
    assert figures["questions"]["0"]["attempts"] == 25  # still per question


@pytest.mark.django_db
def test_the_report_counts_first_attempts_by_default_and_says_which(
    client, quiz, agent, editor, django_capture_on_commit_callbacks
):
    """The agent fails, then gets the single-choice question right: the first attempt counts
    by default (as Moodle), the latest on request (as the attitude profile)."""
    for right in (False, True):
        attempt = start_attempt(person=agent, quiz=quiz)
        if right:
            good = option_id(attempt, "q-single", "Cortesía")
            save_answer(
                attempt=attempt, question_id=question_id(attempt, "q-single"), response=[good]
            )
        with django_capture_on_commit_callbacks(execute=True):
            submit_attempt(attempt=attempt)
    data = QuizStatistics.objects.get(quiz=quiz).data
    single = str(question_id(attempt, "q-single"))
    assert data["first"]["questions"][single]["facility"] == 0
    assert data["latest"]["questions"][single]["facility"] == 1
    assert data["all"]["attempts"] == 2 and data["first"]["attempts"] == 1
    assert data["first"]["questions"][single]["answered"] == 0
    client.force_login(editor)
    url = reverse("quizzes_item_analysis_quiz", args=[quiz.pk])
    html = client.get(url).content.decode()
    assert "el primer intento de cada persona (como Moodle)" in html
    assert "<td>—</td>" in html  # one attempt: no standard deviation, not «0 %»
    html = client.get(url, {"attempts": "latest"}).content.decode()
    assert "el último intento de cada persona (el que cuenta el perfil de actitud)" in html
