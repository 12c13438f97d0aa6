"""Demo organisation: 3 teams, 3 supervisors, 24 agents, HR, an editor and a superuser.

Idempotent: people are found by email and teams by name, so running it again changes
nothing (passwords are set only when an account is first created).
"""

from django.db import transaction

from allauth.account.models import EmailAddress

from .models import Role, Team, User
from .services import grant_role

DEMO_PASSWORD = "actitud-demo-2026"
DOMAIN = "actitud.demo"

TEAMS = {
    "Equipo Norte": (
        "Marta Ruiz Calvo",
        [
            "Lucía Fernández",
            "Javier Moreno",
            "Carmen Navarro",
            "Diego Romero",
            "Paula Gil",
            "Sergio Ortega",
            "Elena Castro",
            "Raúl Delgado",
        ],
    ),
    "Equipo Sur": (
        "Andrés Molina Vega",
        [
            "Sofía Herrera",
            "Pablo Medina",
            "Irene Vargas",
            "Hugo Ramos",
            "Nuria Iglesias",
            "Álvaro Cortés",
            "Claudia Garrido",
            "Marcos Santana",
        ],
    ),
    "Mostrador Centro": (
        "Beatriz León Pardo",
        [
            "Alba Prieto",
            "Daniel Méndez",
            "Natalia Cabrera",
            "Iván Campos",
            "Lorena Vidal",
            "Adrián Fuentes",
            "Miriam Carrasco",
            "Óscar Pastor",
        ],
    ),
}


def email_for(full_name):
    first, *rest = full_name.lower().split()
    table = str.maketrans("áéíóúñü", "aeiounu")
    return f"{first}.{rest[0]}@{DOMAIN}".translate(table)


def ensure_person(*, email, full_name, role=None, team=None, employee_number="", **flags):
    person, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "employee_number": employee_number, **flags},
    )
    if created:
        person.set_password(DEMO_PASSWORD)
        person.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=person, email=email, defaults={"primary": True, "verified": True}
    )
    if role:
        grant_role(person=person, role=role, team=team)
    return person


@transaction.atomic
def seed(**options):
    """Create the demo organisation and return the accounts to show, as (role, email)."""
    accounts = []
    admin = ensure_person(
        email=f"admin@{DOMAIN}",
        full_name="Administración Actitud",
        is_staff=True,
        is_superuser=True,
    )
    accounts.append(
        (str(Role.HR.label) + " + " + str(Role.EDITOR.label) + " (superuser)", admin.email)
    )
    hr = ensure_person(email=f"rrhh@{DOMAIN}", full_name="Rocío Sanz Herrero", role=Role.HR)
    accounts.append((Role.HR.label, hr.email))
    editor = ensure_person(
        email=f"editor@{DOMAIN}", full_name="Tomás Aguilar Rey", role=Role.EDITOR
    )
    accounts.append((Role.EDITOR.label, editor.email))

    number = 1000
    for team_name, (supervisor_name, agent_names) in TEAMS.items():
        team, _ = Team.objects.get_or_create(name=team_name)
        number += 1
        supervisor = ensure_person(
            email=email_for(supervisor_name),
            full_name=supervisor_name,
            role=Role.SUPERVISOR,
            team=team,
            employee_number=f"E-{number}",
        )
        accounts.append((f"{Role.SUPERVISOR.label} · {team_name}", supervisor.email))
        for index, name in enumerate(agent_names):
            number += 1
            agent = ensure_person(
                email=email_for(name),
                full_name=name,
                role=Role.AGENT,
                team=team,
                employee_number=f"E-{number}",
            )
            if index == 0:
                accounts.append((f"{Role.AGENT.label} · {team_name}", agent.email))
    return accounts
