"""Certificate state changes racing each other (real threads on PostgreSQL): exactly one
outcome, and a revoke wins over a reissue."""

from datetime import timedelta

from django.utils import timezone

import pytest

from certification import services
from certification.lifecycle import handle_expired
from certification.models import Certificate, CertificateEvent, Programme
from tests.threads import race

requires_postgresql = pytest.mark.postgresql  # SQLite serialises writers
TRIALS = 10


@pytest.fixture
def programme(course_factory):
    programme = Programme.objects.create(name="Agente certificado", validity_months=12)
    programme.courses.set([course_factory(title="Cortesía", slug="cortesia", lessons=1)])
    programme.save()
    return programme


def fresh(pk):
    """Each request loads its own copy of the certificate, as a view does."""
    return lambda: Certificate.objects.get(pk=pk)


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_revoke_racing_a_reissue_leaves_no_valid_certificate(agent, hr, programme):
    failed = []
    for trial in range(TRIALS):
        original = Certificate.objects.create(
            person=agent, programme=programme, cycle=100 * (trial + 1),
            expires_at=timezone.now() + timedelta(days=300),
        )  # fmt: skip
        load = fresh(original.pk)
        outcomes = race(
            lambda load=load: services.reissue(certificate=load(), actor=hr),
            lambda load=load: services.revoke(certificate=load(), actor=hr, reason="Fraude"),
        )
        errors = [o for o in outcomes
                  if isinstance(o, Exception) and not isinstance(o, services.NotValid)]  # fmt: skip
        valid = Certificate.objects.filter(person=agent).current().count()
        if errors or valid:
            failed.append((trial, valid, errors))
        Certificate.objects.filter(person=agent).update(revoked_at=timezone.now())
    assert failed == [], f"{len(failed)} of {TRIALS} trials left a valid certificate or failed"


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_reissues_leave_exactly_one_valid_replacement(agent, hr, programme):
    failed = []
    for trial in range(TRIALS):
        original = Certificate.objects.create(
            person=agent, programme=programme, cycle=100 * (trial + 1),
            expires_at=timezone.now() + timedelta(days=300),
        )  # fmt: skip
        load = fresh(original.pk)
        outcomes = race(*[lambda load=load: services.reissue(certificate=load(), actor=hr)] * 4)
        new = [o for o in outcomes if isinstance(o, Certificate)]
        refused = [o for o in outcomes if isinstance(o, services.NotValid)]
        valid = list(Certificate.objects.filter(person=agent).current())
        revocations = CertificateEvent.objects.filter(certificate=original, action="revoked")
        if not (len(new) == 1 and len(refused) == 3 and valid == new
                and revocations.count() == 1):  # fmt: skip
            failed.append((trial, len(valid), outcomes))
        Certificate.objects.filter(person=agent).update(revoked_at=timezone.now())
    assert failed == [], f"{len(failed)} of {TRIALS} trials did not end with one replacement"


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_revokes_record_one_revocation(agent, hr, programme):
    failed = []
    for trial in range(TRIALS):
        original = Certificate.objects.create(
            person=agent, programme=programme, cycle=100 * (trial + 1),
            expires_at=timezone.now() + timedelta(days=300),
        )  # fmt: skip
        load = fresh(original.pk)
        outcomes = race(
            *[lambda load=load: services.revoke(certificate=load(), actor=hr, reason="Fraude")] * 3
        )
        revocations = CertificateEvent.objects.filter(certificate=original, action="revoked")
        if sum(isinstance(o, Certificate) for o in outcomes) != 1 or revocations.count() != 1:
            failed.append((trial, revocations.count(), outcomes))
    assert failed == [], f"{len(failed)} of {TRIALS} trials recorded more than one revocation"


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_expiry_racing_a_revoke_or_itself_handles_each_certificate_once(agent, hr, programme):
    failed = []
    for trial in range(TRIALS):
        original = Certificate.objects.create(
            person=agent, programme=programme, cycle=100 * (trial + 1),
            expires_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip
        load = fresh(original.pk)
        outcomes = race(
            handle_expired,
            handle_expired,
            lambda load=load: services.revoke(certificate=load(), actor=hr, reason="Fraude"),
        )
        errors = [o for o in outcomes if isinstance(o, Exception)]
        events = CertificateEvent.objects.filter(certificate=original)
        expired = events.filter(action="expired").count()
        revoked = events.filter(action="revoked").count()
        if errors or expired > 1 or revoked != 1:
            failed.append((trial, expired, revoked, errors))
        Certificate.objects.filter(pk=original.pk).update(revoked_at=timezone.now())
    assert failed == [], f"{len(failed)} of {TRIALS} trials: an error or a double outcome"


def test_a_revoked_certificate_cannot_be_reissued_or_revoked_again(agent, hr, programme):
    certificate = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=30)
    )
    stale = Certificate.objects.get(pk=certificate.pk)
    services.revoke(certificate=certificate, actor=hr, reason="Fraude")
    with pytest.raises(services.NotValid):
        services.reissue(certificate=stale, actor=hr)
    with pytest.raises(services.NotValid):
        services.revoke(certificate=stale, actor=hr, reason="Otra vez")
    assert Certificate.objects.count() == 1


def test_a_revoke_that_arrives_after_a_reissue_revokes_the_replacement(agent, hr, programme):
    certificate = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=30)
    )
    seen_by_hr = Certificate.objects.get(pk=certificate.pk)  # the revoke page, opened earlier
    replacement = services.reissue(certificate=certificate, actor=hr)
    revoked = services.revoke(certificate=seen_by_hr, actor=hr, reason="Fraude")
    assert revoked == replacement and replacement.replaces == certificate
    assert not Certificate.objects.current().exists()
    assert revoked.events.filter(action="revoked", detail="Fraude").exists()
