"""Pages of signed-in people, certificate PDFs, exports and the public verification page
(it names the holder) are sent with `Cache-Control: private, no-store`, so neither a
shared proxy nor the browser's disk keeps a copy."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from certification.models import Certificate, Programme

pytestmark = pytest.mark.django_db


def _no_store(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.fixture
def certificate(agent):
    programme = Programme.objects.create(name="Agente certificado", validity_months=12)
    return Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=30)
    )


def test_personal_pages_are_never_stored(client_for, agent, supervisor, hr, certificate):
    pages = [
        (agent, reverse("courses:my_learning")),
        (agent, reverse("attitude:my_profile")),
        (agent, reverse("certification:mine")),
        (agent, reverse("certification:pdf", args=[certificate.code])),
        (supervisor, reverse("certification:team_dashboard")),
        (supervisor, reverse("certification:agent_detail", args=[agent.pk])),
        (hr, reverse("people:hr_home")),
        (hr, reverse("people:person_detail", args=[agent.pk])),
        (hr, reverse("certification:hr_export", args=["csv"])),
        (hr, reverse("certification:hr_export", args=["xlsx"])),
        (hr, reverse("certification:hr_dashboard")),
        (supervisor, reverse("courses:team_assignments_export", args=["csv"])),
        (supervisor, reverse("courses:team_assignments_export", args=["xlsx"])),
        (hr, reverse("courses:audit_log_export", args=["csv"])),
        (hr, reverse("courses:audit_log_export", args=["xlsx"])),
        (hr, reverse("people:scheduled_reports")),
    ]
    for person, url in pages:
        response = client_for(person).get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))


def test_the_public_verification_page_is_not_stored_either(client, certificate):
    response = client.get(reverse("certification:verify", args=[certificate.code]))
    assert response.status_code == 200 and _no_store(response)
