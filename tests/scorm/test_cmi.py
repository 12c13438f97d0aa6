"""The CMI endpoint: a package's commits saved into the person's own current attempt, within
the standard's limits; completion and passing finish the step through courses.lifecycle,
once per attempt."""

import json
from datetime import timedelta

from django.urls import reverse

import pytest

from courses.lifecycle import activity_recorded
from courses.models import Enrolment, StepCompletion
from scorm import cmi
from scorm.services import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded():
    events = []

    def receiver(event, **kwargs):
        events.append(event)

    activity_recorded.connect(receiver)
    yield events
    activity_recorded.disconnect(receiver)


def commit_url(attempt, terminate=False):
    url = reverse("scorm:commit", kwargs={"attempt_id": attempt.pk})
    return url + ("?terminate=true" if terminate else "")


def post(client, attempt, body, terminate=False):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(
        commit_url(attempt, terminate), data=data, content_type="application/json;charset=UTF-8"
    )


def cmi12(status="incomplete", raw="", suspend="", location="", session="00:00:10", exit=""):
    return {
        "cmi": {
            "core": {
                "lesson_status": status,
                "lesson_location": location,
                "score": {"raw": raw, "min": "0" if raw else "", "max": "100" if raw else ""},
                "session_time": session,
                "exit": exit,
                "entry": "",
            },
            "suspend_data": suspend,
        }
    }


def cmi2004(completion="incomplete", success="unknown", scaled="", suspend="", session="PT10S"):
    return {
        "cmi": {
            "completion_status": completion,
            "success_status": success,
            "score": {"scaled": scaled, "raw": "", "min": "", "max": ""},
            "suspend_data": suspend,
            "location": "2",
            "session_time": session,
            "exit": "suspend",
        }
    }


@pytest.fixture
def step12(scorm_course_factory):
    return scorm_course_factory("scorm12_quiz")


@pytest.fixture
def step2004(scorm_course_factory):
    return scorm_course_factory("scorm2004_quiz")


def test_a_commit_saves_progress_and_resumes_next_launch(client, agent, step12, recorded):
    course, step = step12
    attempt = launch(person=agent, page=step)
    client.force_login(agent)
    response = post(client, attempt, cmi12(suspend='{"answers":[0]}', location="1", exit="suspend"))
    assert response.status_code == 200 and response.json()["result"] == "true"
    attempt.refresh_from_db()
    assert (attempt.suspend_data, attempt.location, attempt.lesson_status) == (
        '{"answers":[0]}',
        "1",
        "incomplete",
    )
    assert attempt.cmi["core"]["lesson_location"] == "1" and attempt.commits == 1
    restored = cmi.restore(attempt, learner_id="7", learner_name="Lucía")
    assert restored["core"]["entry"] == "resume"
    assert restored["suspend_data"] == '{"answers":[0]}'
    assert restored["core"]["lesson_location"] == "1"
    assert not StepCompletion.objects.filter(person=agent).exists()
    assert [e.kind for e in recorded] == ["started", "progressed"]  # "" → incomplete


def test_passing_finishes_the_step_once_and_completes_the_course(client, agent, step12, recorded):
    course, step = step12
    attempt = launch(person=agent, page=step)
    client.force_login(agent)
    post(client, attempt, cmi12(session="00:01:00"), terminate=True)
    post(client, attempt, cmi12("passed", raw="80", session="00:00:30"))
    post(client, attempt, cmi12("passed", raw="80", session="00:00:40"), terminate=True)
    attempt.refresh_from_db()
    assert attempt.outcome == "passed" and attempt.finished_at is not None
    assert attempt.score_raw == 80 and attempt.total_seconds == 100
    finished = [e for e in recorded if e.kind == "finished"]
    assert len(finished) == 1
    event = finished[0]
    assert event.key == f"scorm-attempt-{attempt.pk}:finished"
    assert event.outcome.status == "passed" and event.outcome.score == pytest.approx(0.8)
    assert event.outcome.duration == timedelta(seconds=90)
    assert event.detail["attempt_id"] == attempt.pk and event.detail["lesson_status"] == "passed"
    assert StepCompletion.objects.filter(person=agent, step=step).exists()
    assert Enrolment.objects.get(person=agent, course=course).completed_at is not None


@pytest.mark.parametrize(
    ("status", "outcome", "counts"),
    [("completed", "completed", True), ("failed", "failed", False), ("browsed", "", False)],
)
def test_scorm12_statuses_map_to_outcomes(client, agent, step12, status, outcome, counts):
    _course, step = step12
    attempt = launch(person=agent, page=step)
    client.force_login(agent)
    post(client, attempt, cmi12(status, raw="40"))
    attempt.refresh_from_db()
    assert attempt.outcome == outcome
    assert StepCompletion.objects.filter(person=agent, step=step).exists() is counts


