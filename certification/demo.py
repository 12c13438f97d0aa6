"""The demo programme and agents in varied certification states."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage
from people.models import User

from .models import Certificate, CertificateEvent, CoachingNote, NoteKind, Programme, Retake

PROGRAMME = "Agente certificado en servicio al cliente"
# email → how many days ago the certificate was issued (a 12-month programme)
STATES = {
    "javier.moreno@actitud.demo": 60,  # valid
    "carmen.navarro@actitud.demo": 350,  # expiring within 30 days
    "sofia.herrera@actitud.demo": 400,  # expired
    "alba.prieto@actitud.demo": 20,  # valid
}
# (agent, supervisor, kind, text, days ago read or None, follow-up in days or None)
NOTES = [
    (
        "lucia.fernandez@actitud.demo",
        "marta.ruiz@actitud.demo",
        NoteKind.SHARED,
        "Muy bien al escuchar al cliente del cobro duplicado sin interrumpirle. Para la "
        "próxima: confirma al final que ha quedado todo resuelto.",
        None,
        None,
    ),
    (
        "diego.romero@actitud.demo",
        "marta.ruiz@actitud.demo",
        NoteKind.SHARED,
        "Has mejorado mucho el tono en las llamadas difíciles. ¡Sigue así!",
        2,
        None,
    ),
    (
        "diego.romero@actitud.demo",
        "marta.ruiz@actitud.demo",
        NoteKind.PRIVATE,
        "Repasar con él el cierre de llamadas: a veces cuelga sin despedirse.",
        None,
        0,
    ),
]


@transaction.atomic
def seed(**options):
    programme, created = Programme.objects.get_or_create(
        name=PROGRAMME,
        defaults={
            "description": "Los cuatro cursos completados, cada evaluación con un 70 % o más "
            "y una actitud global del 60 % o más.",
            "min_quiz_percent": 70,
            "min_attitude_percent": 60,
            "validity_months": 12,
        },
    )
    if created:
        programme.courses.set(CoursePage.objects.live())
        programme.save()
        programme.save_revision()
    now = timezone.now()
    for email, days_ago in STATES.items():
        person = User.objects.filter(email=email).first()
        if person is None or Certificate.objects.filter(person=person).exists():
            continue
        issued = now - timedelta(days=days_ago)
        certificate = Certificate.objects.create(
            person=person,
            programme=programme,
            issued_at=issued,
            expires_at=programme.expiry_for(issued),
        )
        CertificateEvent.objects.create(certificate=certificate, action="issued", at=issued)
    people = {
        p.email: p for p in User.objects.filter(email__in={n[i] for n in NOTES for i in (0, 1)})
    }
    for agent, author, kind, text, read_days_ago, follow_up_days in NOTES:
        if agent not in people or author not in people:
            continue
        CoachingNote.objects.get_or_create(
            person=people[agent],
            author=people[author],
            text=text,
            defaults={
                "kind": kind,
                "acknowledged_at": None
                if read_days_ago is None
                else now - timedelta(days=read_days_ago),
                "follow_up_on": None
                if follow_up_days is None
                else timezone.localdate() + timedelta(days=follow_up_days),
            },
        )
    _seed_retake(people)
    return []


def _seed_retake(people):
    """Marta has asked Lucía to repeat her latest role-play within a week (an open request:
    Lucía has not played it again since)."""
    from scenarios.models import Run

    agent = people.get("lucia.fernandez@actitud.demo")
    author = people.get("marta.ruiz@actitud.demo")
    if agent is None or author is None or Retake.objects.filter(person=agent).exists():
        return
    run = Run.objects.filter(person=agent, finished_at__isnull=False).order_by("-finished_at")
    if (latest := run.first()) is not None:
        Retake.objects.create(
            person=agent,
            step_id=latest.scenario_id,
            requested_by=author,
            due_on=timezone.localdate() + timedelta(days=7),
        )
