"""A burst of submissions queues one recompute of the quiz's statistics, not one each; a
burst during a recompute queues exactly one more; and once the queue is empty the stored
figures count every submission."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from quizzes.models import QuizStatistics
from quizzes.services import save_answer, start_attempt, submit_attempt
from quizzes.tasks import (
    quiz_figures,
    refresh_quiz_statistics,
    refresh_statistics_now,
    request_statistics_refresh,
    store_figures,
    take_refresh,
)
from tests.threads import race

from .conftest import option_id, question_id
from .reference_statistics import reference_figures
from .test_statistics_equivalence import assert_same

TASK = "quizzes.tasks.refresh_quiz_statistics"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued():
    return DBTaskResult.objects.filter(task_path=TASK, status="READY")


def run_queue():
    """Run the waiting recomputes as the worker would, oldest first; return how many ran."""
    ran = 0
    for result in queued().order_by("enqueued_at"):
        DBTaskResult.objects.filter(pk=result.pk).update(status="SUCCESSFUL")
        refresh_quiz_statistics.call(**result.args_kwargs["kwargs"])
        ran += 1
    return ran


def submit(quiz, person, right):
    attempt = start_attempt(person=person, quiz=quiz)
    if right:
        good = option_id(attempt, "q-single", "Cortesía")
        save_answer(attempt=attempt, question_id=question_id(attempt, "q-single"), response=[good])
    return submit_attempt(attempt=attempt)


def stored(quiz):
    return QuizStatistics.objects.get(quiz=quiz)


@pytest.mark.django_db
def test_a_burst_queues_one_recompute_and_one_more_while_it_runs(
    database_queue, quiz, user_factory
):
    people = [user_factory() for _ in range(15)]
    for n, person in enumerate(people[:10]):
        submit(quiz, person, right=n % 2)
    assert queued().count() == 1
    assert run_queue() == 1
    assert stored(quiz).attempts == 10
    assert_same(stored(quiz).data, reference_figures(quiz.pk))

    # A worker starts the next recompute, which takes the request and reads; four more
    # submissions arrive before it stores its figures.
    submit(quiz, people[10], right=False)
    queued().update(status="RUNNING")
    run = take_refresh(quiz.pk)
    figures = quiz_figures(quiz.pk)
    for person in people[11:]:
        submit(quiz, person, right=True)
    assert queued().count() == 1  # one more, however many arrived
    store_figures(quiz.pk, run, figures)
    assert stored(quiz).attempts == 11  # what it read
    assert run_queue() == 1
    assert stored(quiz).attempts == 15
    assert_same(stored(quiz).data, reference_figures(quiz.pk))
    assert not queued().exists()
    assert not refresh_statistics_now(quiz.pk)  # a task delivered twice does nothing


@pytest.mark.django_db
def test_an_older_recompute_never_overwrites_a_newer_one(database_queue, quiz, user_factory):
    submit(quiz, user_factory(), right=True)
    queued().update(status="RUNNING")
    older = take_refresh(quiz.pk)
    stale = quiz_figures(quiz.pk)
    submit(quiz, user_factory(), right=False)
    assert run_queue() == 1  # the newer recompute finishes first (another worker)
    store_figures(quiz.pk, older, stale)
    assert stored(quiz).attempts == 2


@pytest.mark.django_db
def test_a_request_whose_task_was_lost_is_queued_again_after_the_lease(
    database_queue, settings, quiz, user_factory
):
    submit(quiz, user_factory(), right=True)
    queued().delete()  # lost before any worker took it
    submit(quiz, user_factory(), right=True)
    assert not queued().exists()  # still counted as waiting
    later = timezone.now() + timedelta(seconds=settings.TASK_LEASE_SECONDS + 1)
    with transaction.atomic():
        assert request_statistics_refresh(quiz_id=quiz.pk, now=later)
    assert run_queue() == 1
    assert stored(quiz).attempts == 2


@pytest.mark.django_db
def test_a_recompute_whose_worker_died_is_redone(database_queue, quiz, user_factory):
    submit(quiz, user_factory(), right=True)
    take_refresh(quiz.pk)  # started, never stored
    assert refresh_statistics_now(quiz.pk)
    assert stored(quiz).attempts == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_submissions_queue_one_recompute_that_counts_them_all(
    database_queue, quiz, user_factory
):
    people = [user_factory() for _ in range(8)]
    attempts = [start_attempt(person=person, quiz=quiz) for person in people]
    outcomes = race(*(lambda a=a: submit_attempt(attempt=a) for a in attempts))
    assert all(outcome.is_submitted for outcome in outcomes)
    assert queued().count() == 1
    assert run_queue() == 1
    assert stored(quiz).attempts == 8
    assert_same(stored(quiz).data, reference_figures(quiz.pk))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submissions_racing_a_recompute_queue_exactly_one_more(database_queue, quiz, user_factory):
    people = [user_factory() for _ in range(7)]
    submit(quiz, people[0], right=True)
    attempts = [start_attempt(person=person, quiz=quiz) for person in people[1:]]
    outcomes = race(
        lambda: refresh_statistics_now(quiz.pk),
        *(lambda a=a: submit_attempt(attempt=a) for a in attempts),
    )
    assert not any(isinstance(outcome, Exception) for outcome in outcomes)
    DBTaskResult.objects.filter(pk=queued().order_by("enqueued_at").first().pk).update(
        status="SUCCESSFUL"
    )  # the first request, taken by the recompute that raced
    assert queued().count() <= 1
    run_queue()
    assert stored(quiz).attempts == 7
    assert_same(stored(quiz).data, reference_figures(quiz.pk))
