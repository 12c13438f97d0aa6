"""Trust in certificates: the public verdict (valid, expired, not valid, unknown), the
revoked PDF's stamp, the history HR sees, and reissuing from the certificate."""

import io
from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import formats, timezone, translation

import pytest
from pypdf import PdfReader

from certification import services
from certification.models import Certificate, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(course_factory):
    programme = Programme.objects.create(name="Agente certificado", validity_months=12)
    programme.courses.set([course_factory(title="Cortesía", slug="cortesia", lessons=1)])
    programme.save()
    return programme


@pytest.fixture
def certificate(agent, programme):
    return Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=200)
    )


def spanish_date(value):
    with translation.override("es"):
        return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def verify_page(client, code):
    return client.get(reverse("certification:verify", args=[code]))


def banner(html):
    """The text of the verdict banner of a verification page."""
    start = html.index('class="verdict')
    return html[start : html.index("</div>", start)]


def test_a_valid_certificate_says_valid_until_its_expiry(client, certificate):
    html = verify_page(client, certificate.code).content.decode()
    assert "VÁLIDO" in banner(html) and "NO VÁLIDO" not in banner(html)
    assert spanish_date(certificate.expires_at) in banner(html)


def test_an_expired_certificate_says_expired_with_the_date(client, certificate):
    certificate.expires_at = timezone.now() - timedelta(days=3)
    certificate.save()
    html = verify_page(client, certificate.code).content.decode()
    assert "CADUCADO" in banner(html) and spanish_date(certificate.expires_at) in banner(html)
    assert "VÁLIDO" not in banner(html)


def test_a_revoked_certificate_says_not_valid_with_the_date(client, hr, certificate):
    services.revoke(certificate=certificate, actor=hr, reason="Datos falsificados")
    html = verify_page(client, certificate.code).content.decode()
    assert "NO VÁLIDO" in banner(html)
    assert spanish_date(certificate.revoked_at) in banner(html)
    assert "sustituye" not in banner(html) and "falsificados" not in html


def test_a_reissued_certificate_says_a_newer_one_replaces_it_without_its_code(
    client, hr, certificate
):
    new = services.reissue(certificate=certificate, actor=hr)
    html = verify_page(client, certificate.code).content.decode()
    assert "NO VÁLIDO" in banner(html) and "más reciente" in banner(html)
    assert new.code not in html
    assert "VÁLIDO" in banner(verify_page(client, new.code).content.decode())


def test_an_unknown_code_gets_a_page_saying_so_with_a_404(client):
    response = verify_page(client, "codigo-inventado")
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert "Ningún certificado tiene el código" in html and "codigo-inventado" in html
    assert "No hemos encontrado esta página" not in html


def pdf_text(client, certificate):
    response = client.get(reverse("certification:pdf", args=[certificate.code]))
    assert response.status_code == HTTPStatus.OK
    return PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_a_revoked_certificate_pdf_is_stamped_revoked_with_the_date(client, hr, agent, certificate):
    client.force_login(agent)
    assert "REVOCADO" not in pdf_text(client, certificate)
    services.revoke(certificate=certificate, actor=hr, reason="Datos falsificados")
    certificate.refresh_from_db()
    text = pdf_text(client, certificate)
    with translation.override("es"):
        day = formats.date_format(timezone.localtime(certificate.revoked_at), "j \\d\\e F \\d\\e Y")
    assert "REVOCADO" in text and f"Revocado el {day}" in text
    assert "no es válido" in text and "falsificados" not in text
    assert certificate.code in text  # still readable for the audit trail


def test_a_reissued_certificate_pdf_says_a_newer_one_replaces_it(client, hr, agent, certificate):
    services.reissue(certificate=certificate, actor=hr)
    client.force_login(agent)
    text = pdf_text(client, certificate)
    assert "REVOCADO" in text and "más reciente" in text


def complete(person, programme, django_capture_on_commit_callbacks):
    from courses.services import complete_step
    from tests.courses.conftest import lessons_of

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(programme.courses.first()):
            complete_step(person=person, step=lesson)
    return Certificate.objects.get(person=person)


def test_hr_sees_the_history_on_the_certificate(
    client, hr, agent, programme, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    certificate = complete(agent, programme, django_capture_on_commit_callbacks)
    new = services.reissue(certificate=certificate, actor=hr)
    services.revoke(certificate=new, actor=hr, reason="Datos falsificados")
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("certification:hr_detail", args=[new.code])).content.decode()
    history = html[html.index('id="history-heading"') :]
    for words in (
        "Certificado revocado",
        "Datos falsificados",
        "Certificado reemitido",
        "Rocío Sanz",
    ):
        assert words in history, words
    assert certificate.code in history  # "sustituye a …", linked
    old = client.get(reverse("certification:hr_detail", args=[certificate.code])).content.decode()
    old_history = old[old.index('id="history-heading"') :]
    assert "Certificado emitido" in old_history and "Certificado reemitido" in old_history
    assert "Reemitido con un código nuevo" in old_history and new.code in old


def test_expiry_shows_in_the_history(client, hr, agent, programme):
    from certification.lifecycle import handle_expired

    certificate = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() - timedelta(hours=1)
    )
    handle_expired()
    client.force_login(hr)
    html = client.get(reverse("certification:hr_detail", args=[certificate.code])).content.decode()
    assert "Certificado caducado" in html[html.index('id="history-heading"') :]


