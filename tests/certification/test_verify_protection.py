"""The public verification page is kept out of search engines and cannot be used to
guess codes by brute force."""

from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

import pytest

from certification.models import Certificate, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(agent):
    programme = Programme.objects.create(name="Agente certificado", validity_months=12)
    return Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=30)
    )


def test_the_page_is_never_indexed(client, certificate):
    response = client.get(reverse("certification:verify", args=[certificate.code]))
    assert response.status_code == HTTPStatus.OK
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_guessing_codes_is_limited_per_ip_with_a_spanish_page(client, settings, certificate):
    settings.CERTIFICATE_VERIFY_LIMIT = 5
    for n in range(5):
        assert client.get(reverse("certification:verify", args=[f"adivino{n}"])).status_code == 404
    response = client.get(reverse("certification:verify", args=[certificate.code]))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Espera un minuto" in response.content.decode()
    assert response["Retry-After"] == "60" and "noindex" in response["X-Robots-Tag"]
    other = client.get(
        reverse("certification:verify", args=[certificate.code]), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == HTTPStatus.OK  # another address is not affected
