"""HR sees the statement queue's state in the Wagtail admin and can retry the failing ones;
nobody else can."""

from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone, translation

import pytest

from xapi.models import Statement

from .conftest import free_port_endpoint
from .test_queue import quiz_events

QUEUE = "xapi_statement_queue"
RETRY = "xapi_retry_statements"


@pytest.fixture
def failing_queue(settings, agent, quiz, django_capture_on_commit_callbacks):
    settings.XAPI_LRS_ENDPOINT = free_port_endpoint()
    with django_capture_on_commit_callbacks(execute=True):
        quiz_events(agent, quiz)
        quiz_events(agent, quiz, attempt_pk=8)
    Statement.objects.filter(verb="attempted").update(
        state=Statement.State.SENT, sent_at=timezone.now(), last_error=""
    )
    Statement.objects.filter(verb="answered").update(state=Statement.State.PENDING)


@pytest.mark.parametrize("role", ["agent", "supervisor", "editor", None])
def test_only_hr_sees_the_queue(request, client_for, failing_queue, role):
    person = request.getfixturevalue(role) if role else None
    client = client_for(person)
    for name in (QUEUE, RETRY):
        response = client.get(reverse(name))
        if person is None:
            assert response.status_code == HTTPStatus.FOUND  # to the sign-in page
            assert "login" in response["Location"]
        else:
            assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
            assert b"Connection refused" not in response.content
    assert client.post(reverse(RETRY)).status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    assert Statement.objects.filter(state=Statement.State.FAILING).count() == 2


def test_hr_sees_the_counts_and_the_failing_statements_with_the_lrs_answer(
    client_for, hr, failing_queue, django_assert_max_num_queries
):
    client = client_for(hr)
    with translation.override("en"), django_assert_max_num_queries(12):
        response = client.get(reverse(QUEUE), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<dd data-state="sent">2</dd>' in html
    assert '<dd data-state="pending">2</dd>' in html
    assert '<dd data-state="failing">2</dd>' in html
    assert "Connection refused" in html
    failing = Statement.objects.filter(state=Statement.State.FAILING)
    for statement in failing:
        assert str(statement.pk) in html


def test_the_queue_page_makes_as_many_queries_with_more_failing(
    client_for, hr, failing_queue, agent, quiz, settings, django_assert_max_num_queries
):
    for pk in range(20, 30):
        quiz_events(agent, quiz, attempt_pk=pk)
    client = client_for(hr)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(QUEUE)).status_code == HTTPStatus.OK


def test_retry_now_asks_first_and_then_sends_again(client_for, hr, failing_queue, lrs):
    client = client_for(hr)
    confirm = client.get(reverse(RETRY))
    assert confirm.status_code == HTTPStatus.OK
    assert b'method="post"' in confirm.content
    assert Statement.objects.filter(state=Statement.State.FAILING).count() == 2  # not yet

    response = client.post(reverse(RETRY))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(QUEUE)
    assert not Statement.objects.filter(state=Statement.State.FAILING).exists()
    assert Statement.objects.filter(state=Statement.State.PENDING).count() == 0
    assert len(lrs.statements()) == 4  # the failing two and the pending two
