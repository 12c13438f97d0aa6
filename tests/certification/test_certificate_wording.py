"""The certificate's words: the PDF names holder and programme without repeating
"certificado", and the exports speak the language of whoever downloads them."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from certification.models import Certificate, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(agent):
    programme = Programme.objects.create(
        name="Agente certificado en servicio al cliente", validity_months=12
    )
    now = timezone.now()
    return Certificate.objects.create(
        person=agent, programme=programme, issued_at=now, expires_at=now + timedelta(days=365)
    )


def test_the_pdf_says_who_completed_which_programme_without_certificado_de(client, certificate):
    client.force_login(certificate.person)
    response = client.get(reverse("certification:pdf", args=[certificate.code]))
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Certificado de" not in text
    assert "Actitud acredita que Lucía Fernández ha completado el programa" in text
    assert "Agente certificado en servicio al cliente" in text


def export_csv(client, language):
    client.cookies["django_language"] = language
    body = b"".join(client.get(reverse("certification:hr_export", args=["csv"]))).decode()
    delimiter = ";" if language == "es" else ","
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=delimiter))


@pytest.mark.parametrize(
    ("language", "header", "status"),
    [
        ("es", ["Persona", "Número de empleado", "Correo electrónico", "Equipo", "Programa",
                "Emitido", "Vence", "Estado", "Código"], "vigente"),
        ("en", ["Person", "Employee number", "Email", "Team", "Programme", "Issued", "Expires",
                "Status", "Code"], "valid"),
    ],
)  # fmt: skip
def test_the_csv_export_speaks_the_language_of_the_page(
    client, hr, certificate, language, header, status
):
    client.force_login(hr)
    rows = export_csv(client, language)
    assert rows[0] == header
    assert rows[1][7] == status and rows[1][8] == certificate.code


@pytest.mark.parametrize(
    ("language", "sheet", "first", "status"),
    [("es", "Certificados", "Persona", "vigente"), ("en", "Certificates", "Person", "valid")],
)
def test_the_xlsx_export_speaks_the_language_of_the_page(
    client, hr, certificate, language, sheet, first, status
):
    client.force_login(hr)
    client.cookies["django_language"] = language
    response = client.get(reverse("certification:hr_export", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook[sheet].values)
    assert rows[0][0] == first and rows[1][7] == status
