"""The attitude profile on a laptop screen (1366 px): the data table shows every column,
dimensions without enough evidence are drawn as missing, the quadrant says why it is empty
and its labels do not overlap — in Spanish and in English."""

from wagtail.models import Page

import pytest

from attitude.selectors import MIN_EVIDENCE
from attitude.services import Item, record_evidence, save_self_assessment

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def boxes_overlap(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_profile_fits_a_laptop_and_shows_what_is_missing(page, agent, language):
    activity = Page.objects.get(depth=2)
    items = [Item(slug, 0.8) for slug in ("cortesia", "comunicacion") for _ in range(MIN_EVIDENCE)]
    thin = [
        "comprension-del-cliente",
        "capacidad-de-respuesta",
        "elementos-tangibles",
        "profesionalismo",
        "accesibilidad",
        "credibilidad",
        "seguridad",
        "fiabilidad",
    ]
    items += [Item(slug, 0.5) for slug in thin for _ in range(MIN_EVIDENCE - 1)]
    record_evidence(person=agent, activity=activity, source="quiz", reference="a1", items=items)
    save_self_assessment(person=agent, ratings={"cortesia": 4, "comunicacion": 2})
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, agent)
    if language == "en":
        page.goto("/")
        page.get_by_role("button", name="English").click()
    page.goto("/perfil/")

    region = page.locator(".chart-with-table .table-scroll")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table is clipped"
    last_header = region.locator("thead th").last
    assert last_header.is_visible() and last_header.bounding_box()["width"] > 40

    radar = page.locator(".chart--radar svg")
    assert radar.locator(".chart__dot").count() == 2
    assert radar.locator(".chart__label--missing").count() == 8
    assert radar.locator("polygon.chart__measured").count() == 0

    quadrant = page.locator(".chart--quadrant svg")
    assert quadrant.locator(".chart__empty").is_visible()
    labels = [t.bounding_box() for t in quadrant.locator(".chart__labels text").all()]
    assert len(labels) == 4
    for n, first in enumerate(labels):
        for second in labels[n + 1 :]:
            assert not boxes_overlap(first, second), (first, second)
