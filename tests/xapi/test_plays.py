"""A quiz and a role-play played through the site's services arrive in a real LRS (Ralph) as
the statements an LRS's readers expect; read back by registration, verb and agent."""

import json

from django.conf import settings

from courses import lifecycle
from quizzes.services import save_answer, start_attempt, submit_attempt
from scenarios.services import choose, start_run
from tests.quizzes.conftest import question_id
from tests.quizzes.test_attempts import answer_all_well
from tests.scenarios.conftest import BEST
from xapi.models import Statement
from xapi.queue import actor_name

ADL = "http://adlnet.gov/expapi/verbs/"


def verb(statement):
    return statement["verb"]["id"].removeprefix(ADL)


def extension(name):
    return f"{settings.SITE_URL}/xapi/extensions/{name}"


def test_a_played_quiz_arrives_in_the_lrs(lrs, agent, quiz, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = start_attempt(person=agent, quiz=quiz)
    for key, response in answer_all_well(attempt).items():
        save_answer(attempt=attempt, question_id=question_id(attempt, key), response=response)
    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=attempt, refresh_statistics=False)

    registration = str(lifecycle.registration_for("quiz-attempt", attempt.pk))
    statements = lrs.statements(registration=registration)
    assert lrs.validate(statements) == []
    assert sorted(verb(s) for s in statements) == sorted(
        ["attempted", "passed"] + ["answered"] * len(attempt.questions)
    )
    answered = lrs.statements(registration=registration, verb=ADL + "answered")
    assert len(answered) == len(attempt.questions)
    by_question = {s["object"]["id"].rsplit("/", 1)[1]: s for s in answered}
    single = by_question[str(question_id(attempt, "q-single"))]
    assert single["object"]["definition"]["interactionType"] == "choice"
    assert single["result"]["success"] is True
    assert single["result"]["score"]["scaled"] == 1.0
    assert single["result"]["response"]  # the chosen option's id
    multiple = by_question[str(question_id(attempt, "q-multiple"))]
    assert "[,]" in multiple["result"]["response"]  # two options, in the cmi format
    rating = by_question[str(question_id(attempt, "q-rating"))]
    assert rating["object"]["definition"]["interactionType"] == "matching"
    assert "[.]" in rating["result"]["response"]
    situational = by_question[str(question_id(attempt, "q-situational"))]
    assert situational["result"]["extensions"][extension("evidence")] == {
        "cortesia": 1.0,
        "capacidad-de-respuesta": 1.0,
    }
    assert situational["result"]["extensions"][extension("critical")] is False

    [passed] = lrs.statements(registration=registration, verb=ADL + "passed")
    assert passed["result"]["success"] is True
    assert passed["result"]["completion"] is True
    assert passed["result"]["score"]["scaled"] == 1.0
    assert passed["result"]["duration"].startswith("PT")

    agent_query = {"account": {"homePage": settings.SITE_URL, "name": str(actor_name(agent.pk))}}
    assert len(lrs.statements(agent=json.dumps(agent_query))) == len(statements)


def test_a_played_role_play_arrives_in_the_lrs(
    lrs, agent, scenario, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(person=agent, scenario=scenario)
        for line_key, choice_key in BEST:
            choose(run=run, line_key=line_key, choice_key=choice_key)

    registration = str(lifecycle.registration_for("scenario-run", run.pk))
    statements = lrs.statements(registration=registration)
    assert lrs.validate(statements) == []
    assert sorted(verb(s) for s in statements) == sorted(
        ["attempted", "completed"] + ["responded"] * len(BEST)
    )
    scenario_iri = f"{settings.SITE_URL}/xapi/activities/scenario/{scenario.pk}"
    responded = lrs.statements(registration=registration, verb=ADL + "responded")
    by_line = {s["object"]["id"]: s for s in responded}
    first = by_line[f"{scenario_iri}/line/inicio"]
    assert first["result"]["response"] == "escucha"
    assert first["result"]["extensions"][extension("critical")] is False
    assert first["result"]["extensions"][extension("evidence")]["cortesia"] == 1.0
    assert first["context"]["contextActivities"]["grouping"][0]["id"] == scenario_iri
    assert first["object"]["definition"]["name"]["es"] == "¡Me han cobrado dos veces!"

    [completed] = lrs.statements(registration=registration, verb=ADL + "completed")
    assert completed["object"]["id"] == scenario_iri
    assert completed["object"]["definition"]["type"].endswith("/simulation")
    ending = completed["result"]["extensions"][extension("ending")]
    assert ending["key"] == "fin-fiel"
    assert ending["outcome"] == "fidelizado"
    assert completed["result"]["completion"] is True
    assert set(Statement.objects.values_list("state", flat=True)) == {Statement.State.SENT}


def test_a_critical_choice_ends_the_role_play_failed(
    lrs, agent, scenario, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(person=agent, scenario=scenario)
        choose(run=run, line_key="inicio", choice_key="insulto")

    registration = str(lifecycle.registration_for("scenario-run", run.pk))
    [responded] = lrs.statements(registration=registration, verb=ADL + "responded")
    assert responded["result"]["extensions"][extension("critical")] is True
    [failed] = lrs.statements(registration=registration, verb=ADL + "failed")
    assert failed["result"]["success"] is False
    assert failed["result"]["extensions"][extension("ending")]["outcome"] == "perdido"
    assert failed["result"]["extensions"][extension("critical")] is True
