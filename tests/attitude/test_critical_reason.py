"""One criterion for "critical": the six reasons, accepted by both YAML checkers and loaded."""

import copy

from django.utils import translation

import pytest

from attitude.models import CriticalReason
from attitude.quality import CRITICAL_REASONS
from quizzes.content import question_problems
from scenarios.content import scenario_problems

from ..scenarios.conftest import SOURCE


def test_the_yaml_checkers_know_the_same_six_reasons_as_the_model():
    assert list(CRITICAL_REASONS) == CriticalReason.values
    with translation.override("es"):
        label = str(CriticalReason("data_leak").label)
    assert label == "Revelar datos personales a quien no corresponde"


def situational(critical_option):
    return {
        "key": "x-01",
        "kind": "situational",
        "situation": "Un cliente pide el saldo de su hermano.",
        "text": "¿Qué haces?",
        "explanation": "Solo el titular.",
        "options": [
            {"text": "Le explicas que solo el titular puede pedirlo.", "credit": 1,
             "feedback": "Bien.", "weights": {"seguridad": 2}},
            {"text": "Le lees el saldo.", "credit": 0, "feedback": "Revelas datos.",
             "weights": {"seguridad": -2}, **critical_option},
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("critical_option", "problem"),
    [
        ({"critical": True, "critical_reason": "data_leak"}, None),
        ({"critical": True, "critical_reason": "rude"}, "critical_reason must be one of"),
        ({"critical_reason": "data_leak"}, "critical_reason is only for a critical option"),
    ],
)
def test_the_question_checker_accepts_a_known_reason_on_a_critical_option_only(
    critical_option, problem
):
    found = question_problems("bank.yaml", situational(critical_option))
    assert found == [] if problem is None else any(problem in p for p in found), found


def scenario(reason):
    source = {
        "path": "99-prueba.yaml", "title": "Prueba", "slug": "prueba", "personality": "agresivo",
        "channel": "telefono", "situation": "Un cobro doble.", "summary": "Prueba.",
        "lines": copy.deepcopy(SOURCE["lines"]), "endings": SOURCE["endings"],
    }  # fmt: skip
    source["lines"][0]["choices"][2]["critical_reason"] = reason
    return source


def test_the_scenario_checker_accepts_a_known_reason_and_refuses_an_unknown_one():
    assert not [p for p in scenario_problems(scenario("insult")) if "critical_reason" in p]
    assert any("critical_reason must be one of" in p for p in scenario_problems(scenario("rude")))


@pytest.mark.django_db
def test_seeding_loads_the_reasons_into_options_and_choices(monkeypatch, tmp_path):
    from courses import demo as courses_demo
    from quizzes import demo as quizzes_demo
    from quizzes.models import AnswerOption
    from scenarios import demo as scenarios_demo
    from scenarios.models import ScenarioPage

    courses_demo.seed()
    real_banks = quizzes_demo.load_banks

    def banks():
        loaded = real_banks()
        option = next(
            o for b in loaded for q in b.questions for o in q["options"] if o.get("critical")
        )
        option["critical_reason"] = "lie"
        return loaded

    real_scenarios = scenarios_demo.load_scenarios

    def scenarios():
        loaded = real_scenarios()
        for line in loaded[0]["lines"]:
            for choice in line["choices"]:
                if choice.get("critical"):
                    choice["critical_reason"] = "no_consent"
        return loaded

    monkeypatch.setattr(quizzes_demo, "load_banks", banks)
    monkeypatch.setattr(quizzes_demo, "simulate_attempts", lambda: None)
    monkeypatch.setattr(scenarios_demo, "load_scenarios", scenarios)
    monkeypatch.setattr(scenarios_demo, "simulate_runs", lambda: None)
    quizzes_demo.seed()
    scenarios_demo.seed()
    assert AnswerOption.objects.filter(is_critical=True, critical_reason="lie").count() == 1
    reasons = [
        c["critical_reason"]
        for page in ScenarioPage.objects.all()
        for line in page.as_graph()["lines"].values()
        for c in line["choices"]
        if c["critical"]
    ]
    assert "no_consent" in reasons
