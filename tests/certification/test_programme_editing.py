"""Editing a certification programme in the admin ends with exactly the rows the editor sees,
whatever the interleaving of Wagtail's autosave and the editor's own save (issue 11, item 2)."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from attitude.models import ServiceDimension
from certification.models import Programme
from tests.admin_forms import form_autosaves

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}  # how Wagtail's w-autosave controller posts


@pytest.fixture
def programme(course_factory):
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(title="Curso base", slug="curso-base", lessons=1)])
    programme.save()
    return programme


def programme_form(programme, refreshers, minimums=()):
    """The POST the programme's edit page sends, with its rows as the editor sees them."""
    data = {
        "name": programme.name,
        "description": "",
        "courses": [str(course.pk) for course in programme.courses.all()],
        "min_quiz_percent": "",
        "min_attitude_percent": "",
        "validity_months": "12",
        "is_active": "on",
    }
    for prefix, rows in (("refresher_rules", refreshers), ("dimension_minimums", minimums)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for n, row in enumerate(rows):
            data.update({f"{prefix}-{n}-{name}": str(value) for name, value in row.items()})
            data.setdefault(f"{prefix}-{n}-id", "")
            data[f"{prefix}-{n}-ORDER"] = str(n + 1)
    return data


def test_the_programme_editor_does_not_autosave(client, superuser, programme):
    client.force_login(superuser)
    page = client.get(reverse("wagtailsnippets_certification_programme:edit", args=[programme.pk]))
    assert page.status_code == HTTPStatus.OK
    assert not form_autosaves(page.content.decode())


@pytest.mark.parametrize("order", ["autosave first", "save first"])
def test_an_autosave_in_flight_does_not_duplicate_a_refresher(client, superuser, programme, order):
    """The editor adds a refresher (30 days by default), an autosave fires, they change it to
    7 days and save before the autosave's answer has given the row its id."""
    cortesia = ServiceDimension.objects.get(slug="cortesia")
    course = programme.courses.get()
    row = {"dimension": cortesia.pk, "below_percent": 60, "course": course.pk}
    minimum = {"dimension": cortesia.pk, "min_percent": 50}
    autosave = programme_form(programme, [{**row, "days_to_complete": 30}], [minimum])
    save = programme_form(programme, [{**row, "days_to_complete": 7}], [minimum])
    url = reverse("wagtailsnippets_certification_programme:edit", args=[programme.pk])
    client.force_login(superuser)
    form_page = client.get(url).content.decode()
    requests = [(autosave, AUTOSAVE), (save, {})]
    if order == "save first":
        requests.reverse()
    for data, headers in requests:
        client.post(url, data, **headers)

    assert list(programme.refresher_rules.values_list("days_to_complete", flat=True)) == [7]
    assert list(programme.dimension_minimums.values_list("min_percent", flat=True)) == [50]
    assert not form_autosaves(form_page)  # the browser does not autosave either
