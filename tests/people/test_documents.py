"""Editors' documents need sign-in unless published on purpose."""

from http import HTTPStatus

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection

import pytest

from people.documents import INTERNAL_COLLECTION, PUBLIC_COLLECTION

pytestmark = pytest.mark.django_db
Document = get_document_model()


def test_an_upload_left_in_the_root_is_internal(client, editor, agent):
    client.force_login(editor)
    root = Collection.get_first_root_node()
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Guion interno",
            "file": SimpleUploadedFile("guion.txt", b"Solo para el equipo."),
            "collection": root.pk,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    document = Document.objects.get(title="Guion interno")
    assert document.collection.name == INTERNAL_COLLECTION

    client.logout()
    anonymous = client.get(document.url)
    assert anonymous.status_code == HTTPStatus.FOUND and "/cuenta/login/" in anonymous["Location"]
    client.force_login(agent)
    assert client.get(document.url).status_code == HTTPStatus.OK


def test_a_document_published_on_purpose_is_public(client):
    public = Collection.objects.get(name=PUBLIC_COLLECTION)
    document = Document.objects.create(
        title="Folleto", collection=public, file=ContentFile(b"Para todos.", name="folleto.txt")
    )
    assert client.get(document.url).status_code == HTTPStatus.OK
