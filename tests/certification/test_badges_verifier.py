"""Open Badges 3.0 credentials checked by a verifier the project did not write (Digital
Bazaar's vc, data-integrity, eddsa-rdfc-2022 and bitstring status list libraries, under
Node): a credential verifies; changed after signing it does not; after revoke() (or a
reissue) the status list says revoked; an expired one fails as expired; a demo
certificate's verifies; a credential signed before a key rotation still verifies while the
old public key stays listed. Node runs once for the module: the credentials and the
documents the site served at each moment are made first, in a transaction rolled back at
the end, then verified in one batch."""

import copy
from datetime import timedelta

from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

import pytest

from certification import demo, services
from certification.credentials import documents, keys
from certification.models import Certificate, Programme
from people.models import User

from .badges import site_documents, verify_independently

# The marker has the test database made; the checks themselves read only `outcome`.
pytestmark = pytest.mark.django_db

OLD_KEY = "b2xkLWJhZGdlLWtleS1mb3ItdGhlLXJvdGF0aW9uLXQ="
NEW_KEY = "bmV3LWJhZGdlLWtleS1mb3ItdGhlLXJvdGF0aW9uLXQ="


def _person(email, name):
    return User.objects.create_user(email=email, password="x" * 12, full_name=name)


def _certificate(person, programme, *, days_ago=10):
    issued = timezone.now() - timedelta(days=days_ago)
    return Certificate.objects.create(
        person=person,
        programme=programme,
        issued_at=issued,
        expires_at=programme.expiry_for(issued),
    )


def _check(name, credential, **extra):
    return {
        "name": name,
        "credential": credential,
        "documents": site_documents(credential),
        **extra,
    }


def _scenarios():
    """The checks to run, and what the site said about each (documents.check)."""
    programme = Programme.objects.create(
        name="Agente certificado", validity_months=12, min_attitude_percent=60
    )
    lucia = _person("lucia@example.com", "Lucía Fernández")
    valid = documents.credential(_certificate(lucia, programme))
    checks = [_check("valid", valid)]

    renamed = copy.deepcopy(valid)
    renamed["credentialSubject"]["identifier"][1]["identityHash"] = "Otra Persona"
    later = copy.deepcopy(valid)
    later["validUntil"] = later["validUntil"].replace(later["validUntil"][:4], "2099")
    checks += [_check("tampered_name", renamed), _check("tampered_date", later)]

    revoked_certificate = _certificate(_person("diego@example.com", "Diego Romero"), programme)
    revoked = documents.credential(revoked_certificate)
    checks.append(_check("before_revoke", revoked))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.revoke(certificate=revoked_certificate, actor=None, reason="Fraude")
    checks.append(_check("revoked", revoked))

    reissued_certificate = _certificate(_person("alba@example.com", "Alba Prieto"), programme)
    reissued = documents.credential(reissued_certificate)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.reissue(certificate=reissued_certificate, actor=None)
    checks.append(_check("reissued_old", reissued))

    expired = _certificate(_person("sofia@example.com", "Sofía Herrera"), programme, days_ago=400)
    checks.append(_check("expired", documents.credential(expired)))

    _person("javier.moreno@actitud.demo", "Javier Moreno")
    demo.seed()
    demo_certificate = Certificate.objects.get(person__email="javier.moreno@actitud.demo")
    checks.append(_check("demo", documents.credential(demo_certificate)))

    rotated_certificate = _certificate(_person("marta@example.com", "Marta Ruiz"), programme)
    with override_settings(BADGE_SIGNING_KEY=OLD_KEY, BADGE_PREVIOUS_PUBLIC_KEYS=[]):
        old_signed = documents.credential(rotated_certificate)
        old_public = keys.current_key().multibase
    with override_settings(BADGE_SIGNING_KEY=NEW_KEY, BADGE_PREVIOUS_PUBLIC_KEYS=[old_public]):
        checks.append(_check("rotated_listed", old_signed))
        listed_on_site = documents.check(old_signed).verdict
    with override_settings(BADGE_SIGNING_KEY=NEW_KEY, BADGE_PREVIOUS_PUBLIC_KEYS=[]):
        checks.append(_check("rotated_unlisted", old_signed))
        unlisted_on_site = documents.check(old_signed).verdict

    site = {check["name"]: documents.check(check["credential"]).verdict for check in checks}
    site["rotated_listed"], site["rotated_unlisted"] = listed_on_site, unlisted_on_site
    return checks, site


@pytest.fixture(scope="module")
def outcome(django_db_setup, django_db_blocker):
    """({name: the independent verifier's result}, {name: the site's verdict})."""
    with django_db_blocker.unblock(), transaction.atomic():
        checks, site = _scenarios()
        transaction.set_rollback(True)
    return verify_independently(checks), site


def test_a_credential_verifies_with_the_independent_verifier(outcome):
    results, site = outcome
    assert results["valid"] == {
        "verified": True,
        "error": None,
        "status": {"checked": True, "revoked": False, "error": None},
    }
    assert site["valid"] == "valid"


@pytest.mark.parametrize("change", ["tampered_name", "tampered_date"])
def test_a_credential_changed_after_signing_fails(outcome, change):
    results, site = outcome
    assert results[change]["verified"] is False
    error = results[change]["error"].lower()
    assert "signature" in error or "proof" in error
    assert site[change] == "tampered"


def test_after_revoke_the_status_list_says_revoked_and_the_credential_fails(outcome):
    results, site = outcome
    assert results["before_revoke"]["verified"] is True
    assert results["before_revoke"]["status"]["revoked"] is False
    assert results["revoked"]["verified"] is False
    assert results["revoked"]["status"] == {"checked": True, "revoked": True, "error": None}
    assert "revoked" in results["revoked"]["error"]
    assert site["revoked"] == "revoked"


def test_a_reissue_revokes_the_old_credential(outcome):
    results, site = outcome
    assert results["reissued_old"]["status"]["revoked"] is True
    assert results["reissued_old"]["verified"] is False
    assert site["reissued_old"] == "revoked"


def test_an_expired_credential_fails_as_expired_not_as_tampered(outcome):
    results, site = outcome
    assert results["expired"]["verified"] is False
    assert "validUntil" in results["expired"]["error"]
    assert results["expired"]["status"]["revoked"] is False
    assert site["expired"] == "expired"


def test_a_demo_certificate_credential_verifies(outcome):
    results, site = outcome
    assert results["demo"]["verified"] is True, results["demo"]["error"]
    assert site["demo"] == "valid"


def test_a_credential_signed_before_a_key_rotation_verifies_while_the_old_key_is_listed(outcome):
    results, site = outcome
    assert results["rotated_listed"]["verified"] is True, results["rotated_listed"]["error"]
    assert site["rotated_listed"] == "valid"
    assert results["rotated_unlisted"]["verified"] is False
    assert site["rotated_unlisted"] == "tampered"