@pytest.mark.parametrize(
    ("completion", "success", "outcome", "counts"),
    [
        ("completed", "passed", "passed", True),
        ("completed", "failed", "failed", False),
        ("completed", "unknown", "completed", True),
        ("incomplete", "unknown", "", False),
    ],
)
def test_scorm2004_statuses_map_to_outcomes(
    client, agent, step2004, completion, success, outcome, counts
):
    _course, step = step2004
    attempt = launch(person=agent, page=step)
    client.force_login(agent)
    post(client, attempt, cmi2004(completion, success, scaled="0.75"))
    attempt.refresh_from_db()
    assert attempt.outcome == outcome and attempt.score_scaled == 0.75
    assert StepCompletion.objects.filter(person=agent, step=step).exists() is counts


def test_a_failed_attempt_is_followed_by_a_new_one(client, agent, step12, recorded):
    _course, step = step12
    first = launch(person=agent, page=step)
    client.force_login(agent)
    post(client, first, cmi12("failed", raw="20"))
    second = launch(person=agent, page=step)
    assert second.pk != first.pk and second.number == 2
    first.refresh_from_db()
    assert first.closed_at is not None
    assert post(client, first, cmi12("passed", raw="90")).status_code == 404
    kinds = [e.kind for e in recorded if e.kind != "progressed"]
    assert kinds == ["started", "finished", "started"]


def test_a_forged_completion_for_another_persons_attempt_is_refused(
    client, agent, teammate, step12
):
    _course, step = step12
    attempt = launch(person=agent, page=step)
    client.force_login(teammate)
    response = post(client, attempt, cmi12("passed", raw="100"))
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.commits == 0 and attempt.outcome == ""
    assert not StepCompletion.objects.exists()


def test_signed_out_commits_are_refused(client, agent, step12):
    _course, step = step12
    attempt = launch(person=agent, page=step)
    assert post(client, attempt, cmi12("passed")).status_code in (401, 403)


def test_commits_need_the_csrf_token(agent, step12):
    from django.test import Client

    _course, step = step12
    attempt = launch(person=agent, page=step)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent)
    assert post(strict, attempt, cmi12("passed")).status_code == 403


def test_oversized_suspend_data_is_refused(client, agent, step12, step2004):
    _course, step = step12
    attempt = launch(person=agent, page=step)
    client.force_login(agent)
    assert post(client, attempt, cmi12(suspend="x" * 4096)).status_code == 200
    assert post(client, attempt, cmi12(suspend="x" * 4097)).status_code == 400
    attempt.refresh_from_db()
    assert len(attempt.suspend_data) == 4096
    _course, step = step2004
    attempt = launch(person=agent, page=step)
    assert post(client, attempt, cmi2004(suspend="x" * 64_000)).status_code == 200
    assert post(client, attempt, cmi2004(suspend="x" * 64_001)).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        "no es json",
        "[]",
        {"core": {}},
        {"cmi": []},
        {"cmi": {"core": {"lesson_status": "aprobado"}}},
        {"cmi": {"core": {"lesson_status": 3}}},
        {"cmi": {"core": {"score": {"raw": "mucho"}}}},
        {"cmi": {"core": {"score": {"raw": "150"}}}},
        {"cmi": {"core": {"score": {"raw": True}}}},
        {"cmi": {"core": {"session_time": "diez minutos"}}},
        {"cmi": {"core": {"lesson_location": "x" * 256}}},
        {"cmi": {"suspend_data": {"a": 1}}},
    ],
)
def test_garbage_is_refused(client, agent, step12, body):
    _course, step = step12
    attempt = launch(person=agent, page=step)
    client.force_login(agent)
    assert post(client, attempt, body).status_code == 400
    attempt.refresh_from_db()
    assert attempt.commits == 0


def test_a_huge_commit_is_refused(client, agent, step12, settings):
    settings.SCORM_MAX_COMMIT_KB = 1
    _course, step = step12
    attempt = launch(person=agent, page=step)
    client.force_login(agent)
    body = cmi12()
    body["cmi"]["interactions"] = {"0": {"id": "x" * 2000}}
    assert post(client, attempt, body).status_code == 413


@pytest.mark.parametrize(
    ("value", "version", "expected"),
    [
        ("00:01:30", "1.2", 90),
        ("0001:00:00.5", "1.2", 3600.5),
        ("PT1H2M3.5S", "2004 4th", 3723.5),
        ("PT45S", "2004 3rd", 45),
        ("P1DT1S", "2004 4th", 86401),
    ],
)
def test_session_times_are_read_in_each_versions_format(value, version, expected):
    assert cmi.seconds(value, version) == expected


def test_total_time_is_written_back_in_each_versions_format():
    assert cmi.timespan(3723.5, "1.2") == "0001:02:03.50"
    assert cmi.seconds(cmi.timespan(3723.5, "2004 4th"), "2004 4th") == 3723.5


def test_a_commit_is_a_constant_number_of_queries(
    client, agent, step12, django_assert_max_num_queries
):
    _course, step = step12
    attempt = launch(person=agent, page=step)
    client.force_login(agent)
    post(client, attempt, cmi12())
    with django_assert_max_num_queries(8):
        post(client, attempt, cmi12(suspend="y" * 4000, location="2"))
