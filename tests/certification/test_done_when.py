"""The whole story of issue 6: a supervisor assigns a course to the team; an agent completes
it and the programme's other requirements and gets a certificate whose QR code leads to a
valid verification page; HR sees the change in the dashboard and exports it."""

import io
from datetime import timedelta
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

import pytest
from pypdf import PdfReader

from certification.hr_dashboard import dashboard_data
from certification.models import Certificate, Programme
from certification.pdf import verification_url
from certification.services import reissue
from courses.models import Assignment, AssignmentStatus
from courses.selectors import learner_assignments
from courses.services import assign_course, complete_step
from tests.courses.conftest import lessons_of

pytestmark = pytest.mark.django_db


def test_assign_complete_certify_verify_and_report(
    client, supervisor, agent, hr, team, course_factory, django_capture_on_commit_callbacks
):
    course = course_factory(title="Cortesía", slug="cortesia", lessons=2)
    programme = Programme.objects.create(name="Agente certificado", validity_months=12)
    programme.courses.set([course])
    programme.save()
    assign_course(
        actor=supervisor, course=course, team=team, due_on=timezone.localdate() + timedelta(7)
    )
    assert dashboard_data({})["per_programme"][0]["certified"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(course):
            complete_step(person=agent, step=lesson)
    assert learner_assignments(agent).get().status == AssignmentStatus.COMPLETED
    certificate = Certificate.objects.get(person=agent)

    client.force_login(agent)
    pdf = client.get(reverse("certification:pdf", args=[certificate.code])).content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    url = verification_url(certificate)
    assert url.split("//", 1)[1] in text.replace("\n", "")  # the address the QR code encodes
    client.logout()
    page = client.get(urlsplit(url).path)  # what a phone opens after scanning the QR code
    assert "vigente" in page.content.decode()

    assert dashboard_data({})["per_programme"][0]["certified"] == 1
    client.force_login(hr)
    csv = b"".join(client.get(reverse("certification:hr_export", args=["csv"])).streaming_content)
    assert certificate.code in csv.decode("utf-8-sig")
    assert Assignment.objects.get(person=agent).events.filter(action="completed").exists()


def test_hr_reissues_with_a_new_code(hr, agent, course_factory):
    programme = Programme.objects.create(name="Agente certificado")
    old = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=100)
    )
    new = reissue(certificate=old, actor=hr)
    old.refresh_from_db()
    assert old.revoked_at and new.code != old.code and new.expires_at == old.expires_at
    assert new.events.filter(action="reissued", actor=hr).exists()
