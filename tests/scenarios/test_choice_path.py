"""The choice is a role-play's hot path (issue 17): a plain URL outside Wagtail's page
routing; the open run is found and locked in one query, and no page is loaded."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from scenarios.models import Run, RunStep
from scenarios.services import start_run

from .conftest import BEST, choice_text, parse_page, play

pytestmark = pytest.mark.django_db


def choose_url(scenario):
    return reverse("scenarios:choose", args=[scenario.pk])


def test_the_play_page_posts_choices_to_the_plain_url(client, agent, scenario):
    client.force_login(agent)
    client.post(scenario.url + "empezar/")
    page = client.get(scenario.url + "jugar/").content.decode()
    assert f'action="{choose_url(scenario)}"' in page
    listen = choice_text(scenario, *BEST[0])  # moves the run on, not to an ending
    token = next(b["value"] for b in parse_page(page).buttons if b["text"] == listen)
    response = client.post(choose_url(scenario), {"choice": token})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == scenario.url + "jugar/"
    assert RunStep.objects.filter(run__person=agent, token=token).count() == 1
    again = client.post(choose_url(scenario), {"choice": token})  # a double click
    assert again["Location"] == scenario.url + "jugar/"
    assert RunStep.objects.filter(run__person=agent).count() == 1


def test_a_stale_token_is_refused_with_a_message(client, agent, scenario):
    client.force_login(agent)
    client.post(scenario.url + "empezar/")
    response = client.post(choose_url(scenario), {"choice": "no-es-un-token"}, follow=True)
    assert response.redirect_chain[-1][0] == scenario.url + "jugar/"
    assert "Esa respuesta ya no está disponible" in response.content.decode()
    assert not RunStep.objects.filter(run__person=agent).exists()


def test_after_the_ending_the_plain_url_sends_to_the_result(client, agent, scenario):
    client.force_login(agent)
    client.post(scenario.url + "empezar/")
    play(client, scenario, BEST)
    response = client.post(choose_url(scenario), {"choice": "x"})
    assert response["Location"] == scenario.url + "resultado/1/"


def test_nobody_chooses_in_another_persons_run(client, agent, teammate, scenario):
    run = start_run(person=agent, scenario=scenario)
    client.force_login(teammate)
    response = client.post(choose_url(scenario), {"choice": run.offered[0]["token"]})
    assert response["Location"] == scenario.url  # no run of their own
    assert not RunStep.objects.filter(run=run).exists()


def test_signed_out_a_choice_sends_to_sign_in(client, scenario):
    response = client.post(choose_url(scenario), {"choice": "x"})
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("others", [0, 12])
def test_a_choice_costs_the_same_queries_whatever_the_volume(
    client, agent, user_factory, scenario, others, django_assert_max_num_queries
):
    """User (with the session's row), the locked run, the step count, the step, the move, and
    the decision's xAPI statement queued in the same transaction: flat in the number of runs,
    steps and people."""
    for _ in range(others):
        person = user_factory()
        start_run(person=person, scenario=scenario)
        client.force_login(person)
        play(client, scenario, BEST[:1])
    client.force_login(agent)
    client.post(scenario.url + "empezar/")
    run = Run.objects.get(person=agent)
    line, endings = run.graph["lines"][run.current_key], run.graph["endings"]
    token = next(  # a choice that moves the run on (finishing it is the rarer, longer path)
        offer["token"]
        for offer in run.offered
        if not line["choices"][offer["index"]].get("critical")
        and line["choices"][offer["index"]]["next"] not in endings
    )
    with django_assert_max_num_queries(9):
        response = client.post(choose_url(scenario), {"choice": token})
    assert response.status_code == HTTPStatus.FOUND
