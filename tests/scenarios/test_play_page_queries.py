"""The role-play page reads a fixed number of queries, however long the conversation so far
and however many runs the agent has played (issue 17)."""

import pytest

from scenarios.services import start_run

from .conftest import BEST, play

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.mark.parametrize("moves", [0, 2], ids=["first line", "two choices made"])
def test_the_play_page_reads_a_fixed_number_of_queries(
    client, agent, scenario, moves, django_assert_max_num_queries
):
    client.force_login(agent)
    if moves:
        start_run(person=agent, scenario=scenario)
        play(client, scenario, BEST)  # an earlier run played to the end
    start_run(person=agent, scenario=scenario)
    play(client, scenario, BEST[:moves])
    url = scenario.url + scenario.reverse_subpage("play")
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
