"""HR's certificate exports say exactly what the certificates say, however they are read
from the database: every column, in the page's language, for every state, with the dates of
Madrid (a certificate issued at 23:30 UTC is dated the next day), accents intact and
formula payloads neutralised. The expected rows are built here from model instances, one at
a time, the way the export did before it streamed tuples."""

import csv
import io
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone, translation

import pytest
from openpyxl import load_workbook

from certification.exports import spreadsheet_safe
from certification.models import Certificate, CertificateStatus, Programme
from people.models import Role

pytestmark = pytest.mark.django_db

HEADERS = {
    "es": ["Persona", "Número de empleado", "Correo electrónico", "Equipo", "Programa",
           "Emitido", "Vence", "Estado", "Código"],
    "en": ["Person", "Employee number", "Email", "Team", "Programme", "Issued", "Expires",
           "Status", "Code"],
}  # fmt: skip
DELIMITER = {"es": ";", "en": ","}


@pytest.fixture
def mixed_certificates(user_factory, team, other_team):
    """Valid, expired and revoked certificates of people with accents, an empty name and
    formula payloads, in two programmes and two teams, some issued just before midnight UTC."""
    now = timezone.now()
    names = ["José Núñez", "María Peña-Ibáñez", "", '=HYPERLINK("http://x")', "+34 600 000"]
    programmes = [
        Programme.objects.create(name="Atención telefónica"),
        Programme.objects.create(name="@Reclamaciones"),
    ]
    made = []
    for n in range(15):
        person = user_factory(
            full_name=names[n % len(names)] or None,
            email=f"agente{n}@ejemplo.es",
            employee_number=f"E{n:03d}" if n % 4 else "",
            roles=[Role.AGENT],
            team=team if n % 2 else other_team,
        )
        if not names[n % len(names)]:
            person.full_name = ""
            person.save(update_fields=["full_name"])
        issued = datetime(2026, 3, 1 + n, 23, 30, tzinfo=UTC)
        state = n % 3
        made.append(
            Certificate.objects.create(
                person=person,
                programme=programmes[n % 2],
                issued_at=issued,
                expires_at=now - timedelta(days=1) if state == 1 else now + timedelta(days=40),
                revoked_at=now if state == 2 else None,
                code=f"-código{n}" if n == 4 else f"código{n}",
            )
        )
    return made


def expected_rows(certificates, fmt="csv"):
    """The rows as the export wrote them from model instances: dates as ISO text in CSV,
    as date cells (read back as midnight datetimes) in XLSX."""
    statuses = dict(CertificateStatus.choices)

    def day(moment):
        local = timezone.localtime(moment).date()
        if fmt == "csv":
            return local.isoformat()
        return datetime(local.year, local.month, local.day)

    rows = []
    for c in certificates.order_by("-issued_at"):
        team = c.person.current_team
        row = [
            c.person.full_name,
            c.person.employee_number,
            c.person.email,
            team.name if team else "",
            c.programme.name,
            day(c.issued_at),
            day(c.expires_at),
            str(statuses[c.status]),
            c.code,
        ]
        rows.append([spreadsheet_safe(value) for value in row])
    return rows


def export(client, fmt, language, filters=None):
    client.cookies["django_language"] = language
    response = client.get(reverse("certification:hr_export", args=[fmt]), filters or {})
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        assert body.startswith("\ufeff".encode())
        text = io.StringIO(body.decode("utf-8-sig"), newline="")
        return list(csv.reader(text, delimiter=DELIMITER[language]))
    sheet = load_workbook(io.BytesIO(body)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["es", "en"])
def test_every_cell_is_what_the_certificate_says(client, hr, mixed_certificates, fmt, language):
    client.force_login(hr)
    rows = export(client, fmt, language)
    with translation.override(language):
        expected = expected_rows(Certificate.objects.with_status(), fmt)
    assert rows[0] == HEADERS[language]
    assert rows[1:] == expected
    assert {row[7] for row in rows[1:]} == {
        {"es": "vigente", "en": "valid"}[language],
        {"es": "vencido", "en": "expired"}[language],
        {"es": "revocado", "en": "revoked"}[language],
    }


def test_dates_are_those_of_madrid_and_accents_survive(client, hr, mixed_certificates):
    client.force_login(hr)
    rows = export(client, "csv", "es")
    first_issued = min(row[5] for row in rows[1:])
    assert first_issued == "2026-03-02"  # issued 2026-03-01 23:30 UTC
    assert any(row[0] == "José Núñez" for row in rows)
    assert any(row[0] == '\'=HYPERLINK("http://x")' for row in rows)
    assert any(row[4] == "'@Reclamaciones" for row in rows)
    assert any(row[8] == "'-código4" for row in rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_filters_select_the_same_rows_as_the_list(client, hr, team, mixed_certificates, fmt):
    client.force_login(hr)
    programme = Programme.objects.get(name="@Reclamaciones")
    for filters in (
        {"status": "revocado"},
        {"status": "vencido", "team": team.pk},
        {"programme": programme.pk},
        {"q": "peña"},
        {"issued_from": "2026-03-05", "issued_to": "2026-03-09"},
    ):
        from certification.views import filtered_certificates

        _, certificates = filtered_certificates(filters)
        with translation.override("es"):
            expected = expected_rows(certificates, fmt)
        assert expected, filters
        assert export(client, fmt, "es", filters)[1:] == expected, filters


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_takes_the_same_queries_for_15_or_300_rows(
    client, hr, mixed_certificates, user_factory, fmt, django_assert_max_num_queries
):
    client.force_login(hr)
    programme = Programme.objects.create(name="Volumen")
    for count in (15, 300):
        people = [user_factory() for _ in range(count - Certificate.objects.count())]
        Certificate.objects.bulk_create(
            Certificate(
                person=person, programme=programme, expires_at=timezone.now() + timedelta(days=9)
            )
            for person in people
        )
        with django_assert_max_num_queries(5):
            rows = export(client, fmt, "es")
        assert len(rows) == count + 1


@pytest.mark.postgresql  # server-side cursors are PostgreSQL's
def test_the_csv_export_streams_from_a_server_side_cursor_a_chunk_at_a_time(
    client, hr, mixed_certificates, monkeypatch
):
    """What keeps a 100,000-row export's memory flat: the rows come through a named cursor,
    a chunk at a time, while the first ones are already on their way to the browser."""
    from django.db import connection

    monkeypatch.setattr("certification.exports.CHUNK_SIZE", 4)
    client.force_login(hr)
    response = client.get(reverse("certification:hr_export", args=["csv"]))
    chunks = iter(response.streaming_content)
    assert next(chunks) == "\ufeff".encode()
    first = next(chunks).decode()
    assert first.count("\r\n") == 4  # the header and three rows

    def open_cursors():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_cursors WHERE statement ILIKE %s",
                ["%certification_certificate%"],
            )
            return cursor.fetchone()[0]

    assert open_cursors() == 1
    rest = b"".join(chunks).decode()
    assert (first + rest).count("\r\n") == len(mixed_certificates) + 1
    assert open_cursors() == 0
