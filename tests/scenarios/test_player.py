"""Playing a role-play: the state machine, resume, tampering, scoring, permissions."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from attitude.models import EvidenceRecord
from attitude.selectors import profile_for
from courses.models import StepCompletion
from scenarios.models import Run, RunStep
from scenarios.services import ChoiceRefused, choose, go_back, start_run

from .conftest import BEST, choice_text, parse_page, play

pytestmark = pytest.mark.django_db


def url(scenario, route=""):
    return scenario.url + route


def tokens_on_page(client, scenario):
    return [
        button["value"]
        for button in parse_page(client.get(url(scenario, "jugar/")).content.decode()).buttons
    ]


def test_an_agent_plays_to_an_ending_and_sees_feedback_and_the_map(client, agent, scenario):
    client.force_login(agent)
    response = client.post(url(scenario, "empezar/"))
    assert response["Location"].endswith("jugar/")
    page = client.get(url(scenario, "jugar/")).content.decode()
    assert "¡Me han cobrado dos veces!" in page and "«Entiendo su enfado" in page
    assert "Reconoces su emoción" not in page and "cortesia" not in page  # no feedback, no weights
    response = play(client, scenario, BEST)
    assert response["Location"].endswith("resultado/1/")
    run = Run.objects.get(person=agent)
    assert run.outcome == "fidelizado" and run.percent == 100 and not run.critical
    html = client.get(response["Location"]).content.decode()
    assert "Calmaste y resolviste." in html  # the debrief
    assert "Escúchale sin interrumpir." in html and "No discutas." in html  # do / don't
    assert "Cortesía" in html and "<svg" in html and "map-edge--taken" in html
    assert StepCompletion.objects.filter(person=agent, step=scenario).exists()


def test_finishing_adds_evidence_to_the_attitude_profile(agent, scenario):
    before = {d.dimension.slug: d.count for d in profile_for(agent).dimensions}
    run = start_run(person=agent, scenario=scenario)
    for line, choice in BEST:
        run = choose(run=run, line_key=line, choice_key=choice)
    after = {d.dimension.slug: d for d in profile_for(agent).dimensions}
    assert before["cortesia"] == 0 and after["cortesia"].count == 1
    assert after["cortesia"].percent == 100  # the best of −2…+2 at that decision
    assert after["capacidad-de-respuesta"].percent == 100
    assert EvidenceRecord.objects.get(person=agent).source == "scenario"


def test_a_reload_resumes_where_the_agent_was(client, agent, scenario):
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    play(client, scenario, BEST[:1])
    page = client.get(url(scenario, "jugar/")).content.decode()
    assert "¿Y cuándo me lo devuelven?" in page
    assert "«Entiendo su enfado; déjeme revisarlo.»" in page  # the conversation so far
    client.post(url(scenario, "empezar/"))
    assert Run.objects.filter(person=agent).count() == 1


def test_a_choice_not_offered_at_the_current_line_is_refused(client, agent, teammate, scenario):
    client.force_login(teammate)
    client.post(url(scenario, "empezar/"))
    someone_elses = tokens_on_page(client, scenario)
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    first_line = tokens_on_page(client, scenario)
    play(client, scenario, BEST[:1])
    for token in [*first_line, *someone_elses, "no-existe", "escucha", "inicio.1", "", "ñ"]:
        response = client.post(url(scenario, "elegir/"), {"choice": token, "line": "calma"})
        assert response.status_code == HTTPStatus.FOUND
    run = Run.objects.get(person=agent)
    assert run.current_key == "calma" and run.steps.count() == 1
    assert not RunStep.objects.filter(run__person=teammate).exists()
    assert "ya no está disponible" in client.get(url(scenario, "jugar/")).content.decode()


def test_a_stale_tab_cannot_answer_after_going_back_and_forth(client, agent, scenario_factory):
    scenario = scenario_factory(allow_back=True)
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    play(client, scenario, BEST[:1])
    stale = tokens_on_page(client, scenario)  # a tab left open at «calma»
    page = client.get(url(scenario, "jugar/")).content.decode()
    turn = next(
        attrs["value"] for tag, attrs in parse_page(page).elements if attrs.get("name") == "turn"
    )
    client.post(url(scenario, "atras/"), {"turn": turn})
    play(client, scenario, BEST[:1])  # back at «calma», with new tokens
    assert set(stale).isdisjoint(tokens_on_page(client, scenario))
    client.post(url(scenario, "elegir/"), {"choice": stale[0]})
    run = Run.objects.get(person=agent)
    assert run.current_key == "calma" and run.steps.count() == 1


def test_a_double_go_back_takes_back_one_answer(client, agent, scenario_factory):
    scenario = scenario_factory(allow_back=True)
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    play(client, scenario, BEST[:2])
    page = client.get(url(scenario, "jugar/")).content.decode()
    turn = next(
        attrs["value"] for tag, attrs in parse_page(page).elements if attrs.get("name") == "turn"
    )
    client.post(url(scenario, "atras/"), {"turn": turn})
    client.post(url(scenario, "atras/"), {"turn": turn})  # the second click of a double click
    for tampered in ("ñ", "", "x" * 300):
        assert (
            client.post(url(scenario, "atras/"), {"turn": tampered}).status_code == HTTPStatus.FOUND
        )
    run = Run.objects.get(person=agent)
    assert run.current_key == "calma" and run.steps.count() == 1


def test_posting_the_same_decision_twice_stores_it_once(client, agent, scenario):
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    page = parse_page(client.get(url(scenario, "jugar/")).content.decode())
    listen = choice_text(scenario, "inicio", "escucha")  # not the critical one: the run goes on
    token = next(b["value"] for b in page.buttons if b["text"] == listen)
    client.post(url(scenario, "elegir/"), {"choice": token})
    response = client.post(url(scenario, "elegir/"), {"choice": token})  # a double click
    assert response["Location"].endswith("jugar/")
    run = Run.objects.get(person=agent)
    assert run.steps.count() == 1 and run.current_key != "inicio"
    assert "ya no está disponible" not in client.get(response["Location"]).content.decode()


def test_a_critical_choice_ends_the_run_as_a_failure_and_says_why(client, agent, scenario):
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    response = play(client, scenario, [("inicio", "insulto")])
    run = Run.objects.get(person=agent)
    assert run.is_finished and run.critical and run.outcome == "perdido"
    html = client.get(response["Location"]).content.decode()
    assert "elección crítica" in html and "Humillas al cliente." in html
    assert "Insulto, burla o falta de respeto." in html  # the reason it is critical
    assert profile_for(agent).critical_count == 1


def test_a_loop_can_be_left_and_the_run_still_ends(agent, scenario):
    run = start_run(person=agent, scenario=scenario)
    for line, choice in [("inicio", "frio"), ("tension", "disculpa"), ("calma", "no-se"),
                         ("tension", "disculpa"), *BEST[1:]]:  # fmt: skip
        run = choose(run=run, line_key=line, choice_key=choice)
    assert run.outcome == "fidelizado" and run.steps.count() == 6
    assert 0 < run.score < 1


def test_a_replay_is_a_new_run(client, agent, scenario):
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    play(client, scenario, BEST)
    client.post(url(scenario, "empezar/"))
    assert list(Run.objects.filter(person=agent).values_list("number", flat=True)) == [1, 2]
    assert Run.objects.get(person=agent, number=2).current_key == "inicio"


def test_going_back_only_where_the_scenario_allows_it(agent, scenario_factory):
    strict = scenario_factory(slug="estricto")
    run = choose(run=start_run(person=agent, scenario=strict), line_key="inicio", choice_key="frio")
    with pytest.raises(ChoiceRefused):
        go_back(run=run)
    gentle = scenario_factory(course=strict.get_parent(), slug="amable", allow_back=True)
    run = choose(run=start_run(person=agent, scenario=gentle), line_key="inicio", choice_key="frio")
    run = go_back(run=run)
    assert run.current_key == "inicio" and run.steps.count() == 0


def test_a_run_keeps_the_scenario_as_it_was_when_it_started(agent, scenario):
    run = start_run(person=agent, scenario=scenario)
    scenario.graph[0].value["text"] = "Texto cambiado"
    scenario.save_revision().publish()
    run = choose(run=run, line_key="inicio", choice_key="escucha")
    assert run.graph["lines"]["inicio"]["text"] == "¡Me han cobrado dos veces!"


@pytest.mark.parametrize("route", ["", "jugar/", "resultado/1/"])
def test_anonymous_people_are_sent_to_sign_in(client, scenario, route):
    response = client.get(url(scenario, route))
    assert response.status_code == HTTPStatus.FOUND and "/cuenta/login/" in response["Location"]


def test_nobody_else_sees_an_agents_run(client, agent, teammate, supervisor, hr, editor, scenario):
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    tokens = tokens_on_page(client, scenario)
    for other in (teammate, supervisor, hr, editor):
        client.force_login(other)
        for token in tokens:  # even knowing the agent's tokens
            client.post(url(scenario, "elegir/"), {"choice": token})
    client.force_login(agent)
    play(client, scenario, BEST)
    for other in (teammate, supervisor, hr, editor):
        client.force_login(other)
        assert client.get(url(scenario, "resultado/1/")).status_code == HTTPStatus.NOT_FOUND
    assert RunStep.objects.filter(run__person=agent).count() == 3
    assert not RunStep.objects.exclude(run__person=agent).exists()


def test_the_play_page_query_count_does_not_grow_with_the_conversation(
    client, agent, scenario, django_assert_max_num_queries
):
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    play(client, scenario, [("inicio", "frio"), ("tension", "disculpa"), ("calma", "no-se")])
    with django_assert_max_num_queries(18):
        client.get(url(scenario, "jugar/"))


def test_analytics_count_choices_drop_off_and_endings(
    client, agent, teammate, outsider, editor, scenario, django_assert_max_num_queries
):
    for person, moves in [(agent, BEST), (teammate, [("inicio", "frio")]),
                          (outsider, [("inicio", "insulto")])]:  # fmt: skip
        run = start_run(person=person, scenario=scenario)
        for line, choice in moves:
            run = choose(run=run, line_key=line, choice_key=choice)
    from scenarios.selectors import scenario_analytics

    figures = scenario_analytics(scenario)
    assert figures["runs"] == 3 and figures["finished"] == 2 and figures["completion"] == 67
    assert figures["choices"][("inicio", "escucha")] == 1
    assert figures["choices"][("inicio", "frio")] == 1
    assert figures["drop_off"] == [{"current_key": "tension", "n": 1}]
    endings = {row["ending_key"]: row for row in figures["endings"]}
    assert endings["fin-fiel"]["mean"] == 1 and endings[""]["outcome"] == "perdido"
    client.force_login(editor)
    with django_assert_max_num_queries(30):  # the admin shell's own, constant
        response = client.get(reverse("scenarios_analytics_scenario", args=[scenario.pk]))
    assert response.status_code == HTTPStatus.OK and "67%" in response.content.decode()
    client.force_login(agent)
    response = client.get(reverse("scenarios_analytics_scenario", args=[scenario.pk]))
    assert response.status_code != HTTPStatus.OK


def test_an_email_role_play_reads_as_an_email_thread(client, agent, scenario_factory):
    """The e-mail channel is named as such and its messages are laid out as a thread of
    e-mails (full width, line breaks kept), not as speech bubbles."""
    scenario = scenario_factory(channel="email", slug="por-correo")
    client.force_login(agent)
    client.post(url(scenario, "empezar/"))
    page = client.get(url(scenario, "jugar/")).content.decode()
    assert "Correo electrónico" in page and "scenario--channel-email" in page
    response = play(client, scenario, BEST)
    result = client.get(response["Location"]).content.decode()
    assert "scenario--channel-email" in result
    phone = scenario_factory(slug="por-telefono", course=scenario.course)
    client.post(url(phone, "empezar/"))
    assert "scenario--channel-telefono" in client.get(url(phone, "jugar/")).content.decode()