def test_the_audit_log_shows_certificate_events_beside_assignments(
    client, hr, supervisor, agent, team, programme, django_assert_max_num_queries
):
    from courses.services import assign_course

    assign_course(
        actor=supervisor, course=programme.courses.first(), team=team, due_on=timezone.localdate()
    )
    certificate = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=9)
    )
    services.revoke(certificate=certificate, actor=hr, reason="Datos falsificados")
    client.force_login(hr)
    url = reverse("courses:audit_log")
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert "Certificado revocado" in html and "Datos falsificados" in html
    assert "asignado" in html and "Cortesía" in html
    assert reverse("certification:hr_detail", args=[certificate.code]) in html
    only = client.get(url, {"source": "certificates"}).content.decode()
    assert "Certificado revocado" in only and "Cortesía" not in only
    searched = client.get(url, {"q": "Agente certificado"}).content.decode()
    assert "Certificado revocado" in searched and "asignado" not in searched


def test_hr_reissues_a_valid_certificate_from_it_after_confirming(client, hr, certificate):
    client.force_login(hr)
    url = reverse("certification:reissue", args=[certificate.code])
    detail = client.get(reverse("certification:hr_detail", args=[certificate.code]))
    assert url in detail.content.decode()
    confirm = client.get(url)
    assert confirm.status_code == HTTPStatus.OK and "Sí, reemitirlo" in confirm.content.decode()
    assert Certificate.objects.count() == 1  # nothing happens before the confirmation
    response = client.post(url, {"revoked": "0"})
    new = Certificate.objects.get(replaces=certificate)
    assert response.url == reverse("certification:hr_detail", args=[new.code])
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and new.expires_at == certificate.expires_at


def test_hr_reissues_a_revoked_certificate_when_the_person_still_meets_the_programme(
    client, hr, agent, programme, django_capture_on_commit_callbacks
):
    certificate = complete(agent, programme, django_capture_on_commit_callbacks)
    services.revoke(certificate=certificate, actor=hr, reason="Revocado por error")
    client.force_login(hr)
    url = reverse("certification:reissue", args=[certificate.code])
    assert (
        url
        in client.get(reverse("certification:hr_detail", args=[certificate.code])).content.decode()
    )
    assert "Sí, reemitirlo" in client.get(url).content.decode()
    client.post(url, {"revoked": "1"})
    new = Certificate.objects.get(replaces=certificate)
    assert new.status_at() == "vigente" and new.issued_at == certificate.issued_at
    assert new.events.get().action == "reissued"
    html = verify_page(client, certificate.code).content.decode()
    assert "NO VÁLIDO" in banner(html) and "más reciente" in banner(html)


def test_a_revoked_certificate_is_not_reissued_when_the_person_no_longer_meets_it(
    client, hr, agent, programme
):
    certificate = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=90)
    )
    services.revoke(certificate=certificate, actor=hr, reason="Curso no completado")
    client.force_login(hr)
    url = reverse("certification:reissue", args=[certificate.code])
    html = client.get(url).content.decode()
    assert "no se puede reemitir" in html and "Ya no cumple el programa" in html
    assert "Curso «Cortesía» completado" in html and "Sí, reemitirlo" not in html
    client.post(url, {"revoked": "1"})
    assert Certificate.objects.count() == 1


def test_a_reissue_confirmed_on_a_valid_certificate_is_refused_once_it_was_revoked(
    client, hr, agent, programme, django_capture_on_commit_callbacks
):
    """Revoke wins: HR confirmed reissuing a valid certificate, someone revoked it meanwhile."""
    certificate = complete(agent, programme, django_capture_on_commit_callbacks)
    services.revoke(certificate=certificate, actor=hr, reason="Datos falsificados")
    client.force_login(hr)
    client.post(reverse("certification:reissue", args=[certificate.code]), {"revoked": "0"})
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("agent", HTTPStatus.FORBIDDEN),
        ("supervisor", HTTPStatus.FORBIDDEN),
        ("other_supervisor", HTTPStatus.FORBIDDEN),
        ("hr", HTTPStatus.OK),
        ("editor", HTTPStatus.FORBIDDEN),
        (None, HTTPStatus.FOUND),
    ],
)
def test_who_may_see_a_certificate_history_and_reissue_it(
    request, client_for, certificate, viewer, expected
):
    client = client_for(request.getfixturevalue(viewer) if viewer else None)
    for name in ("hr_detail", "reissue"):
        response = client.get(reverse(f"certification:{name}", args=[certificate.code]))
        assert response.status_code == expected, name
        if expected == HTTPStatus.FOUND:
            assert "/cuenta/login/" in response.url
    response = client.post(reverse("certification:reissue", args=[certificate.code]))
    assert Certificate.objects.count() == (2 if viewer == "hr" else 1)


@pytest.mark.postgresql  # SQLite serialises writers
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_reissues_of_a_revoked_certificate_make_one(hr, agent, programme):
    from courses.services import complete_step
    from tests.certification.test_races import fresh, race
    from tests.courses.conftest import lessons_of

    for lesson in lessons_of(programme.courses.first()):
        complete_step(person=agent, step=lesson)
    revoked = Certificate.objects.get(person=agent)
    second = Certificate.objects.create(
        person=agent, programme=programme, cycle=2, expires_at=revoked.expires_at
    )
    for certificate in (revoked, second):
        services.revoke(certificate=certificate, actor=hr, reason="Revocado por error")
    outcomes = race(
        *[lambda: services.reissue_revoked(certificate=fresh(revoked.pk)(), actor=hr)] * 3,
        lambda: services.reissue_revoked(certificate=fresh(second.pk)(), actor=hr),
    )
    made = [o for o in outcomes if isinstance(o, Certificate)]
    refused = [o for o in outcomes if isinstance(o, services.CannotReissue)]
    assert len(made) == 1 and len(refused) == 3, outcomes
    assert Certificate.objects.filter(person=agent).current().count() == 1
