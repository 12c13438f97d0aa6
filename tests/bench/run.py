"""`make bench`: the site under gunicorn with production settings, PostgreSQL and Redis, loaded
from a separate process (locust, tests/bench/locustfile.py), every figure a ratio to the floor
view measured in the same run. Prints a table and writes every figure to BENCH_OUT (JSON).

Environment (all optional):
  DATABASE_URL      PostgreSQL to build and serve (default: actitud_bench, or actitud_bench_0_1
                    for BENCH_SCALE=0.1, which the bench creates; the volume is built once and
                    kept for later runs)
  REDIS_URL         default redis://127.0.0.1:6379/8
  BENCH_SCALE       1 = 10,000 agents (default); 0.1 = the quick run
  BENCH_PORT        default 8801; BENCH_WORKERS gunicorn sync workers, default 2
  BENCH_PEER_URLS   other sites' pages measured in the same run, "name=url name=url"
  BENCH_OUT         default bench-results.json
  BENCH_RESEED=1    drop the database and build it again
Volume: `manage.py seed_demo`, then `manage.py seed_scale --scale BENCH_SCALE`; on top, the
bench's own cast (an HR person, a supervisor of a team of 100 agents with evidence and
certificates, agents who submit) whose sessions the load uses.
"""

import contextlib
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
QUICK = SCALE < 1
PORT = int(os.environ.get("BENCH_PORT", "8801"))
HOST = f"http://127.0.0.1:{PORT}"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench-results.json"))
LOCUST = Path(os.environ.get("BENCH_LOCUST", ROOT / ".venv-bench/bin/locust"))
PASSWORD = "bench-" + secrets.token_urlsafe(12)
TEAM_SIZE = 100

# One database per scale, so the quick run never measures the full run's volume (or the reverse).
DATABASE = "actitud_bench" if SCALE == 1 else f"actitud_bench_{SCALE:g}".replace(".", "_")
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DATABASE}")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
ENV = {
    "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + secrets.token_urlsafe(40),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": HOST,
    # Plain HTTP to 127.0.0.1: production's HTTPS redirect, HSTS and secure cookies are read
    # from the environment, and turned off here only.
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    # One client address sends every request: the per-address limit of the public
    # verification page would refuse the bench, not a person.
    "CERTIFICATE_VERIFY_LIMIT": "1000000",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone


def log(message):
    print(message, flush=True)


# --- database and volume -------------------------------------------------------------------


def ensure_database():
    import psycopg

    params = settings.DATABASES["default"]
    admin = psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    if os.environ.get("BENCH_RESEED") == "1":
        admin.execute(f'DROP DATABASE IF EXISTS "{params["NAME"]}" WITH (FORCE)')
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]])
    if not exists.fetchone():
        admin.execute(f'CREATE DATABASE "{params["NAME"]}"')
        log(f"Created database {params['NAME']}")
    admin.close()


def seeded(key):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (key text PRIMARY KEY)")
        cursor.execute("SELECT 1 FROM bench_seed WHERE key = %s", [key])
        return cursor.fetchone() is not None


def mark_seeded(key):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_seed VALUES (%s) ON CONFLICT DO NOTHING", [key])


def seed():
    started = time.perf_counter()
    # Every run brings the schema up to date (the code may have gained migrations since the
    # volume was built); the evidence is recomputed only on a new database.
    call_command("migrate", verbosity=0)
    if not seeded("migrated"):
        call_command("recompute_evidence", verbosity=0)
        mark_seeded("migrated")
    if not seeded("demo"):
        call_command("seed_demo", force=True, verbosity=0)
        mark_seeded("demo")
    key = f"seed_scale:{SCALE:g}"
    if not seeded(key):
        log(f"Volume: manage.py seed_scale --scale {SCALE:g} (10,000 agents at 1)")
        call_command("seed_scale", scale=SCALE, force=True)
        mark_seeded(key)
    cast = bench_cast()
    log(f"Data ready in {time.perf_counter() - started:.0f} s ({volume_summary()})")
    return cast


def volume_summary():
    from attitude.models import Evidence
    from certification.models import Certificate
    from people.models import User
    from quizzes.models import Attempt

    return (
        f"{User.objects.count():,} people, {Evidence.objects.count():,} evidence rows, "
        f"{Certificate.objects.count():,} certificates, {Attempt.objects.count():,} attempts"
    )


