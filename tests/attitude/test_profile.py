"""The attitude profile: evidence in, per-dimension, axis and quadrant scores out."""

import math
from http import HTTPStatus

from django.urls import reverse

from wagtail.models import Page

import pytest

from attitude.models import EvidenceRecord, ServiceDimension
from attitude.selectors import MIN_EVIDENCE, THRESHOLD, profile_for, team_profile
from attitude.services import Item, record_evidence, save_self_assessment
from people.models import User

TREATMENT = ["cortesia", "comunicacion", "comprension-del-cliente", "accesibilidad",
             "elementos-tangibles"]  # fmt: skip
COMPETENCE = ["seguridad", "credibilidad", "profesionalismo", "capacidad-de-respuesta",
              "fiabilidad"]  # fmt: skip


@pytest.fixture
def activity(db):
    return Page.objects.get(depth=2)


@pytest.fixture
def other_activity(activity):
    return activity.add_child(instance=Page(title="Otra actividad", slug="otra"))


def evidence(person, activity, reference, scores, count=MIN_EVIDENCE, critical=0):
    """`count` answers on each dimension, each earning `scores[dimension]` of 1."""
    items = [Item(slug, earned) for slug, earned in scores.items() for _ in range(count)]
    return record_evidence(
        person=person,
        activity=activity,
        source="quiz",
        reference=reference,
        items=items,
        critical_count=critical,
    )


def by_slug(profile):
    return {d.dimension.slug: d for d in profile.dimensions}


def test_a_dimension_scores_earned_over_possible_with_its_evidence_count(agent, activity):
    record_evidence(
        person=agent,
        activity=activity,
        source="quiz",
        reference="a1",
        items=[
            Item("cortesia", 1),
            Item("cortesia", 0.5),
            Item("cortesia", 0),
            Item("fiabilidad", 1),
        ],
    )
    scores = by_slug(profile_for(agent))
    assert scores["cortesia"].percent == 50 and scores["cortesia"].count == 3
    assert scores["fiabilidad"].percent == 100 and scores["fiabilidad"].count == 1
    assert scores["seguridad"].percent is None and scores["seguridad"].count == 0
    assert not scores["cortesia"].sufficient  # 3 answers are not a score


def test_only_the_latest_completed_attempt_of_each_activity_counts(agent, activity, other_activity):
    evidence(agent, activity, "a1", {"cortesia": 0.0})
    evidence(agent, activity, "a2", {"cortesia": 1.0})
    evidence(agent, other_activity, "b1", {"cortesia": 0.5})
    profile = profile_for(agent)
    assert by_slug(profile)["cortesia"].percent == 75  # (1.0 + 0.5) / 2, a1 retired
    assert by_slug(profile)["cortesia"].count == 2 * MIN_EVIDENCE
    assert profile.activity_count == 2
    assert EvidenceRecord.objects.filter(person=agent).count() == 3


def test_recording_the_same_attempt_twice_changes_nothing(agent, activity):
    first = evidence(agent, activity, "a1", {"cortesia": 1.0})
    again = evidence(agent, activity, "a1", {"cortesia": 0.0})
    assert again.pk == first.pk
    assert by_slug(profile_for(agent))["cortesia"].percent == 100


def test_axes_place_the_agent_in_a_quadrant(agent, activity):
    evidence(
        agent, activity, "a1", {**dict.fromkeys(COMPETENCE, 0.9), **dict.fromkeys(TREATMENT, 0.2)}
    )
    profile = profile_for(agent)
    assert profile.axes["competencia"].percent == 90
    assert profile.axes["trato"].percent == 20
    assert str(profile.quadrant) == "eficaz y desagradable"
    assert profile.overall_percent == 55


def test_axis_weights_change_the_axis_score(agent, activity):
    ServiceDimension.objects.filter(slug="cortesia").update(axis_weight=3)
    evidence(agent, activity, "a1", {"cortesia": 1.0, "comunicacion": 0.0})
    assert profile_for(agent).axes["trato"].percent == 75  # (3 × 1 + 1 × 0) / 4


