"""The quiz question page reads a fixed number of queries, however many attempts the agent
has made and questions they have answered (issue 17)."""

import pytest

from quizzes.models import Attempt
from quizzes.services import save_answer, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def _answer_all(attempt):
    for question in attempt.questions:
        if question["kind"] != "rating":
            save_answer(
                attempt=attempt,
                question_id=question["id"],
                response=[question["options"][0]["id"]],
            )


@pytest.mark.parametrize("earlier_attempts", [0, 3])
def test_the_question_page_reads_a_fixed_number_of_queries(
    client, agent, quiz_factory, earlier_attempts, django_assert_max_num_queries
):
    quiz = quiz_factory(max_attempts=0)
    for _ in range(earlier_attempts):
        attempt = start_attempt(person=agent, quiz=quiz)
        _answer_all(attempt)
        submit_attempt(attempt=attempt, refresh_statistics=False)
    attempt = start_attempt(person=agent, quiz=quiz)
    if earlier_attempts:
        _answer_all(attempt)
    client.force_login(agent)
    url = quiz.url + quiz.reverse_subpage("question", args=(2,))
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert Attempt.objects.filter(person=agent, quiz=quiz).count() == earlier_attempts + 1