def bench_cast():
    """The people the load signs in as: made once, their password (one hash for all, so no
    run hashes hundreds of passwords) and sessions anew every run."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from allauth.account.models import EmailAddress

    from attitude.models import Evidence, EvidenceRecord, ServiceDimension
    from certification.models import Certificate, Programme
    from courses.models import CoursePage
    from courses.services import assign_course
    from people.models import Membership, Role, Team, User
    from people.services import grant_role
    from quizzes.models import QuizPage
    from scenarios.models import ScenarioPage

    course = CoursePage.objects.live().order_by("path").first()
    quiz = QuizPage.objects.live().descendant_of(course).order_by("path").first()
    if not seeded("cast"):
        team = Team.objects.create(name="Equipo bench")
        hr = User.objects.create(email="bench-hr@bench.test", full_name="RRHH bench")
        grant_role(person=hr, role=Role.HR)
        boss = User.objects.create(email="bench-sup@bench.test", full_name="Supervisora bench")
        grant_role(person=boss, role=Role.SUPERVISOR, team=team)
        people = User.objects.bulk_create(
            User(email=f"bench-{n:03d}@bench.test", full_name=f"Agente bench {n:03d}")
            for n in range(TEAM_SIZE)
        )
        Group.objects.get(name=Role.AGENT).user_set.add(*people)
        Membership.objects.bulk_create(Membership(person=a, team=team) for a in people)
        assign_course(
            actor=boss, course=course, team=team, due_on=timezone.localdate(), notify=False
        )
        programme = Programme.objects.order_by("pk").first()
        now = timezone.now()
        Certificate.objects.bulk_create(
            Certificate(person=a, programme=programme, cycle=1, expires_at=now + timedelta(700))
            for a in people
        )
        dimensions = list(ServiceDimension.objects.all())
        records = EvidenceRecord.objects.bulk_create(
            EvidenceRecord(person=a, activity=course, source="quiz", reference=f"b{a.pk}")
            for a in people
        )
        Evidence.objects.bulk_create(
            Evidence(
                record=r, dimension=dimensions[i % len(dimensions)], earned=(i % 5) / 4, possible=1
            )
            for r in records
            for i in range(60)
        )
        mark_seeded("cast")
    # Sessions carry a hash of the password: set the password first, then read the people.
    User.objects.filter(email__regex=r"^bench-[0-9]").update(password=make_password(PASSWORD))
    agents = list(User.objects.filter(email__regex=r"^bench-[0-9]").order_by("email"))
    supervisor = User.objects.get(email="bench-sup@bench.test")
    hr = User.objects.get(email="bench-hr@bench.test")
    # Fresh agents for the submissions of this run: each has the quiz's attempts untouched.
    run = secrets.token_hex(3)
    team = Team.objects.get(name="Equipo bench")
    submitters = User.objects.bulk_create(
        User(email=f"submit-{run}-{n}@bench.test", full_name=f"Envío {n}") for n in range(30)
    )
    Group.objects.get(name=Role.AGENT).user_set.add(*submitters)
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=a, email=a.email, primary=True, verified=True) for a in agents),
        ignore_conflicts=True,
    )

    def session_of(person):
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    main = agents[0]
    certificate = Certificate.objects.filter(person=main).order_by("pk").first()
    scenario = ScenarioPage.objects.live().order_by("path").first()
    from courses.models import LessonPage

    lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()
    peers = []
    for item in os.environ.get("BENCH_PEER_URLS", "").split():
        name, _, url = item.rpartition("=")
        peers.append((name or url, url))
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "password": PASSWORD,
        "sessions": {
            "agent": session_of(main),
            "supervisor": session_of(supervisor),
            "hr": session_of(hr),
        },
        "submitters": [session_of(s) for s in submitters],
        "throughput_agents": [session_of(a) for a in agents[1:33]],
        "mixed_agents": [a.email for a in agents[1:]],
        "peers": peers,
        "team": team.pk,
        "urls": {
            "floor": "/__floor__/",
            "login": "/cuenta/login/",
            "my_learning": "/aprendizaje/",
            "course": course.url,
            "lesson": lesson.url,
            "quiz": quiz.url,
            "submit_quiz": quiz.url,
            "scenario": scenario.url,
            "team": "/equipo/",
            "agent_detail": f"/equipo/agentes/{agents[1].pk}/",
            "hr_dashboard": "/rrhh/panel/",
            "hr_certificates": "/rrhh/certificados/",
            "certificate_pdf": f"/certificados/{certificate.code}/pdf/",
            "verify": f"/verificar/{certificate.code}/",
        },
    }


# --- servers -------------------------------------------------------------------------------


def start(command, logfile, **kwargs):
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=open(logfile, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **kwargs,
    )


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def serve(logdir):
    call_command("collectstatic", interactive=False, verbosity=0)
    gunicorn = start(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
        ],
        logdir / "gunicorn.log",
    )
    for _ in range(120):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(HOST + "/__floor__/", timeout=2).read()
            return gunicorn
        if gunicorn.poll() is not None:
            break
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not start: see {logdir / 'gunicorn.log'}")


def workers_of(master):
    path = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [int(pid) for pid in path.read_text().split()]


def status_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


# --- load ----------------------------------------------------------------------------------


def locust(phase, fixtures, logdir, users=1, seconds=None, extra_env=None):
    samples = logdir / f"samples-{phase}-{time.monotonic_ns()}.jsonl"
    env = {
        **os.environ,
        "BENCH_PHASE": phase,
        "BENCH_FIXTURES": str(fixtures),
        "BENCH_SAMPLES": str(samples),
        **(extra_env or {}),
    }
    command = [
        str(LOCUST),
        "-f",
        str(ROOT / "tests/bench/locustfile.py"),
        "--headless",
        "--host",
        HOST,
        "-u",
        str(users),
        "-r",
        str(env.get("BENCH_SPAWN", users)),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
    ]
    if seconds:
        command += ["--run-time", f"{seconds}s"]
    started = time.perf_counter()
    with open(logdir / f"locust-{phase}.log", "a") as out:
        subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=(seconds or 900) + 120,
            check=False,
        )
    elapsed = time.perf_counter() - started
    lines = samples.read_text().splitlines() if samples.exists() else []
    rows = [json.loads(line) for line in lines]
    return rows, elapsed


def percentile(values, q):
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def summarise(rows, seconds=None):
    by_name = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    result = {}
    for name, group in by_name.items():
        ok = [r for r in group if not r["error"]]
        times = [r["ms"] for r in ok]
        queries = [int(r["queries"]) for r in ok if r["queries"] is not None]
        cpu = [float(r["cpu_ms"]) for r in ok if r["cpu_ms"] is not None]
        span = seconds or (max(r["t"] for r in group) - min(r["t"] for r in group)) or 1
        result[name] = {
            "requests": len(group),
            "errors": len(group) - len(ok),
            "error_examples": sorted({r["error"] for r in group if r["error"]})[:3],
            "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99),
            "req_per_s": len(ok) / span,
            "queries": statistics.median(queries) if queries else None,
            "queries_max": max(queries) if queries else None,
            "cpu_ms": statistics.median(cpu) if cpu else None,
        }
    return result


def exports(cast, gunicorn):
    """Each export once, by HR, through the same gunicorn: its time and the worker's peak
    resident memory while producing it (the peak is reset before each request)."""
    results = {}
    cookie = f"{cast['session_cookie']}={cast['sessions']['hr']}"
    for fmt in ("csv", "xlsx"):
        url = f"{HOST}/rrhh/certificados/exportar.{fmt}"
        pids = workers_of(gunicorn)
        before = {pid: status_kb(pid, "VmRSS") for pid in pids}
        for pid in pids:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                body = response.read()
                status, queries = response.status, response.headers.get("X-Bench-Queries")
        except OSError as error:
            results[fmt] = {"error": str(error)}
            continue
        seconds = time.perf_counter() - started
        peak = {pid: status_kb(pid, "VmHWM") for pid in pids}
        worker = max(pids, key=lambda pid: peak[pid] - before[pid])
        rows = body.count(b"\n") - 1 if fmt == "csv" else None
        results[fmt] = {
            "status": status,
            "seconds": seconds,
            "bytes": len(body),
            "rows": rows,
            "worker_peak_rss_mb": peak[worker] / 1024,
            "worker_growth_mb": (peak[worker] - before[worker]) / 1024,
            "queries_before_streaming": queries,
        }
    return results


EMAIL_TAG = f"bench-{secrets.token_hex(3)}"


def enqueue_emails(count):
    from django.core.mail import EmailMultiAlternatives

    from people.services import queue_email

    for n in range(count):
        queue_email(
            message=EmailMultiAlternatives(
                subject="Tu curso de las 8:00", body=f"Buenos días ({n}).", to=[f"m{n}@bench.test"]
            ),
            template=EMAIL_TAG,
        )


def emails_sent(tag=EMAIL_TAG):
    from people.models import EmailStatus, OutgoingEmail

    mine = OutgoingEmail.objects.filter(template=tag)
    return mine.filter(status=EmailStatus.SENT).count(), mine.count()


def helper_scripts(logdir):
    """Other helpers' benches (exports, item statistics) run here when they exist."""
    results = {}
    if os.environ.get("BENCH_HELPERS") == "0":
        return results
    for script in ("exports.py", "item_statistics.py", "bench.py"):
        path = ROOT / "tests/bench" / script
        if not path.exists():
            continue
        log(f"Running tests/bench/{script}")
        env = {k: v for k, v in os.environ.items() if k not in ENV}  # their own settings
        done = subprocess.run(
            [sys.executable, str(path)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,
        )
        (logdir / f"{script}.log").write_text(done.stdout + done.stderr)
        results[script] = {"returncode": done.returncode, "output": done.stdout[-4000:]}
        print(done.stdout[-4000:])
    return results


# --- report --------------------------------------------------------------------------------

LEARNER = ["Mi aprendizaje", "course outline", "lesson", "quiz question", "scenario play"]
TARGETS = dict.fromkeys(LEARNER, 15) | {"autosave": 5, "scenario choice": 5}


def table(title, stats, floor=None, header=True):
    log(f"\n{title}")
    if header:
        log(
            f"{'endpoint':<28}{'n':>6}{'err':>5}{'p50 ms':>9}{'p95':>9}{'p99':>9}"
            f"{'req/s':>8}{'queries':>8}{'cpu ms':>8}{'x floor':>9}{'cpu x':>7}  target"
        )
    for name, s in stats.items():
        ratio = cpu_ratio = ""
        if floor and s["p50_ms"] and name != "floor":
            ratio = f"{s['p50_ms'] / floor['p50_ms']:.1f}"
            if s["cpu_ms"] and floor["cpu_ms"]:
                cpu_ratio = f"{s['cpu_ms'] / floor['cpu_ms']:.1f}"
        target = f"≤ {TARGETS[name]}×" if name in TARGETS else ""
        fmt = lambda v, d=1: "" if v is None else f"{v:.{d}f}"  # noqa: E731
        log(
            f"{name:<28}{s['requests']:>6}{s['errors']:>5}{fmt(s['p50_ms']):>9}"
            f"{fmt(s['p95_ms']):>9}{fmt(s['p99_ms']):>9}{fmt(s['req_per_s']):>8}"
            f"{fmt(s['queries'], 0):>8}{fmt(s['cpu_ms']):>8}{ratio:>9}{cpu_ratio:>7}  {target}"
        )


def commit():
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def main():
    begun = time.perf_counter()
    if not LOCUST.exists():
        raise SystemExit(f"{LOCUST} is missing: run `make bench`, which installs it")
    ensure_database()
    cast = seed()
    logdir = Path(tempfile.mkdtemp(prefix="actitud-bench-"))
    fixtures = logdir / "fixtures.json"
    fixtures.write_text(json.dumps(cast))
    results = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "commit": commit(),
        "scale": SCALE,
        "machine": f"{os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
        "gunicorn_workers": WORKERS,
        "volume": volume_summary(),
    }
    gunicorn = serve(logdir)
    worker = None
    try:
        rounds = int(os.environ.get("BENCH_ROUNDS", "10" if QUICK else "25"))
        log(f"Single user, {rounds} interleaved rounds (logs in {logdir})")
        rows, _ = locust("single", fixtures, logdir, extra_env={"BENCH_ROUNDS": str(rounds)})
        single = summarise(rows)
        results["single"] = single
        table("One user, each request right after the floor's", single, single.get("floor"))

        seconds = int(os.environ.get("BENCH_SECONDS", "8" if QUICK else "20"))
        users = int(os.environ.get("BENCH_USERS", "16"))
        targets = ["floor", "lesson", "course outline", "Mi aprendizaje"]
        targets += [name for name, _ in cast["peers"]]
        keys = {"lesson": "lesson", "course outline": "course", "Mi aprendizaje": "my_learning"}
        tp_rounds = 1 if QUICK else 2
        log(f"\n{users} users, {seconds} s per page, {tp_rounds} interleaved round(s)")
        collected = {}
        for _ in range(tp_rounds):
            for target in targets:
                rows, _ = locust(
                    "throughput",
                    fixtures,
                    logdir,
                    users=users,
                    seconds=seconds,
                    extra_env={"BENCH_TARGET": keys.get(target, target)},
                )
                for row in rows:
                    row["name"] = target
                # Only the steady part: from the moment every user is running.
                if rows:
                    t0 = min(r["t"] for r in rows) + 1
                    rows = [r for r in rows if r["t"] >= t0]
                collected.setdefault(target, []).extend(rows)
        throughput = {}
        for rows in collected.values():
            throughput |= summarise(rows, seconds=max(1, (seconds - 1) * tp_rounds))
        results["throughput"] = {"users": users, "seconds": seconds, "stats": throughput}
        table(f"{users} users at once", throughput, throughput.get("floor"))
        peers = [throughput[name]["req_per_s"] for name, _ in cast["peers"] if name in throughput]
        if peers:
            peer = statistics.mean(peers)
            results["throughput"]["peer_mean_req_per_s"] = peer
            for name in LEARNER:
                if name in throughput:
                    ratio = throughput[name]["req_per_s"] / peer
                    results["throughput"].setdefault("vs_peer", {})[name] = ratio
                    log(f"  {name}: {ratio:.2f}× the peers' mean throughput (target ≥ 4×)")

        log("\nExports (one request each, by HR)")
        results["exports"] = exports(cast, gunicorn)
        for fmt, figures in results["exports"].items():
            log(f"  {fmt}: {json.dumps(figures)}")

        mixed_users = int(os.environ.get("BENCH_MIXED_USERS", "20" if QUICK else "50"))
        mixed_seconds = int(os.environ.get("BENCH_MIXED_SECONDS", "30" if QUICK else "60"))
        emails = mixed_users * 4
        enqueue_emails(emails)
        worker = start(
            [sys.executable, "manage.py", "db_worker", "--interval", "1"], logdir / "worker.log"
        )
        relay = start([sys.executable, "manage.py", "relay_tasks", "--loop"], logdir / "relay.log")
        log(
            f"\n8:00 shift start: {mixed_users} agents signing in over 15 s, then reading and "
            f"answering; a supervisor; HR; the worker sending {emails} emails; {mixed_seconds} s"
        )
        rows, _ = locust(
            "mixed",
            fixtures,
            logdir,
            users=mixed_users + 2,
            seconds=mixed_seconds,
            extra_env={"BENCH_SPAWN": str(max(1, (mixed_users + 2) // 15))},
        )
        mixed = summarise(rows, seconds=mixed_seconds)
        sent, queued = emails_sent()
        stop(relay)
        total = sum(s["requests"] for s in mixed.values())
        failed = sum(s["errors"] for s in mixed.values())
        results["mixed"] = {
            "agents": mixed_users,
            "seconds": mixed_seconds,
            "stats": mixed,
            "error_rate": failed / total if total else None,
            "emails_sent": sent,
            "emails_queued": queued,
        }
        table("8:00 mixed load", mixed)
        log(f"  error rate {failed}/{total}; emails sent during the run: {sent} of {queued}")
    finally:
        stop(gunicorn)
        stop(worker)
        OUT.write_text(json.dumps(results, indent=2))  # what was measured, even after a failure
    results["helpers"] = helper_scripts(logdir)
    results["duration_s"] = time.perf_counter() - begun
    OUT.write_text(json.dumps(results, indent=2))
    log(f"\nmake bench took {results['duration_s']:.0f} s; figures in {OUT}")


if __name__ == "__main__":
    main()
