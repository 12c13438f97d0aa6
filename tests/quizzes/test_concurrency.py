"""Submitting from two tabs at once produces one result (real threads on PostgreSQL)."""

import threading

from django.db import connection, connections

import pytest

from attitude.models import EvidenceRecord
from quizzes.models import Attempt
from quizzes.services import start_attempt, submit_attempt

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; CI runs this on PostgreSQL",
)


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_grade_once(agent, quiz):
    attempt = start_attempt(person=agent, quiz=quiz)
    barrier = threading.Barrier(6)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk)).submitted_at)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert EvidenceRecord.objects.filter(person=agent).count() == 1
    assert Attempt.objects.filter(person=agent).count() == 1


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_starts_open_one_attempt(agent, quiz):
    barrier = threading.Barrier(4)
    started, errors = [], []

    def start():
        try:
            barrier.wait()
            started.append(start_attempt(person=agent, quiz=quiz).pk)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(started)) == 1
