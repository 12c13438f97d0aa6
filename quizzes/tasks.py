"""Background tasks of the quizzes app, run through Django's tasks API.

Item statistics are recomputed once per burst of submissions, not once per submission: a
submission asks for a recompute only when none is waiting (`request_statistics_refresh`, in
the submitting transaction, under the statistics row's lock), and a recompute takes the
request before it reads. Whatever is submitted while a recompute waits is in what it reads;
whatever is submitted while one runs asks for exactly one more.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

import numpy as np
from django_tasks import task

from people.outbox import enqueue

from .models import Attempt, AttemptAnswer, QuizStatistics
from .statistics import ALL, ATTEMPTS, FIRST, LATEST, Responses, figures, first_and_latest

CHUNK = 1000  # attempts whose answers are read per query


def quiz_responses(quiz_id):
    """The submitted attempts of a quiz as `Responses` and, per attempt, the person and the
    attempt number. The answers are read as plain values, CHUNK attempts at a time."""
    attempts = list(
        Attempt.objects.submitted()
        .filter(quiz_id=quiz_id)
        .values_list("pk", "person_id", "number", "score")
    )  # in the model's order: it breaks ties between equal totals, as before
    pks = np.array([row[0] for row in attempts], dtype=np.int64)
    people = np.array([row[1] for row in attempts], dtype=np.int64)
    numbers = np.array([row[2] for row in attempts], dtype=np.int64)
    percents = np.array([0 if s is None else round(s * 100) for *_, s in attempts], dtype=float)
    texts = {}  # each distinct response, as stored, is decoded once
    columns = ([], [], [], [])
    # The answers of CHUNK attempts at a time: an index scan on the attempt, never a scan of
    # every answer of every quiz, and memory bounded by the chunk while reading.
    for start in range(0, len(pks), CHUNK):
        rows = (
            AttemptAnswer.objects.filter(
                attempt_id__in=pks[start : start + CHUNK].tolist(), score__isnull=False
            )
            .order_by()
            .values_list("attempt_id", "question_id", "score", Cast("response", TextField()))
        )
        if not (rows := list(rows)):
            continue
        attempt_ids, question_ids, scores, responses = zip(*rows, strict=True)
        columns[0].append(np.array(attempt_ids, dtype=np.int64))
        columns[1].append(np.array(question_ids, dtype=np.int64))
        columns[2].append(np.array(scores, dtype=float))
        columns[3].append(
            np.array([texts.setdefault(t, len(texts)) for t in responses], dtype=np.int64)
        )
    attempt_ids, question_ids, scores, codes = (
        np.concatenate(column) if column else np.zeros(0, dtype=dtype)
        for column, dtype in zip(columns, (np.int64, np.int64, float, np.int64), strict=True)
    )
    order = np.argsort(pks)
    attempt = order[np.searchsorted(pks, attempt_ids, sorter=order)]
    ids, question = np.unique(question_ids, return_inverse=True)
    decoded = [json.loads(t) for t in texts]
    # Choice questions store the chosen option ids; rating questions have no "choice".
    choices = [sorted(v) if isinstance(v, list) else [] for v in decoded]
    answered = np.array([bool(v) for v in decoded], dtype=bool)
    totals = np.bincount(attempt, weights=scores, minlength=len(pks))
    responses = Responses(
        totals=totals,
        percents=percents,
        attempt=attempt,
        question=question,
        score=scores,
        answered=answered[codes] if len(codes) else np.zeros(0, dtype=bool),
        choice=codes,
        question_ids=ids.tolist(),
        choices=choices,
    )
    return responses, people, numbers


def quiz_figures(quiz_id):
    """The item analysis of a quiz for each choice of which attempts count: each person's
    first (Moodle's default), each person's latest (what the attitude profile counts), or all."""
    responses, people, numbers = quiz_responses(quiz_id)
    first, latest = first_and_latest(people, numbers)
    counted = {FIRST: first, ALL: None, LATEST: latest}
    return {which: figures(responses, counted[which]) for which in ATTEMPTS}


def request_statistics_refresh(*, quiz_id, now=None):
    """Ask for a recompute of the quiz's statistics, in the caller's transaction: queued only
    if none is waiting (or the one waiting was queued longer than the task lease ago, so its
    task was lost). The row lock is held until the caller commits, so a recompute that takes
    the request reads after this submission is committed."""
    now = now or timezone.now()
    statistics, _ = QuizStatistics.objects.select_for_update().get_or_create(quiz_id=quiz_id)
    lost = now - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    if statistics.refresh_queued_at and statistics.refresh_queued_at > lost:
        return False
    QuizStatistics.objects.filter(pk=statistics.pk).update(refresh_queued_at=now)
    enqueue(refresh_quiz_statistics, quiz_id=quiz_id)
    return True


def take_refresh(quiz_id, *, force=False):
    """Take the quiz's waiting request (or, with `force`, start one anyway) and return this
    recompute's number, or None when there is nothing to do: the request was taken by another
    recompute (a task delivered twice). A recompute that started but never stored its figures
    (its worker died) is redone."""
    with transaction.atomic():
        statistics, _ = QuizStatistics.objects.select_for_update().get_or_create(quiz_id=quiz_id)
        unfinished = statistics.refresh_stored < statistics.refreshes_started
        if not (force or statistics.refresh_queued_at or unfinished):
            return None
        run = statistics.refreshes_started + 1
        QuizStatistics.objects.filter(pk=statistics.pk).update(
            refresh_queued_at=None, refreshes_started=run
        )
    return run


def store_figures(quiz_id, run, data):
    """Store a recompute's figures unless a later recompute already stored its own."""
    return QuizStatistics.objects.filter(quiz_id=quiz_id, refresh_stored__lt=run).update(
        computed_at=timezone.now(), attempts=data[FIRST]["attempts"], data=data, refresh_stored=run
    )


def refresh_statistics_now(quiz_id, *, force=False):
    """Recompute and store a quiz's item analysis; False when nothing was waiting."""
    run = take_refresh(quiz_id, force=force)
    if run is None:
        return False
    store_figures(quiz_id, run, quiz_figures(quiz_id))
    return True


@task()
def refresh_quiz_statistics(*, quiz_id):
    """Recompute a quiz's item analysis off the web request, once for however many
    submissions asked for it while it waited."""
    refresh_statistics_now(quiz_id)
