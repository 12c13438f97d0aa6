"""Certificates: issued exactly once when the requirements are met, verifiable in public,
a real PDF, revocable by HR; who may see what."""

import io
import threading
from datetime import timedelta
from http import HTTPStatus

from django.db import connections
from django.urls import reverse
from django.utils import timezone

import pytest
from pypdf import PdfReader

from certification.models import Certificate, CertificateStatus, Programme
from certification.services import check_person, issue_if_met, requirements
from courses.services import complete_step
from people.models import Role
from tests.courses.conftest import lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(course_factory):
    course = course_factory(title="Cortesía", slug="cortesia", lessons=2)
    programme = Programme.objects.create(name="Agente certificado", validity_months=12)
    programme.courses.set([course])
    programme.save()
    return programme


def complete_course(person, programme, django_capture_on_commit_callbacks):
    course = programme.courses.first()
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(course):
            complete_step(person=person, step=lesson)


def test_completing_the_last_requirement_issues_a_certificate_once(
    agent, programme, django_capture_on_commit_callbacks
):
    assert not requirements(agent, programme).met
    complete_course(agent, programme, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(person=agent)
    assert certificate.status_at() == CertificateStatus.VALID
    assert certificate.expires_at - certificate.issued_at == timedelta(days=365)
    assert len(certificate.code) >= 20
    assert check_person(agent) == [] and Certificate.objects.count() == 1


def test_an_expired_certificate_leads_to_a_new_cycle(
    agent, programme, django_capture_on_commit_callbacks
):
    complete_course(agent, programme, django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(days=400)
    assert Certificate.objects.get().status_at(later) == CertificateStatus.EXPIRED
    renewed = issue_if_met(person=agent, programme=programme, now=later)
    assert renewed.cycle == 2 and renewed.code != Certificate.objects.get(cycle=1).code


def test_attitude_minimums_are_required(agent, programme, django_capture_on_commit_callbacks):
    programme.min_attitude_percent = 60
    programme.save()
    complete_course(agent, programme, django_capture_on_commit_callbacks)
    assert not Certificate.objects.exists()
    labels = [label for label, ok in requirements(agent, programme).items if not ok]
    assert labels == ["Actitud global del 60 % o más"]


def test_the_verification_page_shows_the_certificate_and_nothing_else(
    client, agent, programme, django_capture_on_commit_callbacks
):
    agent.employee_number = "EMP-0042"
    agent.save()
    complete_course(agent, programme, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    html = client.get(reverse("certification:verify", args=[certificate.code])).content.decode()
    assert "Lucía Fernández" in html and "Agente certificado" in html and "vigente" in html
    assert agent.email not in html and "EMP-0042" not in html and "Equipo Norte" not in html
    assert client.get(reverse("certification:verify", args=["adivinado"])).status_code == 404


def test_the_pdf_is_a_real_pdf_that_carries_the_code(
    client, agent, programme, django_capture_on_commit_callbacks
):
    complete_course(agent, programme, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    client.force_login(agent)
    response = client.get(reverse("certification:pdf", args=[certificate.code]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert certificate.code in text and "Lucía Fernández" in text and "Agente certificado" in text


def test_hr_revokes_with_a_reason_and_it_shows(
    client, hr, agent, programme, django_capture_on_commit_callbacks
):
    complete_course(agent, programme, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    client.force_login(hr)
    url = reverse("certification:revoke", args=[certificate.code])
    response = client.post(url, {"reason": ""})
    assert response.status_code == HTTPStatus.OK  # a reason is required
    client.post(url, {"reason": "Datos de formación falsificados."})
    certificate.refresh_from_db()
    assert certificate.status_at() == CertificateStatus.REVOKED and certificate.revoked_by == hr
    assert certificate.events.filter(action="revoked", actor=hr).exists()
    html = client.get(reverse("certification:verify", args=[certificate.code])).content.decode()
    assert "revocado" in html and "falsificados" not in html


def test_hr_filters_certificates_by_status(client, hr, agent, teammate, programme):
    now = timezone.now()
    Certificate.objects.create(
        person=agent, programme=programme, expires_at=now + timedelta(days=9)
    )
    Certificate.objects.create(
        person=teammate, programme=programme, expires_at=now - timedelta(days=1)
    )
    client.force_login(hr)
    html = client.get(reverse("certification:hr_list"), {"status": "vencido"}).content.decode()
    assert "Javier Moreno" in html and "Lucía Fernández" not in html
    assert Certificate.objects.expiring_within(30).count() == 1


@pytest.mark.parametrize(
    ("viewer", "pdf", "hr_list"),
    [
        ("agent", HTTPStatus.OK, HTTPStatus.FORBIDDEN),
        ("teammate", HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN),
        ("supervisor", HTTPStatus.OK, HTTPStatus.FORBIDDEN),
        ("other_supervisor", HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN),
        ("hr", HTTPStatus.OK, HTTPStatus.OK),
        ("editor", HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN),
        (None, HTTPStatus.FOUND, HTTPStatus.FOUND),
    ],
)
def test_who_may_download_and_list_certificates(
    request, client_for, agent, programme, viewer, pdf, hr_list
):
    certificate = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=30)
    )
    person = request.getfixturevalue(viewer) if viewer else None
    client = client_for(person)
    assert client.get(reverse("certification:pdf", args=[certificate.code])).status_code == pdf
    assert client.get(reverse("certification:hr_list")).status_code == hr_list


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_completion_issues_one_certificate(agent, programme):
    for lesson in lessons_of(programme.courses.first()):
        complete_step(person=agent, step=lesson)
    Certificate.objects.all().delete()
    barrier = threading.Barrier(5)

    def issue():
        try:
            barrier.wait()
            issue_if_met(person=agent, programme=programme)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Certificate.objects.filter(person=agent).count() == 1


@pytest.fixture
def many_certificates(programme, user_factory, team, other_team):
    now = timezone.now()
    made = []
    for n in range(12):
        person = user_factory(
            full_name=f"Agente {n:02d}", roles=[Role.AGENT], team=team if n % 2 else other_team
        )
        expires = now + timedelta(days=30) if n % 3 else now - timedelta(days=1)
        made.append(
            Certificate.objects.create(person=person, programme=programme, expires_at=expires)
        )
    return made


def test_the_csv_export_has_exactly_the_filtered_rows(client, hr, team, many_certificates):
    import csv

    client.force_login(hr)
    filters = {"team": team.pk, "status": "vigente"}
    response = client.get(reverse("certification:hr_export", args=["csv"]), filters)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(body), delimiter=";"))[1:]
    _, expected = __import__("certification.views", fromlist=["x"]).filtered_certificates(filters)
    assert sorted(row[8] for row in exported) == sorted(c.code for c in expected)
    assert len(exported) == 4 and all(row[7] == "vigente" for row in exported)


def test_the_xlsx_export_matches_the_csv(client, hr, many_certificates):
    from openpyxl import load_workbook

    client.force_login(hr)
    response = client.get(reverse("certification:hr_export", args=["xlsx"]), {"status": "vencido"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    codes = [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(c.code for c in many_certificates if c.status_at() == "vencido")


def test_exports_take_the_same_queries_for_few_or_many_rows(
    client, hr, programme, user_factory, django_assert_max_num_queries
):
    client.force_login(hr)
    url = reverse("certification:hr_export", args=["csv"])
    for count in (2, 40):
        while Certificate.objects.count() < count:
            Certificate.objects.create(
                person=user_factory(), programme=programme,
                expires_at=timezone.now() + timedelta(days=9),
            )  # fmt: skip
        with django_assert_max_num_queries(6):
            b"".join(client.get(url).streaming_content)


def test_a_supervisor_cannot_export(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("certification:hr_export", args=["csv"])).status_code == 403