def test_a_score_within_its_standard_error_of_the_threshold_is_borderline(agent, activity):
    evidence(agent, activity, "a1", dict.fromkeys(COMPETENCE + TREATMENT, THRESHOLD + 0.02))
    profile = profile_for(agent)
    axis = profile.axes["trato"]
    assert axis.error == pytest.approx(math.sqrt(0.62 * 0.38 / (5 * MIN_EVIDENCE)))
    assert axis.borderline and profile.borderline
    assert str(profile.quadrant) == "eficaz y agradable"


def test_insufficient_evidence_does_not_place_the_agent(agent, activity):
    evidence(agent, activity, "a1", dict.fromkeys(COMPETENCE + TREATMENT, 1.0), count=2)
    profile = profile_for(agent)
    assert profile.has_evidence and profile.quadrant is None and profile.overall is None


def test_critical_choices_are_counted_on_their_own(agent, activity):
    evidence(agent, activity, "a1", {"cortesia": 1.0}, critical=2)
    assert profile_for(agent).critical_count == 2


def test_self_assessment_gaps_name_the_largest_differences(agent, activity):
    evidence(agent, activity, "a1", {"cortesia": 0.25, "fiabilidad": 1.0, "seguridad": 0.5})
    save_self_assessment(person=agent, ratings={"cortesia": 5, "fiabilidad": 4, "seguridad": 3})
    gaps = profile_for(agent).largest_gaps()
    assert [(d.dimension.slug, d.gap) for d in gaps] == [("cortesia", 75), ("fiabilidad", -25)]


def test_self_ratings_outside_the_scale_are_refused(agent):
    with pytest.raises(ValueError):
        save_self_assessment(person=agent, ratings={"cortesia": 6})


def test_team_profile_gives_mean_and_spread_per_dimension(agent, teammate, outsider, activity):
    evidence(agent, activity, "a1", {"cortesia": 0.4})
    evidence(teammate, activity, "t1", {"cortesia": 0.8})
    evidence(outsider, activity, "o1", {"cortesia": 0.0})
    team = team_profile(User.objects.filter(pk__in=[agent.pk, teammate.pk]))
    cortesia = next(d for d in team if d.dimension.slug == "cortesia")
    assert cortesia.mean == pytest.approx(0.6) and cortesia.spread == pytest.approx(0.2)
    assert cortesia.people == 2


def test_team_profile_queries_do_not_grow_with_the_team(
    user_factory, activity, django_assert_max_num_queries
):
    people = [user_factory() for _ in range(12)]
    for n, person in enumerate(people):
        evidence(person, activity, f"p{n}", {"cortesia": 0.5, "fiabilidad": 0.7})
    with django_assert_max_num_queries(2):
        team_profile(User.objects.filter(pk__in=[p.pk for p in people]))


def test_profile_page_shows_charts_and_a_data_table(
    client, agent, activity, django_assert_max_num_queries
):
    evidence(agent, activity, "a1", dict.fromkeys(COMPETENCE + TREATMENT, 0.7))
    save_self_assessment(person=agent, ratings={"cortesia": 5})
    client.force_login(agent)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("attitude:my_profile"))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert html.count("<svg viewBox") == 2 and 'role="img"' in html
    assert "<table" in html and "Cortesía" in html and "70%" in html
    assert "eficaz y agradable" in html


