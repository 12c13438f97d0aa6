"""Statements arrive in a real LRS (Ralph), are read back from its statements API and pass
Ralph's strict xAPI models."""

from django.conf import settings
from django.db import transaction

from courses import lifecycle
from xapi.models import Statement
from xapi.queue import actor_name
from xapi.sender import send_due

from .test_queue import quiz_events

ADL = "http://adlnet.gov/expapi/verbs/"


def by_verb(statements):
    return {s["verb"]["id"].removeprefix(ADL): s for s in statements}


def test_a_quiz_arrives_in_the_lrs_with_its_results_and_context(
    lrs, agent, quiz, django_capture_on_commit_callbacks
):
    # As a request would: the send is asked for once, and runs after the commit.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        registration = quiz_events(agent, quiz)

    assert set(Statement.objects.values_list("state", flat=True)) == {Statement.State.SENT}
    statements = lrs.statements(registration=str(registration))
    assert lrs.validate(statements) == []
    verbs = by_verb(statements)
    assert set(verbs) == {"attempted", "answered", "passed"}

    site = settings.SITE_URL
    quiz_iri = f"{site}/xapi/activities/quiz/{quiz.pk}"
    course = {
        "id": f"{site}/xapi/activities/course/{quiz.course.pk}",
        "type": "http://adlnet.gov/expapi/activities/course",
    }
    name = str(actor_name(agent.pk))
    for statement in statements:
        assert statement["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": site, "name": name},
        }
        assert agent.email not in str(statement)
        parent = statement["context"]["contextActivities"]["parent"][0]
        assert {"id": parent["id"], "type": parent["definition"]["type"]} == course
        assert statement["context"]["platform"] == "Actitud"
        assert statement["context"]["registration"] == str(registration)

    attempted = verbs["attempted"]
    assert attempted["object"]["id"] == quiz_iri
    assert attempted["object"]["definition"]["type"].endswith("/assessment")
    assert attempted["object"]["definition"]["name"] == {"es": quiz.title, "en": quiz.title}

    answered = verbs["answered"]
    assert answered["object"]["id"] == f"{quiz_iri}/question/55"
    assert answered["object"]["definition"]["interactionType"] == "choice"
    assert answered["context"]["contextActivities"]["grouping"][0]["id"] == quiz_iri
    assert answered["result"]["score"] == {"scaled": 1.0, "raw": 1.0, "min": 0, "max": 1}
    assert answered["result"]["success"] is True
    assert answered["result"]["response"] == "1"
    assert answered["result"]["extensions"][f"{site}/xapi/extensions/evidence"] == {"cortesia": 1.0}

    passed = verbs["passed"]
    assert passed["result"]["score"]["scaled"] == 0.8
    assert passed["result"]["success"] is True
    assert passed["result"]["completion"] is True
    assert passed["result"]["duration"] == "PT3M5S"


def test_the_email_is_the_actor_only_when_the_organisation_opts_in(
    lrs, settings, user_factory, quiz
):
    settings.XAPI_ACTOR_EMAIL = True
    person = user_factory(roles=["Agente"], email="ana.lopez@actitud.es")
    lifecycle.start(
        person=person,
        step=quiz,
        key="quiz-attempt-3:started",
        registration=lifecycle.registration_for("quiz-attempt", 3),
    )

    [statement] = lrs.statements(agent={"mbox": "mailto:ana.lopez@actitud.es"})
    assert statement["actor"]["mbox"] == "mailto:ana.lopez@actitud.es"
    assert "account" not in statement["actor"]


def test_sending_again_sends_nothing_more(lrs, agent, quiz, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = quiz_events(agent, quiz)
    assert len(lrs.statements(registration=str(registration))) == 3

    Statement.objects.update(state=Statement.State.PENDING)  # as if the sent marks were lost
    report = send_due()

    assert report.sent == 3  # the LRS answers that it holds them: they count as sent
    assert len(lrs.statements(registration=str(registration))) == 3
    assert send_due().sent == 0


def test_ralphs_models_refuse_a_wrong_statement(ralph):
    wrong = {
        "actor": {"account": {"homePage": "http://testserver", "name": "x"}},
        "verb": {"id": ADL + "answered"},
        "object": {"id": "http://testserver/xapi/activities/quiz/1"},
        "result": {"score": {"scaled": 3}},
    }
    assert ralph.validate([wrong])
