"""Open Badges 3.0 credentials on the site: the credential's shape and privacy, the issuer,
achievement and status list documents, the revocation bit, the verification page, Mis
certificados and the PDF, who may download a credential, and badges turned off. (The
independent verifier's checks are in test_badges_verifier.py.)"""

import hashlib
import io
import json
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

import pytest
from pyld.jsonld import JsonLdError
from pypdf import PdfReader

from certification import services
from certification.credentials import contexts, documents, keys, proof, status
from certification.models import Certificate, Programme
from people.models import Role

from .badges import fetched

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(course_factory):
    course = course_factory(title="Cortesía", slug="cortesia", lessons=1)
    programme = Programme.objects.create(
        name="Agente certificado", description="Atención cortés.", validity_months=12
    )
    programme.courses.set([course])
    programme.save()
    return programme


def certify(person, programme, *, days_ago=10):
    issued = timezone.now() - timedelta(days=days_ago)
    return Certificate.objects.create(
        person=person,
        programme=programme,
        issued_at=issued,
        expires_at=programme.expiry_for(issued),
    )


def credential_path(certificate):
    return reverse("certification:credential", args=[certificate.code])


def download(client, certificate):
    response = client.get(credential_path(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert f"credencial-{certificate.code}.json" in response["Content-Disposition"]
    return response


def test_the_credential_is_an_open_badge_3_with_every_required_field(client, agent, programme):
    certificate = certify(agent, programme)
    credential = json.loads(download(client, certificate).content)
    assert credential["@context"] == [contexts.VC_V2, contexts.OB_V3]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == "http://testserver" + credential_path(certificate)
    assert credential["name"] == "Agente certificado"
    assert credential["issuer"] == {
        "id": "http://testserver/insignias/emisor/",
        "type": ["Profile"],
        "name": "Actitud",
    }
    assert credential["validFrom"] == certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert credential["validUntil"] == certificate.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    email, name = subject["identifier"]
    assert email["type"] == "IdentityObject" and email["identityType"] == "emailAddress"
    assert email["hashed"] is True and len(email["salt"]) == 32
    expected = hashlib.sha256((agent.email + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Lucía Fernández",
    }
    achievement = subject["achievement"]
    assert achievement["id"] == f"http://testserver/insignias/logros/{programme.pk}/"
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Agente certificado"
    assert achievement["description"] == "Atención cortés."
    assert "Cortesía" in achievement["criteria"]["narrative"]
    assert "válido durante 12 meses" in achievement["criteria"]["narrative"]
    entry = credential["credentialStatus"]
    certificate.refresh_from_db()
    assert entry == {
        "id": f"http://testserver/insignias/estado/0/#{certificate.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.status_index),
        "statusListCredential": "http://testserver/insignias/estado/0/",
    }
    signed = credential["proof"]
    assert signed["type"] == "DataIntegrityProof"
    assert signed["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proofPurpose"] == "assertionMethod"
    assert signed["verificationMethod"].startswith("http://testserver/insignias/emisor/#key-")
    assert signed["proofValue"].startswith("z")


def test_the_credential_never_carries_the_email_or_anything_private(client, agent, programme):
    certificate = certify(agent, programme)
    body = download(client, certificate).content.decode()
    assert agent.email not in body and agent.email.split("@")[0] not in body
    assert "password" not in body and str(agent.pk) not in json.loads(body)["credentialSubject"]


def test_the_issuer_profile_publishes_the_current_and_the_previous_keys(client, settings):
    settings.BADGE_PREVIOUS_PUBLIC_KEYS = [
        "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"  # a retired key
    ]
    profile = fetched("http://testserver/insignias/emisor/", client)
    assert profile["type"] == ["Profile"] and profile["name"] == "Actitud"
    methods = profile["assertionMethod"]
    assert [m["type"] for m in methods] == ["Multikey", "Multikey"]
    assert methods[0]["publicKeyMultibase"] == keys.current_key().multibase
    assert methods[1]["publicKeyMultibase"] == settings.BADGE_PREVIOUS_PUBLIC_KEYS[0]
    for method in methods:
        assert method["controller"] == profile["id"]
        assert method["id"].startswith(profile["id"] + "#key-")


def test_each_programme_has_its_achievement_page(client, programme):
    achievement = fetched(f"http://testserver/insignias/logros/{programme.pk}/", client)
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certification"
    assert achievement["criteria"]["narrative"].startswith("Para obtenerlo")
    assert client.get(f"/insignias/logros/{programme.pk + 1}/").status_code == 404


def test_revoke_and_reissue_set_the_bit_in_the_signed_status_list(
    client, agent, teammate, programme, hr, django_capture_on_commit_callbacks
):
    revoked, reissued = certify(agent, programme), certify(teammate, programme)
    first, second = status.index_of(revoked), status.index_of(reissued)
    assert first != second and status.index_of(revoked) == first  # stable

    def bits():
        listed = fetched("http://testserver/insignias/estado/0/", client)
        assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert listed["credentialSubject"]["statusPurpose"] == "revocation"
        assert proof.verify(
            listed, {documents.key_id(keys.current_key()): keys.current_key().public_key}
        )
        encoded = listed["credentialSubject"]["encodedList"]
        return status.is_set(encoded, first), status.is_set(encoded, second)

    assert bits() == (False, False)  # and the signed list is now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(certificate=revoked, actor=hr, reason="Fraude")
    assert bits() == (True, False)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.reissue(certificate=reissued, actor=hr)
    assert bits() == (True, True)
    assert new.status_index is None  # the replacement gets its own index when it is asked for


def test_a_status_list_beyond_the_certificates_is_not_found(client):
    assert client.get("/insignias/estado/5/").status_code == 404


@pytest.mark.parametrize(
    ("state", "verdict", "word"),
    [
        ("valid", "valid", "VALID"),
        ("revoked", "revoked", "NOT VALID"),
        ("expired", "expired", "EXPIRED"),
    ],
)
def test_the_verification_page_offers_the_credential_and_says_what_it_is_worth(
    client, agent, programme, hr, state, verdict, word
):
    certificate = certify(agent, programme, days_ago=400 if state == "expired" else 10)
    if state == "revoked":
        services.revoke(certificate=certificate, actor=hr, reason="Fraude")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("certification:verify", args=[certificate.code]))
    html = response.content.decode()
    assert f'data-verdict="{verdict}"' in html
    assert f'href="{credential_path(certificate)}" download' in html
    assert "Download credential (Open Badges 3.0)" in html
    assert "Signature valid" in html and "Signed with key key-" in html


def test_a_changed_credential_is_tampered_and_one_from_another_key_too(agent, programme, settings):
    credential = documents.credential(certify(agent, programme))
    assert documents.check(credential).verdict == "valid"
    credential["name"] = "Otro programa"
    assert documents.check(credential).verdict == "tampered"
    settings.BADGE_SIGNING_KEY = keys.generate_seed()
    foreign = documents.credential(Certificate.objects.get())
    settings.BADGE_SIGNING_KEY = "dGVzdC1vbmx5LWJhZGdlLWtleS1ub3Qtc2VjcmV0ISE="
    assert documents.check(foreign).verdict == "tampered"


VIEWERS = ["holder", "supervisor", "other_supervisor", "hr", "editor", "anonymous"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_whoever_has_the_code_downloads_the_credential_as_the_verification_page_shows_it(
    request, client_for, agent, programme, viewer
):
    certificate = certify(agent, programme)
    people = {"holder": agent, "anonymous": None}
    client = client_for(people[viewer] if viewer in people else request.getfixturevalue(viewer))
    assert client.get(reverse("certification:verify", args=[certificate.code])).status_code == 200
    response = download(client, certificate)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get("/verificar/no-existe-este-codigo/credencial.json").status_code == 404


def test_the_credential_download_shares_the_verification_rate_limit(
    client, agent, programme, settings
):
    settings.CERTIFICATE_VERIFY_LIMIT = 2
    certificate = certify(agent, programme)
    download(client, certificate)
    download(client, certificate)
    assert client.get(credential_path(certificate)).status_code == 429


def test_the_holder_downloads_their_own_from_my_certificates_and_nobody_else_s(
    client_for, agent, teammate, programme
):
    mine, theirs = certify(agent, programme), certify(teammate, programme)
    html = client_for(agent).get(reverse("certification:mine")).content.decode()
    assert f'href="{credential_path(mine)}" download' in html
    assert theirs.code not in html


def test_the_pdf_gives_the_credential_address(client_for, agent, programme):
    certificate = certify(agent, programme)
    response = client_for(agent).get(reverse("certification:pdf", args=[certificate.code]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Open Badges 3.0" in text
    assert "http://testserver" + credential_path(certificate) in text.replace("\n", "")


def test_with_badges_off_there_are_no_credentials_nor_links(client_for, agent, programme, settings):
    settings.BADGES_ENABLED = False
    certificate = certify(agent, programme)
    client = client_for(agent)
    for path in (credential_path(certificate), "/insignias/emisor/", "/insignias/estado/0/"):
        assert client.get(path).status_code == 404
    verify = client.get(reverse("certification:verify", args=[certificate.code]))
    assert "data-verdict" not in verify.content.decode()
    assert (
        credential_path(certificate)
        not in client.get(reverse("certification:mine")).content.decode()
    )


def test_the_pages_read_a_fixed_number_of_queries(
    client, agent, programme, user_factory, django_assert_max_num_queries
):
    for _ in range(5):
        status.index_of(certify(user_factory(roles=[Role.AGENT]), programme))
    certificate = certify(agent, programme)
    status.index_of(certificate)
    with django_assert_max_num_queries(8):
        download(client, certificate)
    with django_assert_max_num_queries(10):
        client.get(reverse("certification:verify", args=[certificate.code]))
    with django_assert_max_num_queries(3):
        client.get("/insignias/estado/0/")


def test_canonicalisation_never_fetches_a_context_from_the_network():
    document = {"@context": "https://example.com/some-context.jsonld", "name": "x"}
    with pytest.raises(JsonLdError):
        proof.canonical(document)


def test_the_signing_key_reads_as_a_base64_seed_or_a_pem_key(settings):
    from cryptography.hazmat.primitives import serialization

    seed_key = keys.private_from_setting(settings.BADGE_SIGNING_KEY)
    pem = seed_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.BADGE_SIGNING_KEY = pem
    assert keys.current_key().multibase == keys.multibase_public(seed_key.public_key())
    assert keys.current_key().multibase.startswith("z6Mk")
    assert keys.public_from_multibase(keys.current_key().multibase) is not None
    settings.BADGE_SIGNING_KEY = "not a key"
    with pytest.raises(ImproperlyConfigured):
        keys.current_key()
    settings.BADGE_SIGNING_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        keys.current_key()


def test_the_badge_key_command_shows_the_keys_and_makes_a_new_one_for_a_rotation(settings):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("badge_key", stdout=out)
    assert out.getvalue() == f"signing\t{keys.current_key().name}\t{keys.current_key().multibase}\n"
    out = StringIO()
    call_command("badge_key", "--new", stdout=out)
    seed = out.getvalue().splitlines()[0].removeprefix("BADGE_SIGNING_KEY=")
    settings.BADGE_SIGNING_KEY = seed
    assert keys.current_key().multibase in out.getvalue()


def upload(client, document):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(
        reverse("certification:credential_check"),
        {"credential": SimpleUploadedFile("credencial.json", content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_anyone_checks_a_credential_file_valid_changed_or_revoked(client, agent, programme, hr):
    certificate = certify(agent, programme)
    credential = json.loads(download(client, certificate).content)
    assert client.get(reverse("certification:credential_check")).status_code == 200
    response = upload(client, credential)
    assert 'data-verdict="valid"' in response.content.decode()
    assert "Agente certificado" in response.content.decode()
    changed = {**credential, "validUntil": "2099-01-01T00:00:00Z"}
    assert 'data-verdict="tampered"' in upload(client, changed).content.decode()
    services.revoke(certificate=certificate, actor=hr, reason="Fraude")
    assert 'data-verdict="revoked"' in upload(client, credential).content.decode()


def test_a_file_that_is_not_a_credential_is_refused(client):
    assert upload(client, b"not json").status_code == 400
    assert upload(client, {"name": "no context"}).status_code == 400
    assert upload(client, b" " * (65 * 1024)).status_code == 400


def test_a_hostile_file_is_tampered_without_fetching_anything(client, agent, programme):
    credential = json.loads(download(client, certify(agent, programme)).content)
    for context in ("https://attacker.example/context.jsonld", 5, [{"@vocab": 7}]):
        hostile = {**credential, "@context": context}
        assert 'data-verdict="tampered"' in upload(client, hostile).content.decode()


@pytest.mark.parametrize("number", ["99999999999999999999", "0"])
def test_out_of_range_numbers_in_badge_addresses_are_not_found(client, number):
    assert client.get(f"/insignias/logros/{number}/").status_code == 404
    if number != "0":
        assert client.get(f"/insignias/estado/{number}/").status_code == 404