def test_the_self_assessment_form_saves_and_shows_errors(client, agent):
    client.force_login(agent)
    url = reverse("attitude:self_assessment")
    response = client.post(url, {"cortesia": "4"})
    assert response.status_code == HTTPStatus.OK
    assert "Elige con qué frecuencia" in response.content.decode()
    answers = dict.fromkeys(ServiceDimension.objects.values_list("slug", flat=True), "3")
    response = client.post(url, answers)
    assert response.status_code == HTTPStatus.FOUND
    assert by_slug(profile_for(agent))["cortesia"].self_rating == 3


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("agent", HTTPStatus.OK),
        ("teammate", HTTPStatus.FORBIDDEN),
        ("supervisor", HTTPStatus.OK),
        ("other_supervisor", HTTPStatus.FORBIDDEN),
        ("hr", HTTPStatus.OK),
        ("editor", HTTPStatus.FORBIDDEN),
        (None, HTTPStatus.FOUND),
    ],
)
def test_who_may_see_an_agents_profile(request, client_for, agent, viewer, expected):
    person = request.getfixturevalue(viewer) if viewer else None
    response = client_for(person).get(reverse("attitude:person_profile", args=[agent.pk]))
    assert response.status_code == expected
    if viewer is None:
        assert "/cuenta/login/" in response["Location"]


def test_a_supervisor_reads_the_profile_in_words_for_the_viewer(
    client, agent, supervisor, activity
):
    """Whoever opens someone else's profile is not told about *their own* self-assessment."""
    evidence(agent, activity, "a1", dict.fromkeys(COMPETENCE + TREATMENT, 0.7))
    client.force_login(supervisor)
    html = client.get(reverse("attitude:person_profile", args=[agent.pk])).content.decode()
    assert "te has autoevaluado" not in html
    assert f"{agent.full_name} todavía no se ha autoevaluado" in html
    save_self_assessment(person=agent, ratings=dict.fromkeys(COMPETENCE + TREATMENT, 5))
    html = client.get(reverse("attitude:person_profile", args=[agent.pk])).content.decode()
    assert "te valoras" not in html and "tus mayores distancias" not in html
    assert "se valora" in html


def test_dimensions_without_enough_evidence_are_drawn_as_missing(
    client, agent, activity, other_activity
):
    """The radar draws no point at 0 % for a dimension it cannot score, labels it, and the
    quadrant says there is not enough evidence instead of an empty box."""
    evidence(agent, activity, "a1", dict.fromkeys(["cortesia", "comprension-del-cliente"], 0.8))
    evidence(agent, other_activity, "a2", {"comunicacion": 0.8}, count=1)
    client.force_login(agent)
    html = client.get(reverse("attitude:my_profile")).content.decode()
    radar = html[html.index("chart--radar") : html.index("</figure>", html.index("chart--radar"))]
    assert 'class="chart__measured"' not in radar  # no closed polygon through the centre
    assert radar.count('class="chart__dot"') == 2  # cortesía and comprensión only
    assert radar.count("sin evidencia suficiente</tspan>") == 8
    assert "Aún no hay evidencia suficiente" in html[html.index("chart--quadrant") :]


def test_the_radar_polygon_closes_when_every_dimension_is_scored(agent, activity):
    from attitude import charts

    evidence(agent, activity, "a1", dict.fromkeys(COMPETENCE + TREATMENT, 0.5))
    radar = charts.radar(profile_for(agent).dimensions)
    assert radar["measured"] and not radar["gaps"]
    assert len(radar["measured"].split()) == 10


@pytest.mark.parametrize("language", ["es", "en"])
def test_quadrant_labels_stay_within_their_half_of_the_box(client, agent, activity, language):
    """Each quadrant's name is wrapped and centred over its own half, so the two names on one
    side never run into each other (they overlapped in English)."""
    from django.utils import translation

    from attitude import charts
    from attitude.selectors import QUADRANTS

    with translation.override(language):
        chart = charts.quadrant(0.7, 0.7, THRESHOLD, names=QUADRANTS)
        lines = [text for label in chart["labels"] for _, text in label.lines]
    assert len(chart["labels"]) == 4
    half = chart["size"] / 2
    assert all(len(text) * 6.5 < half for text in lines), lines  # 12 px ≈ 6.5 px a character
    centres = sorted({label.x for label in chart["labels"]})
    assert centres == [chart["left"] + half / 2, chart["left"] + 1.5 * half]
