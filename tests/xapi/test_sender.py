"""Nothing is lost while the LRS is down and nothing arrives twice; a statement the LRS refuses
fails alone, with the LRS's answer."""

from datetime import timedelta

from django.utils import timezone

from courses import lifecycle
from xapi.models import Statement, backoff
from xapi.sender import retry_now, send_due

from .conftest import free_port_endpoint
from .test_queue import quiz_events


def later(**delta):
    return timezone.now() + timedelta(**delta)


def test_while_no_lrs_answers_the_statements_wait_failing_with_the_error(
    lrs, settings, agent, quiz, django_capture_on_commit_callbacks
):
    settings.XAPI_LRS_ENDPOINT = free_port_endpoint()
    with django_capture_on_commit_callbacks(execute=True):
        quiz_events(agent, quiz)  # each event asks for a send, which fails

    statements = Statement.objects.all()
    assert {s.state for s in statements} == {Statement.State.FAILING}
    first = statements[0]
    assert "Connection refused" in first.last_error
    assert first.attempts >= 1
    assert first.next_attempt_at > timezone.now()
    assert lrs.statements() == []

    # Not due before the backoff: a send now tries nothing.
    attempts = sorted(Statement.objects.values_list("attempts", flat=True))
    assert send_due().sent == 0
    assert sorted(Statement.objects.values_list("attempts", flat=True)) == attempts


def test_an_lrs_that_does_not_answer_times_out(settings, silent_endpoint, agent, quiz):
    settings.XAPI_LRS_ENDPOINT = silent_endpoint
    settings.XAPI_LRS_TIMEOUT = 0.2
    lifecycle.start(
        person=agent,
        step=quiz,
        key="quiz-attempt-1:started",
        registration=lifecycle.registration_for("quiz-attempt", 1),
    )
    statement = Statement.objects.get()
    assert statement.state == Statement.State.FAILING
    assert "timed out" in statement.last_error
    assert statement.attempts == 1


def test_the_backoff_doubles_up_to_its_cap(settings):
    settings.XAPI_RETRY_BASE_SECONDS = 30
    settings.XAPI_RETRY_MAX_SECONDS = 3600
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(50) == timedelta(hours=1)


def test_after_an_outage_every_statement_arrives_exactly_once(
    lrs, settings, agent, quiz, django_capture_on_commit_callbacks
):
    settings.XAPI_BATCH_SIZE = 2
    lrs.stop()
    with django_capture_on_commit_callbacks(execute=True):
        registration = quiz_events(agent, quiz)
        quiz_events(agent, quiz, attempt_pk=8)
    assert set(Statement.objects.values_list("state", flat=True)) == {Statement.State.FAILING}

    lrs.start()
    report = send_due(now=later(hours=2))  # every backoff has passed

    assert report.sent == 6
    assert set(Statement.objects.values_list("state", flat=True)) == {Statement.State.SENT}
    assert len(lrs.statements()) == 6
    assert len(lrs.statements(registration=str(registration))) == 3
    assert send_due(now=later(hours=3)).sent == 0
    assert len(lrs.statements()) == 6


def test_a_statement_the_lrs_refuses_fails_alone(lrs, settings, agent, quiz):
    settings.XAPI_LRS_ENDPOINT = free_port_endpoint()
    quiz_events(agent, quiz)
    settings.XAPI_LRS_ENDPOINT = lrs.endpoint
    broken = Statement.objects.get(verb="answered")
    broken.data.pop("verb")
    broken.save()

    report = send_due(now=later(hours=2))

    assert report.sent == 2
    broken.refresh_from_db()
    assert broken.state == Statement.State.FAILING
    assert broken.last_error.startswith("HTTP 4")
    assert "verb" in broken.last_error  # the LRS's own words
    assert {s["verb"]["id"].rsplit("/", 1)[1] for s in lrs.statements()} == {
        "attempted",
        "passed",
    }


def test_a_statement_the_lrs_already_holds_counts_as_sent(lrs, agent, quiz):
    quiz_events(agent, quiz)
    send_due()
    statement = Statement.objects.get(verb="attempted")
    statement.data["context"]["platform"] = "Actitud (otra versión)"
    statement.state = Statement.State.PENDING
    statement.save()

    report = send_due()

    assert report.sent == 1
    statement.refresh_from_db()
    assert statement.state == Statement.State.SENT
    assert len(lrs.statements()) == 3


def test_retry_now_makes_failing_statements_due(
    lrs, settings, agent, quiz, django_capture_on_commit_callbacks
):
    settings.XAPI_LRS_ENDPOINT = free_port_endpoint()
    with django_capture_on_commit_callbacks(execute=True):
        quiz_events(agent, quiz)
    settings.XAPI_LRS_ENDPOINT = lrs.endpoint
    assert send_due().sent == 0

    assert retry_now() == 3
    assert send_due().sent == 3


def test_without_an_lrs_nothing_is_sent(settings, agent, quiz):
    settings.XAPI_LRS_ENDPOINT = ""
    quiz_events(agent, quiz)
    assert send_due().sent == 0
    assert set(Statement.objects.values_list("state", flat=True)) == {Statement.State.PENDING}
