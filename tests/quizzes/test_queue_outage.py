"""With the Redis task queue refused, submitting a quiz still answers: the attempt is graded and
its statistics refresh waits in the outbox, committed with the attempt."""

from http import HTTPStatus

import pytest

from people import outbox
from people.models import OutboxTask
from quizzes.models import Attempt
from tests.faults import REFUSED_REDIS, redis_queue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def broker_back_off_reset(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)


def test_a_quiz_submitted_while_the_queue_is_down_is_graded_and_its_task_kept(
    client, settings, agent, quiz, django_capture_on_commit_callbacks
):
    redis_queue(settings, REFUSED_REDIS)
    client.force_login(agent)
    client.post(f"{quiz.url}empezar/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{quiz.url}enviar/")
    assert response.status_code == HTTPStatus.FOUND
    assert Attempt.objects.get(person=agent).is_submitted
    waiting = OutboxTask.objects.pending().get()
    assert waiting.task_path == "quizzes.tasks.refresh_quiz_statistics"
    assert waiting.args_kwargs["kwargs"] == {"quiz_id": quiz.pk}
