"""Counts in the CSV import agree with their number: "1 fila omitida", never "1 filas omitidas"."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from people.models import PeopleImport

pytestmark = pytest.mark.django_db

ONE_OF_EACH = (
    "email,nombre,equipo,rol\n"
    "ana.lopez@empresa.es,Ana López,Equipo Norte,Agente\n"
    "malo,Sin Correo,,\n"
)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


@pytest.fixture
def hr_client(client, hr, team):
    client.force_login(hr)
    return client


def upload(client, **headers):
    data = SimpleUploadedFile("personas.csv", ONE_OF_EACH.encode())
    return client.post(reverse("people:import_upload"), {"file": data}, **headers)


def confirm(client, django_capture_on_commit_callbacks, **headers):
    """Confirm the latest import, let its background task run (it starts once the confirm
    commits), and return the import's page as HR then sees it."""
    pk = PeopleImport.objects.latest("pk").pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import_confirm", args=[pk]), **headers)
    return client.get(reverse("people:import_preview", args=[pk]), **headers)


def test_the_preview_counts_one_person_and_one_row_in_the_singular(hr_client):
    preview = text(hr_client.get(upload(hr_client).url))
    assert "1 persona nueva" in preview
    assert "0 personas para actualizar" in preview
    assert "1 fila con errores" in preview
    assert "nuevas" not in preview


def test_the_result_counts_one_person_and_one_row_in_the_singular(
    hr_client, django_capture_on_commit_callbacks
):
    upload(hr_client)
    result = text(confirm(hr_client, django_capture_on_commit_callbacks))
    assert "1 persona añadida (invitación enviada)" in result
    assert "1 fila omitida" in result
    assert "filas omitidas" not in result
    assert "0 personas actualizadas" in result


def test_english_counts_agree_too(hr_client, django_capture_on_commit_callbacks):
    hr_client.cookies["django_language"] = "en"
    preview = text(hr_client.get(upload(hr_client).url))
    assert "1 new person" in preview and "1 row with errors" in preview
    result = text(confirm(hr_client, django_capture_on_commit_callbacks))
    assert "1 person added (invitation sent)" in result and "1 row skipped" in result
