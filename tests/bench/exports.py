"""HR certificate exports on volume: seconds, CPU seconds, queries and peak memory of the
worker for 10,000 and 100,000 rows, as CSV and XLSX. Not part of `make test`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/actitud_exports \\
        .venv/bin/python tests/bench/exports.py [--sizes 10000 100000] [--formats csv xlsx]

The first run seeds what is missing (100,000 certificates of 20,000 people in two programmes:
10,000 rows in one, 90,000 in the other; every fifth revoked, every third expired; Spanish
names). Each export runs in a fresh process, so its peak RSS (getrusage) is the export's own.
Targets (issue 17): 100,000 rows in at most 10 s as CSV and 20 s as XLSX, worker at most 150 MB.
Prints one line per export; `--json` prints them as JSON for tests/bench/bench.py.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/actitud_exports")
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "120")

SMALL, LARGE = "Bench exportación 10k", "Bench exportación 90k"
HR_EMAIL = "rrhh@bench-exports.test"
TARGETS = {"csv": 10.0, "xlsx": 20.0}
MEMORY_TARGET_MB = 150
NAMES = ["José Núñez", "María Peña", "Íñigo Ibáñez", "Begoña Muñoz", "Raúl Gómez"]


def setup():
    import django

    django.setup()


def seed():
    """Idempotent: creates the bench people and certificates only when they are missing."""
    from django.core.management import call_command

    from certification.models import Certificate, Programme
    from people.models import Role, User
    from people.services import grant_role

    call_command("migrate", verbosity=0)
    hr, created = User.objects.get_or_create(email=HR_EMAIL, defaults={"full_name": "RRHH Bench"})
    if created:
        grant_role(person=hr, role=Role.HR)
    small, _ = Programme.objects.get_or_create(name=SMALL)
    large, _ = Programme.objects.get_or_create(name=LARGE)
    if Certificate.objects.filter(programme__in=[small, large]).count() == 100_000:
        return
    Certificate.objects.filter(programme__in=[small, large]).delete()
    User.objects.filter(email__endswith="@bench-exports.test").exclude(pk=hr.pk).delete()
    people = User.objects.bulk_create(
        (
            User(
                email=f"p{n}@bench-exports.test",
                full_name=f"{NAMES[n % len(NAMES)]} {n}" if n % 97 else f"=HYPERLINK({n})",
            )
            for n in range(20_000)
        ),
        batch_size=5000,
    )
    base = datetime(2025, 1, 1, 23, 30, tzinfo=UTC)  # 23:30 UTC is the next day in Madrid

    def certificate(n, person, programme, cycle):
        issued = base + timedelta(hours=7 * n)
        return Certificate(
            person=person,
            programme=programme,
            cycle=cycle,
            code=f"bench{programme.pk}-{n}",
            issued_at=issued,
            expires_at=issued + timedelta(days=(-30 if n % 3 == 0 else 400)),
            revoked_at=issued + timedelta(days=1) if n % 5 == 0 else None,
        )

    rows = [certificate(n, people[n], small, 1) for n in range(10_000)]
    rows += [
        certificate(10_000 + n * 5 + c, person, large, c + 1)
        for n, person in enumerate(people[2000:])
        for c in range(5)
    ]
    Certificate.objects.bulk_create(rows, batch_size=5000)


def measure(fmt, size):
    """One export in this process: rows, seconds, CPU seconds, queries, peak RSS."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from certification.models import Programme
    from people.models import User

    client = Client()
    client.force_login(User.objects.get(email=HR_EMAIL))
    params = {"programme": Programme.objects.get(name=SMALL).pk} if size <= 10_000 else {}
    url = f"/rrhh/certificados/exportar.{fmt}"
    b"".join(client.get(url, {"q": "nadie-coincide"}).streaming_content)  # warm up
    before = _reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    body = tempfile.TemporaryFile()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        for chunk in response.streaming_content:
            body.write(chunk)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _peak()
    size_bytes = body.tell()
    body.seek(0)
    rows = _xlsx_rows(body) if fmt == "xlsx" else body.read().count(b"\n") - 1  # the header
    return {
        "format": fmt,
        "rows": rows,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "us_per_row": round(cpu / max(rows, 1) * 1e6),
        "queries": len(queries),
        "bytes": size_bytes,
        "peak_rss_mb": round(peak),
        "rss_growth_mb": round(peak - before),
    }


def _reset_peak():
    """Linux: writing 5 to clear_refs resets the process's peak RSS (VmHWM) to its current
    RSS, so the peak read afterwards is the export's. Returns the current RSS in MB."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return _status("VmRSS")


def _peak():
    return _status("VmHWM")


def _status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _xlsx_rows(body):
    from openpyxl import load_workbook

    sheet = load_workbook(body, read_only=True).active
    return sum(1 for _ in sheet.iter_rows(values_only=True)) - 1


def line(result):
    """One export: its time against the target (100,000 rows and more), its queries, and the
    worker's peak memory with the export's own share (an idle worker here is ~140-150 MB:
    Django, Wagtail, reportlab, openpyxl, and numpy when the test dependencies are installed)."""
    target = TARGETS[result["format"]] if result["rows"] >= 100_000 else None
    time_ok = target is None or result["seconds"] <= target
    memory_ok = result["peak_rss_mb"] <= MEMORY_TARGET_MB
    return (
        f"{'ok  ' if time_ok else 'SLOW'} {result['format']:4} {result['rows']:>7} rows "
        f"{result['seconds']:6.2f} s  cpu {result['cpu_seconds']:6.2f} s "
        f"({result['us_per_row']} µs/row)  {result['queries']} queries  "
        f"{'' if memory_ok else 'OVER '}peak RSS {result['peak_rss_mb']} MB "
        f"(export +{result['rss_growth_mb']} MB)"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # fmt size, in a child
    args = parser.parse_args()
    setup()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]))))
        return
    seed()
    results = []
    for size in args.sizes:
        for fmt in args.formats:
            child = subprocess.run(
                [sys.executable, __file__, "--one", fmt, str(size)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "DB_STATEMENT_TIMEOUT": "5"},  # production's, as served
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
            results.append(result)
            if not args.json:
                print(line(result))
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
