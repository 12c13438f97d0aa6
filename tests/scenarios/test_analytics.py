"""The scenario analytics pages read a fixed number of queries whatever the size of the
conversation, the number of runs and the number of scenarios (issue 17: 57 of the 71
queries were one look-up per dimension weight in the content)."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from scenarios.services import choose, start_run

from .conftest import BEST, SOURCE

pytestmark = pytest.mark.django_db

DIMENSIONS = ["cortesia", "fiabilidad", "seguridad", "comunicacion", "credibilidad"]


def long_conversation(lines):
    """A valid conversation of `lines` customer lines, each with three choices weighting
    three dimensions each: the first leads to the next line, the other two are critical.
    (Only one way through: the map's best path explores every path, which is exponential
    in a long conversation of open choices.)"""
    keys = [f"linea-{n}" for n in range(lines)]
    return {
        "lines": [
            {
                "key": key,
                "mood": "molesto",
                "text": f"Frase {n} del cliente.",
                "choices": [
                    {
                        "key": f"opcion-{c}",
                        "text": f"Respuesta {c} a la frase {n}.",
                        "feedback": "Comentario.",
                        "next": (keys[n + 1] if n + 1 < lines else "fin") if c == 0 else "",
                        "critical": c > 0,
                        "critical_reason": "insult" if c else "",
                        "weights": dict.fromkeys(DIMENSIONS[c : c + 3], 2 - c),
                    }
                    for c in range(3)
                ],
            }
            for n, key in enumerate(keys)
        ],
        "endings": [{"key": "fin", "outcome": "resuelto", "text": "Gracias.", "debrief": "Bien."}],
    }


def test_the_analytics_page_reads_as_many_queries_for_a_long_conversation_and_many_runs(
    client, editor, user_factory, course_factory, scenario_factory, django_assert_max_num_queries
):
    course = course_factory(lessons=1)
    small = scenario_factory(course=course, source=SOURCE, slug="corto")
    large = scenario_factory(course=course, source=long_conversation(30), slug="largo")
    run = start_run(person=user_factory(), scenario=small)
    for line, choice in BEST:
        run = choose(run=run, line_key=line, choice_key=choice)
    for n in range(12):
        run = start_run(person=user_factory(), scenario=large)
        for line in range(n):
            run = choose(run=run, line_key=f"linea-{line}", choice_key="opcion-0")
    client.force_login(editor)
    for scenario in (small, large):
        url = reverse("scenarios_analytics_scenario", args=[scenario.pk])
        client.get(url)
        with django_assert_max_num_queries(15):
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Respuesta 2 a la frase 29." in html and "12 personas" in html


def test_the_scenario_list_reads_as_many_queries_for_one_scenario_as_for_four(
    client, editor, course_factory, scenario_factory, django_assert_max_num_queries
):
    course = course_factory(lessons=1)
    client.force_login(editor)
    for n in range(4):
        scenario_factory(course=course, slug=f"escenario-{n}")
        if n in (0, 3):
            with django_assert_max_num_queries(11):
                response = client.get(reverse("scenarios_analytics"))
            assert response.content.decode().count("Cliente agresivo") == n + 1
