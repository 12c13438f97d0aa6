"""Dimension names, descriptions and self-assessment statements are written in Spanish and
English on the ServiceDimension snippet and shown in the language of the page."""

from django.urls import reverse
from django.utils import translation

from wagtail.models import Page

import pytest

from attitude.models import ServiceDimension
from attitude.services import Item, record_evidence
from quizzes.widgets import DimensionWeightsWidget

pytestmark = pytest.mark.django_db


def test_the_migration_writes_every_dimension_in_english_too():
    dimensions = ServiceDimension.objects.all()
    assert len(dimensions) == 10
    assert all(d.name_en and d.description_en and d.self_assessment_en for d in dimensions)
    courtesy = dimensions.get(slug="cortesia")
    with translation.override("en"):
        assert (courtesy.label, str(courtesy)) == ("Courtesy", "Courtesy")
        assert courtesy.about.startswith("Kindness, respect")
        assert courtesy.statement.startswith("I treat every customer")
    with translation.override("es"):
        assert (courtesy.label, courtesy.about[:9]) == ("Cortesía", "Amabilida")
        assert courtesy.statement.startswith("Trato a cada cliente")


def test_an_untranslated_dimension_falls_back_to_spanish():
    dimension = ServiceDimension.objects.get(slug="cortesia")
    dimension.name_en = dimension.self_assessment_en = ""
    with translation.override("en"):
        assert dimension.label == "Cortesía"
        assert dimension.statement == dimension.self_assessment


@pytest.mark.parametrize(
    ("language", "statement", "not_shown"),
    [
        ("es", "Trato a cada cliente con amabilidad", "I treat every customer"),
        ("en", "I treat every customer with kindness", "Trato a cada cliente"),
    ],
)
def test_the_self_assessment_speaks_the_language_of_the_page(
    client, agent, language, statement, not_shown
):
    client.force_login(agent)
    client.cookies["django_language"] = language
    html = client.get(reverse("attitude:self_assessment")).content.decode()
    assert statement in html and not_shown not in html


@pytest.mark.parametrize(
    ("language", "name", "not_shown"),
    [("es", "Capacidad de respuesta", "Responsiveness"), ("en", "Responsiveness", "Capacidad de")],
)
def test_the_profile_names_dimensions_in_the_language_of_the_page(
    client, agent, language, name, not_shown
):
    items = [Item(d.slug, 0.7) for d in ServiceDimension.objects.all() for _ in range(5)]
    record_evidence(
        person=agent,
        activity=Page.objects.get(depth=2),
        source="quiz",
        reference="a1",
        items=items,
        critical_count=0,
    )
    client.force_login(agent)
    client.cookies["django_language"] = language
    html = client.get(reverse("attitude:my_profile")).content.decode()
    assert name in html and not_shown not in html  # radar spokes and data table


def test_editors_weigh_options_on_dimensions_named_in_their_language():
    widget = DimensionWeightsWidget()
    with translation.override("en"):
        labels = [row["label"] for row in widget.get_context("weights", "{}", {})["widget"]["rows"]]
    assert "Courtesy" in labels and "Cortesía" not in labels
