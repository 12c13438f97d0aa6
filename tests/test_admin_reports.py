"""The admin's reports name what they are about in a visible heading, and show figures in
the unit they have (issue 11, item 17)."""

import re

from django.urls import reverse

import pytest

from certification.models import Programme
from tests.quizzes.conftest import category, question_factory, questions, quiz_factory  # noqa: F401
from tests.scenarios.conftest import personality, scenario_factory  # noqa: F401

pytestmark = pytest.mark.django_db


def headings(html):
    return [re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


def test_the_item_analysis_pages_have_a_heading(request, client, editor):
    quiz = request.getfixturevalue("quiz_factory")()
    client.force_login(editor)
    listing = client.get(reverse("quizzes_item_analysis")).content.decode()
    report = client.get(reverse("quizzes_item_analysis_quiz", args=[quiz.pk])).content.decode()
    assert headings(listing) == ["Análisis de preguntas"]
    assert headings(report) == [f"Análisis de preguntas: {quiz.title}"]


def test_the_scenario_analytics_pages_have_a_heading(request, client, editor):
    scenario = request.getfixturevalue("scenario_factory")()
    client.force_login(editor)
    listing = client.get(reverse("scenarios_analytics")).content.decode()
    report = client.get(reverse("scenarios_analytics_scenario", args=[scenario.pk]))
    assert headings(listing) == ["Analítica de escenarios"]
    assert headings(report.content.decode()) == [f"Analítica del escenario: {scenario.title}"]


def test_cronbachs_alpha_is_a_coefficient_not_a_percentage(request, client, editor):
    from quizzes.models import QuizStatistics

    quiz = request.getfixturevalue("quiz_factory")()
    QuizStatistics.objects.create(
        quiz=quiz,
        attempts=30,
        data={"first": {"attempts": 30, "mean_percent": 61.0, "alpha": 0.7512, "questions": {}}},
    )
    client.force_login(editor)
    html = client.get(reverse("quizzes_item_analysis_quiz", args=[quiz.pk])).content.decode()
    alpha = html[html.index("alfa de Cronbach") :]
    alpha = alpha[: alpha.index("</dd>")]
    assert "0,75" in alpha and "%" not in alpha


def test_the_programme_list_says_yes_or_no_not_true(client, editor, admin_user):
    Programme.objects.create(name="Agente certificado", validity_months=12, is_active=True)
    client.force_login(admin_user)
    html = client.get(reverse("wagtailsnippets_certification_programme:list")).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert "True" not in table and "False" not in table
