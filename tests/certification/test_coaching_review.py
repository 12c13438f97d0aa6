"""The supervisor opens an agent's quiz attempt or role-play run: the answers beside the key,
the transcript with each choice's feedback and evidence, critical choices highlighted and
linked from the counts on Mi equipo and the agent page."""

import re
from http import HTTPStatus

from django.urls import reverse

import pytest

from certification.models import CoachingNote
from people.models import Role
from quizzes.models import AnswerOption
from quizzes.services import start_attempt
from scenarios.services import choose, start_run
from tests.certification.activities import critical_run, es, submitted_attempt
from tests.quizzes.conftest import category, question_factory, questions, quiz_factory  # noqa: F401
from tests.scenarios.conftest import personality, scenario_factory  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(course_factory):
    return course_factory(title="Trato telefónico", slug="trato-telefonico", lessons=1)


@pytest.fixture
def quiz(quiz_factory, course):  # noqa: F811
    return quiz_factory(course=course)


@pytest.fixture
def scenario(scenario_factory, course):  # noqa: F811
    return scenario_factory(course=course)


def ids(html):
    return set(re.findall(r'id="([^"]+)"', html))


def test_the_attempt_review_shows_each_answer_beside_the_key(client, supervisor, agent, quiz):
    attempt = submitted_attempt(agent, quiz)
    client.force_login(supervisor)
    html = client.get(reverse("certification:attempt_review", args=[attempt.pk])).content.decode()
    assert agent.full_name in html and "Evaluación" in html
    # The agent's choice, the key and each option's feedback.
    assert html.count(es("Agent's answer:")) == 2
    assert "«Usted no entiende nada.»" in html and "Sobre ««Usted no entiende nada.»»." in html
    assert es("correct") in html and "Porque sí." in html
    assert es("Lie or deception of the customer") not in html
    assert es("Insult, mockery or disrespect") in html  # why the option is critical
    # Per-question evidence: the insult scores 0 on every dimension measured there.
    situational = html[html.index('id="question-4"') : html.index('id="question-5"')]
    assert "Cortesía 0%" in situational and "Capacidad de respuesta 0%" in situational
    # Every question has an anchor; the critical one is highlighted and numbered.
    found = ids(html)
    assert {f"question-{n}" for n in range(1, 6)} <= found
    assert "critical-1" in found and "critical-2" not in found
    assert 'class="result-question result-question--critical" id="question-4"' in html
    assert 'href="#critical-1"' in html


def test_the_review_reads_the_snapshot_not_the_edited_bank(client, hr, agent, quiz):
    attempt = submitted_attempt(agent, quiz, critical=False)
    AnswerOption.objects.filter(text="Cortesía").update(text="Amabilidad")
    client.force_login(hr)
    html = client.get(reverse("certification:attempt_review", args=[attempt.pk])).content.decode()
    assert "Cortesía" in html and "Amabilidad" not in html
    assert "critical-1" not in ids(html)


def test_the_run_review_shows_the_transcript_with_feedback_evidence_and_the_best_choice(
    client, supervisor, agent, scenario
):
    run = critical_run(agent, scenario)
    client.force_login(supervisor)
    html = client.get(reverse("certification:run_review", args=[run.pk])).content.decode()
    for line in ("¡Me han cobrado dos veces!", "¡Siempre igual con ustedes!"):
        assert line in html
    assert "«Dígame el número de cliente.»" in html and "Suena frío." in html
    assert "«Entiendo su enfado; déjeme revisarlo.»" in html  # the best choice at the start
    assert es("Best choice here:") in html
    assert {f"choice-{n}" for n in range(1, 5)} <= ids(html)
    assert "critical-1" not in ids(html)  # threatening to hang up is poor, not critical


def test_a_critical_choice_is_highlighted_and_anchored(client, supervisor, agent, scenario):
    run = start_run(person=agent, scenario=scenario)
    choose(run=run, line_key="inicio", choice_key="insulto")
    run.refresh_from_db()
    assert run.critical
    client.force_login(supervisor)
    html = client.get(reverse("certification:run_review", args=[run.pk])).content.decode()
    assert 'id="critical-1"' in html and "bubble--critical" in html
    assert "«Si no sabe leer una factura, no es mi problema.»" in html
    assert "Humillas al cliente." in html
    assert es("Insult, mockery or disrespect") in html


