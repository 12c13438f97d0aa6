"""`make bench`: the dashboards, the profile and the exports on generated volume, timed, with
the export's memory measured. Not part of `make test` (timings belong here, not in tests).

Volume: 1,000 agents in 10 teams, each with an assignment, five certificates and 60 evidence items
(60,000 evidence rows). Targets, on this machine kind (2 cores): each page under 500 ms,
and the CSV export's peak memory the same for 1,000 and 5,000 rows (within 1 MB).
"""

import os
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

TEAMS, PER_TEAM, EVIDENCE = 10, 100, 60
TARGET_MS = 500
IMPORT_TARGET_S = 60  # the largest CSV import HR may upload, applied by the background task


def build():
    from attitude.models import Evidence, EvidenceRecord, ServiceDimension
    from certification.models import Certificate, Programme
    from courses.demo import seed as seed_courses
    from courses.models import CoursePage
    from courses.services import assign_course
    from people.models import Membership, Role, Team, User
    from people.services import grant_role

    call_command("migrate", verbosity=0)
    seed_courses()
    course = CoursePage.objects.live().first()
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course])
    programme.save()
    dimensions = list(ServiceDimension.objects.all())
    hr = User.objects.create_user(email="rrhh@bench.test", password="x", full_name="RRHH")
    grant_role(person=hr, role=Role.HR)
    supervisor = None
    now = timezone.now()
    for t in range(TEAMS):
        team = Team.objects.create(name=f"Equipo {t:02d}")
        boss = User.objects.create_user(email=f"sup{t}@bench.test", password="x", full_name=f"S{t}")
        grant_role(person=boss, role=Role.SUPERVISOR, team=team)
        supervisor = supervisor or boss
        agents = User.objects.bulk_create(
            User(email=f"a{t}-{n}@bench.test", full_name=f"Agente {t}-{n}") for n in range(PER_TEAM)
        )
        group = Role.AGENT
        from django.contrib.auth.models import Group

        Group.objects.get(name=group).user_set.add(*agents)
        Membership.objects.bulk_create(Membership(person=a, team=team) for a in agents)
        assign_course(
            actor=boss, course=course, team=team, due_on=timezone.localdate(), notify=False
        )
        Certificate.objects.bulk_create(  # five cycles each, so exports reach 5,000 rows
            Certificate(
                person=a, programme=programme, cycle=c,
                expires_at=now + timedelta(days=1 + (n + c) % 400),
            )
            for n, a in enumerate(agents)
            for c in range(1, 6)
        )  # fmt: skip
        records = EvidenceRecord.objects.bulk_create(
            EvidenceRecord(person=a, activity=course, source="quiz", reference=f"r{a.pk}")
            for a in agents
        )
        Evidence.objects.bulk_create(
            Evidence(record=r, dimension=dimensions[i % 10], earned=(i % 7) / 6, possible=1)
            for r in records
            for i in range(EVIDENCE)
        )
    return hr, supervisor, User.objects.filter(email="a0-0@bench.test").get()


def timed(client, url, runs=5):
    client.get(url)  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(times)[len(times) // 2]


def export_peak(client, limit):
    from certification.models import Certificate

    keep = Certificate.objects.order_by("pk").values_list("pk", flat=True)[:limit]
    Certificate.objects.exclude(pk__in=list(keep)).update(revoked_at=timezone.now())
    tracemalloc.start()
    response = client.get("/rrhh/certificados/exportar.csv", {"status": "vigente"})
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    Certificate.objects.update(revoked_at=None)
    return rows, peak


def import_seconds(hr, team):
    """Seconds the background task takes to apply the largest CSV import the upload allows
    (new people, each with an invitation queued)."""
    from django.conf import settings

    from people.models import PeopleImport
    from people.services import confirm_import, execute_import

    size = settings.PEOPLE_IMPORT_MAX_ROWS
    rows = [f"nuevo{i}@bench.es,Persona {i},{team.name},Agente,B-{i}" for i in range(size)]
    people_import = PeopleImport.objects.create(
        uploaded_by=hr,
        filename="plantilla.csv",
        content="email,nombre,equipo,rol,número de empleado\n" + "\n".join(rows),
        encoding="utf-8",
    )
    start = time.perf_counter()
    confirm_import(people_import=people_import, by=hr)  # the test settings run tasks at once
    execute_import(import_id=people_import.pk)  # a no-op when the task already applied it
    seconds = time.perf_counter() - start
    people_import.refresh_from_db()
    assert people_import.status == "done", people_import.error
    return size, seconds


def main():
    started = time.perf_counter()
    hr, supervisor, agent = build()
    print(f"Volume built in {time.perf_counter() - started:.0f} s: {TEAMS * PER_TEAM} agents")
    results = []
    client = Client()
    client.force_login(hr)
    for label, url in [
        ("HR dashboard", "/rrhh/panel/"),
        ("HR certificates (page 1 of 100)", "/rrhh/certificados/"),
        ("Assignments of all teams (HR)", "/aprendizaje/asignaciones/"),
    ]:
        results.append((label, timed(client, url)))
    client.force_login(supervisor)
    results.append(("Mi equipo (100 members)", timed(client, "/equipo/")))
    client.force_login(agent)
    results.append(("Mi perfil", timed(client, "/perfil/")))
    results.append(("Mi aprendizaje", timed(client, "/aprendizaje/")))
    failed = False
    for label, ms in results:
        ok = ms < TARGET_MS
        failed |= not ok
        print(
            f"{'ok ' if ok else 'SLOW'} {label:<34} {ms:7.1f} ms (median of 5; target {TARGET_MS})"
        )
    client.force_login(hr)
    small = export_peak(client, 1000)
    large = export_peak(client, 5000)
    growth = (large[1] - small[1]) / 1024 / 1024
    flat = growth < 1
    failed |= not flat
    print(
        f"{'ok ' if flat else 'GROW'} CSV export peak memory: {small[1] / 1e6:.1f} MB for "
        f"{small[0] - 1} rows, {large[1] / 1e6:.1f} MB for {large[0] - 1} rows "
        f"(growth {growth:+.2f} MB; target under 1)"
    )
    from people.models import Team

    size, seconds = import_seconds(hr, Team.objects.order_by("pk").first())
    ok = seconds < IMPORT_TARGET_S
    failed |= not ok
    print(
        f"{'ok ' if ok else 'SLOW'} CSV import of {size} people: {seconds:.1f} s "
        f"(target under {IMPORT_TARGET_S})"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
