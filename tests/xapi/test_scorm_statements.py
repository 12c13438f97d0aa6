"""A SCORM package played through the player page and the CMI endpoint, as scorm-again
commits, arrives in a real LRS (Ralph) as the statements an LRS's readers expect: launched,
progressed on each change of status, and passed/failed/completed with the package's score,
the attempt's duration, the course as parent and the attempt's registration."""

import json

from django.conf import settings
from django.urls import reverse

import pytest

from scorm.models import ScormAttempt
from tests.scorm.conftest import package_factory, scorm_course_factory  # noqa: F401
from xapi.models import Statement
from xapi.queue import actor_name
from xapi.sender import send_due

ADL = "http://adlnet.gov/expapi/verbs/"


def verb(statement):
    return statement["verb"]["id"].removeprefix(ADL)


def iri(kind, pk):
    return f"{settings.SITE_URL}/xapi/activities/{kind}/{pk}"


def commit(client, attempt, cmi, *, terminate=False):
    """One commit as scorm-again posts it (dataCommitFormat "json"; LMSFinish/Terminate
    adds ?terminate=true)."""
    url = reverse("scorm:commit", kwargs={"attempt_id": attempt.pk})
    response = client.post(
        url + ("?terminate=true" if terminate else ""),
        data=json.dumps({"cmi": cmi}),
        content_type="application/json;charset=UTF-8",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"result": "true", "errorCode": 0}


def cmi12(status, *, raw="", suspend="", location="", session="", exit=""):
    return {
        "core": {
            "lesson_status": status,
            "lesson_location": location,
            "score": {"raw": raw, "min": "0" if raw else "", "max": "100" if raw else ""},
            "session_time": session,
            "exit": exit,
            "entry": "ab-initio",
        },
        "suspend_data": suspend,
    }


def cmi2004(completion, success, *, scaled="", raw="", suspend="", session="", exit=""):
    return {
        "completion_status": completion,
        "success_status": success,
        "score": {
            "scaled": scaled,
            "raw": raw,
            "min": "0" if raw else "",
            "max": "3" if raw else "",
        },
        "suspend_data": suspend,
        "location": "2",
        "session_time": session,
        "exit": exit,
        "entry": "ab-initio",
    }


def play(client, agent, step, first, last):
    """Open the step's player page (the launch), commit `first` then, terminating, `last`;
    then run the sender. Returns the attempt and the statements Ralph holds for it."""
    client.force_login(agent)
    assert client.get(step.url).status_code == 200
    attempt = ScormAttempt.objects.get(person=agent, page=step)
    commit(client, attempt, first)
    commit(client, attempt, last, terminate=True)
    queued = Statement.objects.filter(registration=attempt.registration).count()
    report = send_due()
    assert (report.sent, report.failed, report.outage) == (queued, 0, "")
    return attempt


def read_back(lrs, attempt):
    statements = lrs.statements(registration=str(attempt.registration))
    assert lrs.validate(statements) == []
    return statements


def assert_about_the_step(statements, agent, course, step, attempt):
    for statement in statements:
        assert statement["object"]["id"] == iri("scorm", step.pk)
        assert statement["object"]["definition"]["type"].endswith("/module")
        assert statement["object"]["definition"]["name"]["es"] == step.title
        assert statement["context"]["registration"] == str(attempt.registration)
        [parent] = statement["context"]["contextActivities"]["parent"]
        assert parent["id"] == iri("course", course.pk)
        assert parent["definition"]["name"]["es"] == course.title
        assert statement["actor"]["account"] == {
            "homePage": settings.SITE_URL,
            "name": str(actor_name(agent.pk)),
        }


@pytest.fixture
def step12(scorm_course_factory):  # noqa: F811
    return scorm_course_factory("scorm12_quiz")


@pytest.fixture
def step2004(scorm_course_factory):  # noqa: F811
    return scorm_course_factory("scorm2004_quiz")


def test_a_passed_scorm_12_package_arrives_in_the_lrs(client, lrs, agent, step12):
    course, step = step12
    attempt = play(
        client,
        agent,
        step,
        cmi12("incomplete", suspend='{"answers":[1]}', location="1", session="00:00:20",
              exit="suspend"),
        cmi12("passed", raw="80", suspend='{"answers":[1,0,2]}', location="3",
              session="00:01:05.50"),
    )  # fmt: skip

    statements = read_back(lrs, attempt)
    assert sorted(verb(s) for s in statements) == [
        "launched",
        "passed",
        "progressed",  # "" → incomplete
        "progressed",  # incomplete → passed
    ]
    assert_about_the_step(statements, agent, course, step, attempt)
    [launched] = lrs.statements(registration=str(attempt.registration), verb=ADL + "launched")
    assert "result" not in launched
    [passed] = lrs.statements(registration=str(attempt.registration), verb=ADL + "passed")
    assert passed["result"]["success"] is True
    assert passed["result"]["completion"] is True
    assert passed["result"]["score"] == {"scaled": 0.8, "raw": 0.8, "min": 0, "max": 1}
    assert passed["result"]["duration"] == "PT1M5.50S"  # the terminating session's time
    assert set(Statement.objects.values_list("state", flat=True)) == {Statement.State.SENT}


def test_a_failed_scorm_12_package_arrives_failed(client, lrs, agent, step12):
    course, step = step12
    attempt = play(
        client,
        agent,
        step,
        cmi12("incomplete", suspend='{"answers":[0]}', location="1", session="00:00:15",
              exit="suspend"),
        cmi12("failed", raw="33", suspend='{"answers":[0,0,0]}', location="3",
              session="00:00:40"),
    )  # fmt: skip

    statements = read_back(lrs, attempt)
    assert sorted(verb(s) for s in statements) == [
        "failed",
        "launched",
        "progressed",
        "progressed",
    ]
    assert_about_the_step(statements, agent, course, step, attempt)
    [failed] = lrs.statements(registration=str(attempt.registration), verb=ADL + "failed")
    assert failed["result"]["success"] is False
    assert failed["result"]["completion"] is True  # played to its end, without passing
    assert failed["result"]["score"]["scaled"] == 0.33
    assert failed["result"]["duration"] == "PT40S"
    assert lrs.statements(registration=str(attempt.registration), verb=ADL + "passed") == []


def test_a_passed_scorm_2004_package_arrives_in_the_lrs(client, lrs, agent, step2004):
    course, step = step2004
    attempt = play(
        client,
        agent,
        step,
        cmi2004("incomplete", "unknown", suspend='{"answers":[1]}', session="PT12S",
                exit="suspend"),
        cmi2004("completed", "passed", scaled="0.67", raw="2", suspend='{"answers":[1,2,0]}',
                session="PT2M3.25S", exit="normal"),
    )  # fmt: skip

    statements = read_back(lrs, attempt)
    assert sorted(verb(s) for s in statements) == [
        "launched",
        "passed",
        "progressed",  # "" → incomplete
        "progressed",  # incomplete → completed, passed
    ]
    assert_about_the_step(statements, agent, course, step, attempt)
    [passed] = lrs.statements(registration=str(attempt.registration), verb=ADL + "passed")
    assert passed["result"]["success"] is True
    assert passed["result"]["completion"] is True
    assert passed["result"]["score"]["scaled"] == 0.67  # the package's scaled score
    assert passed["result"]["duration"] == "PT2M3.25S"
    agent_query = {"account": {"homePage": settings.SITE_URL, "name": str(actor_name(agent.pk))}}
    assert len(lrs.statements(agent=json.dumps(agent_query))) == len(statements)