def test_mi_equipo_and_the_agent_page_link_the_critical_count_to_the_first_critical_choice(
    client, supervisor, agent, quiz, scenario
):
    attempt = submitted_attempt(agent, quiz)
    run = start_run(person=agent, scenario=scenario)
    choose(run=run, line_key="inicio", choice_key="insulto")
    client.force_login(supervisor)
    team_html = client.get(reverse("certification:team_dashboard")).content.decode()
    run_review = reverse("certification:run_review", args=[run.pk])
    assert f'href="{run_review}#critical-1"' in team_html  # the most recent one
    agent_html = client.get(reverse("certification:agent_detail", args=[agent.pk])).content.decode()
    attempt_review = reverse("certification:attempt_review", args=[attempt.pk])
    assert f'href="{attempt_review}"' in agent_html
    assert f'href="{attempt_review}#critical-1"' in agent_html
    assert f'href="{run_review}#critical-1"' in agent_html
    assert "critical-1" in ids(client.get(run_review).content.decode())


def test_an_open_attempt_or_run_is_not_found(client, supervisor, agent, quiz, scenario):
    attempt = start_attempt(person=agent, quiz=quiz)
    run = start_run(person=agent, scenario=scenario)
    client.force_login(supervisor)
    assert (
        client.get(reverse("certification:attempt_review", args=[attempt.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        client.get(reverse("certification:run_review", args=[run.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )


# Who may open the review, re-assign and nudge pages, for every role: the role × URL matrix
# in tests/people/test_policy_matrix.py (test_review_pages_follow_the_policy).


def test_a_supervisor_who_is_also_an_agent_of_the_team_cannot_review_themself(
    client, supervisor, team, quiz
):
    from people.services import grant_role

    grant_role(person=supervisor, role=Role.AGENT, team=team)
    attempt = submitted_attempt(supervisor, quiz, critical=False)
    client.force_login(supervisor)
    response = client.get(reverse("certification:attempt_review", args=[attempt.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_the_review_page_makes_the_same_queries_for_a_short_or_long_history(
    client, supervisor, agent, quiz, django_assert_max_num_queries
):
    client.force_login(supervisor)
    client.get(reverse("certification:team_dashboard"))  # the bell's count is cached from here
    counts = []
    for notes in (1, 12):
        attempt = submitted_attempt(agent, quiz)
        for n in range(notes):
            CoachingNote.objects.create(
                person=agent,
                author=supervisor,
                text="Repasa la escucha.",
                attempt=attempt,
                position=n % 5 + 1 if n else None,
            )
        with django_assert_max_num_queries(30) as captured:
            response = client.get(reverse("certification:attempt_review", args=[attempt.pk]))
        assert response.status_code == HTTPStatus.OK
        counts.append(len(captured))
    assert counts[1] <= counts[0]  # no more for 100 agents (a cache may be warm by then)


def test_mi_equipo_links_critical_counts_in_as_many_queries_for_10_or_100_agents(
    client, supervisor, team, user_factory, django_assert_max_num_queries
):
    from wagtail.models import Page

    from attitude.models import EvidenceRecord
    from tests.attitude.test_profile import evidence

    activity = Page.objects.get(depth=2)
    client.force_login(supervisor)
    client.get(reverse("certification:team_dashboard"))  # the bell's count is cached from here
    counts = []
    for size in (10, 100):
        while EvidenceRecord.objects.count() < size:
            person = user_factory(roles=[Role.AGENT], team=team)
            evidence(person, activity, f"attempt-{person.pk}", {"cortesia": 0.2}, critical=1)
        with django_assert_max_num_queries(15) as captured:
            html = client.get(reverse("certification:team_dashboard")).content.decode()
        assert html.count('#critical-1"') == size  # each agent's count links to their choice
        counts.append(len(captured))
    assert counts[1] <= counts[0]  # no more for 100 agents (a cache may be warm by then)
