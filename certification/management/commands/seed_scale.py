"""manage.py seed_scale: a call-centre-sized organisation on top of the demo content.

Every activity row is a copy of an exemplar made by the real services (start_attempt,
save_answer, submit_attempt; start_run, choose) inside a transaction that is rolled back, so
snapshots, grades, run paths and evidence follow today's rules; the copies are written with
COPY on PostgreSQL and multi-row INSERTs elsewhere, a chunk of agents per transaction.

What a person did is planned per course as a prefix of its steps: the steps done are
completed, each quiz done has failed attempts then a passed one (never more than the quiz
allows), each role-play done has one or more finished runs, and the quiz right after the
prefix may have failed attempts. Only the latest record of each activity counts
(`is_latest`), and only those keep their evidence items: nothing reads a superseded record's
items, and `recompute_evidence` would derive them again from the attempt's answers.
"""

import json
import random
import secrets
import time
from collections import Counter, defaultdict
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from allauth.account.models import EmailAddress

from attitude.models import Evidence, EvidenceRecord
from courses.models import (
    Assignment,
    AssignmentEvent,
    CoursePage,
    Enrolment,
    StepCompletion,
    TeamAssignment,
)
from courses.selectors import live_steps
from people.demo import DEMO_PASSWORD
from people.models import Membership, Role, Team, User
from quizzes.models import Attempt, AttemptAnswer, QuizPage
from scenarios.models import Run, RunStep, ScenarioPage

from ...models import Certificate, CertificateEvent, Programme

DOMAIN = "escala.actitud.test"
AGENTS = 10_000
TEAM_SIZE = 40
CHUNK = 500  # agents per transaction
EXEMPLARS = 16  # per activity

FIRST_NAMES = (
    "Lucía Javier Carmen Diego Paula Sergio Elena Raúl Sofía Pablo Irene Hugo Nuria Álvaro "
    "Claudia Marcos Alba Daniel Natalia Iván Lorena Adrián Miriam Óscar Begoña Íñigo Ana "
    "Begoña Rocío Tomás Andrés Beatriz Manuel Nerea Jorge Ainhoa Rubén Maite Gonzalo Noelia"
).split()
SURNAMES = (
    "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez "
    "Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez "
    "Vázquez Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Ortega Delgado Castro "
    "Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido Cortés Castillo Santos Lozano Guerrero "
    "Cano Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña Flores Cabrera "
    "Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero "
    "Lorenzo Hidalgo Montero Ibáñez Giménez Ferrer Durán Santiago Benítez Mora Vicente Arias "
    "Vargas Carmona Crespo Román Pastor Soto Sáez Velasco Moya Soler Parra Esteban Bravo Gallardo"
).split()


# The tables written per chunk of agents, parents before children, with their columns.
ACTIVITY_TABLES = [
    (Enrolment, "person course started_at last_step last_visited_at completed_at"),
    (StepCompletion, "person step course completed_at"),
    (
        Attempt,
        "id person quiz number started_at deadline submitted_at auto_submitted snapshot score "
        "passed critical_count",
    ),
    (AttemptAnswer, "attempt question_id response saved_at checked score critical"),
    (
        Run,
        "id person scenario number started_at finished_at current_key offered turn snapshot "
        "ending_key outcome score critical",
    ),
    (RunStep, "run position line_key choice_key choice_index token score taken_at"),
    (EvidenceRecord, "id person activity source reference recorded_at is_latest critical_count"),
    (Evidence, "record dimension earned possible"),
    (
        Assignment,
        "id person course due_on note team_assignment assigned_by created_at withdrawn_at "
        "reminded_on overdue_notice_on",
    ),
    (AssignmentEvent, "assignment action actor detail at"),
    (
        Certificate,
        "id person programme cycle code issued_at expires_at revoked_at revoked_reason "
        "revoked_by expiry_warned_on expired_on replaces",
    ),
    (CertificateEvent, "certificate action actor detail at"),
]


class Sink:
    """Writes rows of one model at a time: COPY on PostgreSQL, multi-row INSERTs elsewhere.
    Primary keys are given by the caller (see `take_ids`) so children can point at parents
    written in the same chunk; sequences are moved past them at the end."""

    def __init__(self):
        self.counts = Counter()
        self.next_ids = {}
        self.postgresql = connection.vendor == "postgresql"

    def take_ids(self, model, count):
        if model not in self.next_ids:
            pk = model._meta.pk.column
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX({pk}) FROM {model._meta.db_table}")  # noqa: S608
                self.next_ids[model] = (cursor.fetchone()[0] or 0) + 1
        first = self.next_ids[model]
        self.next_ids[model] += count
        return range(first, first + count)

    def write(self, model, fields, rows):
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(
            connection.ops.quote_name(model._meta.get_field(name).column) for name in fields
        )
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                # SQLite allows 32,766 parameters per statement.
                per_statement = max(1, 30_000 // len(fields))
                for start in range(0, len(rows), per_statement):
                    batch = rows[start : start + per_statement]
                    marks = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(batch))
                    cursor.execute(
                        f"INSERT INTO {table} ({columns}) VALUES {marks}",  # noqa: S608
                        [_sqlite(value) for row in batch for value in row],
                    )
        self.counts[model] += len(rows)

    def reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _sqlite(value):
    """What Django's SQLite backend stores for a value: naive UTC text for datetimes."""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return str(timezone.make_naive(value, UTC) if timezone.is_aware(value) else value)
    return value


class Exemplars:
    """Attempts and runs made by the real services for throw-away people, read back as rows
    and then rolled back: `passed[quiz]`, `failed[quiz]`, `runs[scenario]`."""

    def __init__(self, quizzes, scenarios, rng, count=EXEMPLARS):
        from quizzes import services as quiz_services
        from scenarios import graph as scenario_graph
        from scenarios import services as scenario_services

        self.passed, self.failed, self.runs = defaultdict(list), defaultdict(list), {}
        with transaction.atomic():
            people = iter(
                User.objects.create(email=f"muestra-{n}@{DOMAIN}", full_name="Muestra")
                for n in range(10_000)
            )
            for quiz in quizzes:
                tries = 0
                while (len(self.passed[quiz.pk]) < count // 2 or not self.failed[quiz.pk]) and (
                    tries < 4 * count
                ):
                    person = next(people)  # a fresh person: attempts are limited
                    skill = rng.choice((0.2, 0.5, 0.8, 0.9, 1.0, 1.0))
                    attempt = quiz_services.start_attempt(person=person, quiz=quiz)
                    for question in attempt.questions:
                        quiz_services.save_answer(
                            attempt=attempt,
                            question_id=question["id"],
                            response=_response(question, skill, rng),
                        )
                    attempt = quiz_services.submit_attempt(
                        attempt=attempt, refresh_statistics=False
                    )
                    (self.passed if attempt.passed else self.failed)[quiz.pk].append(
                        _attempt_rows(attempt)
                    )
                    tries += 1
                if not self.passed[quiz.pk]:
                    raise CommandError(f"No exemplar attempt passed quiz {quiz.pk}.")
            for scenario in scenarios:
                self.runs[scenario.pk] = []
                for _ in range(count):
                    run = scenario_services.start_run(person=next(people), scenario=scenario)
                    skill = rng.choice((0.3, 0.7, 0.9, 1.0))
                    while not run.is_finished:
                        line = run.graph["lines"][run.current_key]
                        choices = line["choices"]
                        if rng.random() < skill:
                            choice = max(
                                choices,
                                key=lambda c: (
                                    -1
                                    if c.get("critical")
                                    else scenario_graph.choice_score(line, c) or 0
                                ),
                            )
                        else:
                            choice = rng.choice(choices)
                        run = scenario_services.choose(
                            run=run, line_key=run.current_key, choice_key=choice["key"]
                        )
                    self.runs[scenario.pk].append(_run_rows(run))
            transaction.set_rollback(True)


def _response(question, skill, rng):
    options = question["options"]
    good = rng.random() < skill
    if question["kind"] == "rating":
        return {
            str(o["id"]): (o["expert_rating"] or 1) if good else rng.randint(1, 4) for o in options
        }
    if question["kind"] == "multiple":
        if good:
            return [o["id"] for o in options if o["correct"]]
        return [o["id"] for o in options if rng.random() < 0.5]
    if good:
        return [max(options, key=lambda o: (o["correct"], o["credit"] or 0))["id"]]
    return [rng.choice(options)["id"]]


def _record_rows(source, reference):
    record = EvidenceRecord.objects.get(source=source, reference=reference)
    items = list(record.items.values_list("dimension_id", "earned", "possible"))
    return record.critical_count, items


def _attempt_rows(attempt):
    answers = list(
        attempt.answers.order_by("question_id").values_list(
            "question_id", "response", "checked", "score", "critical"
        )
    )
    return {
        "snapshot": json.dumps(attempt.snapshot),
        "score": attempt.score,
        "passed": attempt.passed,
        "critical_count": attempt.critical_count,
        "answers": [(q, json.dumps(r), c, s, k) for q, r, c, s, k in answers],
        "record": _record_rows("quiz", f"attempt-{attempt.pk}"),
    }


def _run_rows(run):
    steps = list(
        run.steps.order_by("position").values_list(
            "position", "line_key", "choice_key", "choice_index", "score"
        )
    )
    return {
        "snapshot": json.dumps(run.snapshot),
        "current_key": run.current_key,
        "ending_key": run.ending_key,
        "outcome": run.outcome,
        "score": run.score,
        "critical": run.critical,
        "steps": steps,
        "record": _record_rows("scenario", f"run-{run.pk}"),
    }


class Command(BaseCommand):
    help = (
        "Build a large organisation for benchmarks on top of the demo content (run seed_demo "
        "first): by default 10,000 agents in 250 teams with their progress, quiz attempts, "
        "role-play runs, evidence, assignments and certificates. PostgreSQL recommended."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agents", type=int, help=f"Number of agents (default {AGENTS}).")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the default size, e.g. 0.01 for a quick run (100 agents).",
        )
        parser.add_argument("--team-size", type=int, default=TEAM_SIZE)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same data).")
        parser.add_argument(
            "--exemplars",
            type=int,
            default=EXEMPLARS,
            help="Attempts and runs made by the real services per activity, then copied.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off, and replace the people a previous run created.",
        )

    def handle(self, *args, agents=None, scale=1.0, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_scale creates thousands of accounts with the demo password; with DEBUG "
                "off it needs --force."
            )
        agents = agents if agents is not None else max(1, round(AGENTS * scale))
        if not CoursePage.objects.live().exists() or not Programme.objects.exists():
            raise CommandError("No demo content: run manage.py seed_demo first.")
        previous = User.objects.filter(email__endswith=f"@{DOMAIN}")
        if previous.exists():
            if not force:
                raise CommandError(
                    "The database holds a previous seed_scale organisation; --force replaces it."
                )
            started = time.perf_counter()
            previous.delete()
            Team.objects.filter(name__startswith="Escala ").delete()
            elapsed = time.perf_counter() - started
            self.stdout.write(f"  previous organisation removed in {elapsed:.1f} s")
        started = time.perf_counter()
        counts = Generator(
            agents=agents,
            team_size=options["team_size"],
            seed=options["seed"],
            exemplars=options["exemplars"],
            out=self.stdout,
        ).run()
        elapsed = time.perf_counter() - started
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"seed_scale: {agents:,} agents in {elapsed:.1f} s"))


class Generator:
    def __init__(self, *, agents, team_size, seed, exemplars, out):
        self.agents = agents
        self.exemplar_count = exemplars
        self.team_count = max(1, -(-agents // team_size))
        # The organisation (people, progress, assignments, certificates) draws from a stream
        # of its own: the exemplars come from the real services, whose question draws are not
        # seeded, so how many tries they take and how many pass or fail varies from run to
        # run; drawn from the same stream, that changed every later draw, and the same seed
        # gave another organisation (sometimes with no overdue assignment at all).
        self.rng = random.Random(seed)  # noqa: S311 -- reproducible data, not secrets
        self.exemplar_rng = random.Random(seed + 1)  # noqa: S311
        self.copy_rng = random.Random(seed + 2)  # noqa: S311 -- which exemplar each copy is
        self.out = out
        self.sink = Sink()
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()

    def log(self, text):
        self.out.write(f"  {text} ({time.perf_counter() - self.started:.1f} s)")

    def run(self):
        self.started = time.perf_counter()
        if connection.vendor == "postgresql":
            # A chunk's COPY of snapshots takes longer than a page's query may.
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        self.load_content()
        self.exemplars = Exemplars(
            self.quizzes.values(), self.scenarios.values(), self.exemplar_rng, self.exemplar_count
        )
        self.log("exemplar attempts and runs made")
        with transaction.atomic():
            self.make_organisation()
        self.log("teams, supervisors and HR")
        for start in range(0, self.agents, CHUNK):
            with transaction.atomic():
                self.make_agents(range(start, min(self.agents, start + CHUNK)))
            self.log(f"agents {start + 1:,}–{min(self.agents, start + CHUNK):,}")
        self.sink.reset_sequences()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return {model._meta.label: count for model, count in self.sink.counts.items()}

    # Content -------------------------------------------------------------------------------
    def load_content(self):
        self.courses = []
        for course in CoursePage.objects.live().order_by("path"):
            steps = list(
                live_steps(course).only("pk", "path", "is_required", "live", "content_type")
            )
            if steps:
                self.courses.append((course, steps))
        step_ids = [s.pk for _, steps in self.courses for s in steps]
        self.quizzes = {q.pk: q for q in QuizPage.objects.filter(pk__in=step_ids)}
        self.scenarios = {s.pk: s for s in ScenarioPage.objects.filter(pk__in=step_ids)}
        self.programmes = list(Programme.objects.filter(is_active=True).prefetch_related("courses"))
        self.groups = dict(Group.objects.values_list("name", "pk"))
        self.password = make_password(DEMO_PASSWORD)

    # People --------------------------------------------------------------------------------
    def person_rows(self, pks, emails, names, joined, role, numbers=None):
        rows = []
        for index, (pk, email, name) in enumerate(zip(pks, emails, names, strict=True)):
            number = numbers[index] if numbers else ""
            rows.append((pk, self.password, None, False, email, name, number, False, True, joined))
        self.sink.write(
            User,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "email",
                "full_name",
                "employee_number",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            rows,
        )
        self.sink.write(
            EmailAddress,
            ["user", "email", "verified", "primary"],
            [(pk, email, True, True) for pk, email in zip(pks, emails, strict=True)],
        )
        self.sink.write(
            User.groups.through,
            ["user", "group"],
            [(pk, self.groups[role]) for pk in pks],
        )

    def name(self):
        return (
            f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)} "
            f"{self.rng.choice(SURNAMES)}"
        )

    def make_organisation(self):
        joined = self.now - timedelta(days=3 * 365)
        team_ids = self.sink.take_ids(Team, self.team_count)
        self.team_ids = list(team_ids)
        self.sink.write(
            Team,
            ["id", "name", "created_at"],
            [(pk, f"Escala {n + 1:03d}", joined) for n, pk in enumerate(team_ids)],
        )
        supervisors = list(self.sink.take_ids(User, self.team_count))
        self.person_rows(
            supervisors,
            [f"supervisor{n + 1}@{DOMAIN}" for n in range(self.team_count)],
            [self.name() for _ in supervisors],
            joined,
            Role.SUPERVISOR,
        )
        self.supervisor_of = dict(zip(self.team_ids, supervisors, strict=True))
        self.sink.write(
            Team.supervisors.through,
            ["team", "user"],
            list(self.supervisor_of.items()),
        )
        (self.hr,) = self.sink.take_ids(User, 1)
        self.person_rows([self.hr], [f"rrhh@{DOMAIN}"], ["Rocío Escala"], joined, Role.HR)
        # Each team is given two to four of the courses, due between two months ago and two
        # months from now: the assignments of its members follow.
        self.team_assignments = defaultdict(list)
        rows = []
        for team in self.team_ids:
            for course, _ in self.rng.sample(
                self.courses, self.rng.randint(min(2, len(self.courses)), min(4, len(self.courses)))
            ):
                (pk,) = self.sink.take_ids(TeamAssignment, 1)
                due = self.today + timedelta(days=self.rng.randint(-60, 60))
                created = min(
                    self.now - timedelta(days=1), self.now + (due - self.today) - timedelta(days=30)
                )
                rows.append((pk, team, course.pk, due, 30, "", self.supervisor_of[team], created))
                self.team_assignments[team].append((pk, course.pk, due, created))
        self.sink.write(
            TeamAssignment,
            ["id", "team", "course", "due_on", "days_allowed", "note", "assigned_by", "created_at"],
            rows,
        )

    # Agents --------------------------------------------------------------------------------
    def make_agents(self, numbers):
        rng, now = self.rng, self.now
        rows = defaultdict(list)
        pks = list(self.sink.take_ids(User, len(numbers)))
        emails = [f"agente{n + 1}@{DOMAIN}" for n in numbers]
        self.person_rows(
            pks,
            emails,
            [self.name() for _ in pks],
            now - timedelta(days=800),
            Role.AGENT,
            numbers=[f"ESC-{n + 1:06d}" for n in numbers],
        )
        for n, person in zip(numbers, pks, strict=True):
            team = self.team_ids[n % self.team_count]
            joined = now - timedelta(days=rng.randint(30, 3000))
            if rng.random() < 0.1:  # moved once: the previous stay is history
                before = self.team_ids[(n + 1) % self.team_count]
                rows[Membership].append((person, before, joined - timedelta(days=200), joined))
            rows[Membership].append((person, team, joined, None))
            self.agent_activity(person, team, joined, rows)
        self.sink.write(Membership, ["person", "team", "started_at", "ended_at"], rows[Membership])
        for model, fields in ACTIVITY_TABLES:
            self.sink.write(model, fields.split(), rows[model])

    def agent_activity(self, person, team, joined, rows):
        rng = self.rng
        diligence = rng.betavariate(2, 1)  # most people do most of their training
        finisher = rng.random() < diligence  # completes every course
        completed_courses = {}
        for course, steps in self.courses:
            if not finisher and rng.random() > 0.4 + 0.6 * diligence:
                continue  # never opened
            if finisher or rng.random() < diligence / 2:
                done = len(steps)
            else:
                done = rng.randint(0, len(steps) - 1)
            started = joined + timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
            moment = started
            completion = None
            for index, step in enumerate(steps):
                if index > done:
                    break
                moment += timedelta(minutes=rng.randint(3, 90))
                finished = index < done
                if step.pk in self.quizzes:
                    finished = self.quiz_attempts(person, step.pk, moment, finished, rows)
                elif step.pk in self.scenarios and finished:
                    self.scenario_runs(person, step.pk, moment, rows)
                if finished:
                    rows[StepCompletion].append((person, step.pk, course.pk, moment))
            is_complete = all(i < done or not s.counts_for_progress for i, s in enumerate(steps))
            if is_complete:
                completion = moment
                completed_courses[course.pk] = moment
            last = steps[min(done, len(steps) - 1)]
            rows[Enrolment].append((person, course.pk, started, last.pk, moment, completion))
        self.assignments(person, team, completed_courses, rows)
        self.certificates(person, completed_courses, rows)

    def record(self, person, activity, source, reference, at, latest, exemplar, rows):
        (pk,) = self.sink.take_ids(EvidenceRecord, 1)
        critical, items = exemplar["record"]
        rows[EvidenceRecord].append((pk, person, activity, source, reference, at, latest, critical))
        if latest:
            rows[Evidence].extend((pk, dimension, e, p) for dimension, e, p in items)

    def quiz_attempts(self, person, quiz_id, moment, to_pass, rows):
        """Failed attempts, then a passed one when `to_pass`; returns whether it passed."""
        rng = self.copy_rng
        limit = self.quizzes[quiz_id].max_attempts or 3
        failed = self.exemplars.failed[quiz_id]
        if to_pass:
            fails = rng.choice((0, 0, 0, 1, 1, 2))
        else:
            fails = rng.randint(0, min(2, limit))
        fails = min(fails, limit - 1 if to_pass else limit) if failed else 0
        plan = [rng.choice(failed) for _ in range(fails)]
        if to_pass:
            plan.append(rng.choice(self.exemplars.passed[quiz_id]))
        for number, exemplar in enumerate(plan, start=1):
            (pk,) = self.sink.take_ids(Attempt, 1)
            started = moment + timedelta(hours=number - 1)
            submitted = started + timedelta(minutes=rng.randint(4, 25))
            rows[Attempt].append(
                (
                    pk, person, quiz_id, number, started, None, submitted, False,
                    exemplar["snapshot"], exemplar["score"], exemplar["passed"],
                    exemplar["critical_count"],
                )
            )  # fmt: skip
            rows[AttemptAnswer].extend(
                (pk, q, response, submitted, checked, score, critical)
                for q, response, checked, score, critical in exemplar["answers"]
            )
            self.record(
                person, quiz_id, "quiz", f"attempt-{pk}", submitted, number == len(plan),
                exemplar, rows,
            )  # fmt: skip
        return to_pass

    def scenario_runs(self, person, scenario_id, moment, rows):
        rng = self.copy_rng
        count = rng.choice((1, 1, 1, 2, 2, 3))
        for number in range(1, count + 1):
            exemplar = rng.choice(self.exemplars.runs[scenario_id])
            (pk,) = self.sink.take_ids(Run, 1)
            started = moment + timedelta(hours=number - 1)
            taken = started
            for position, line, choice, index, score in exemplar["steps"]:
                taken += timedelta(seconds=rng.randint(10, 120))
                rows[RunStep].append((pk, position, line, choice, index, "", score, taken))
            rows[Run].append(
                (
                    pk, person, scenario_id, number, started, taken, exemplar["current_key"],
                    "[]", "", exemplar["snapshot"], exemplar["ending_key"], exemplar["outcome"],
                    exemplar["score"], exemplar["critical"],
                )
            )  # fmt: skip
            self.record(
                person, scenario_id, "scenario", f"run-{pk}", taken, number == count, exemplar,
                rows,
            )  # fmt: skip

    def assignments(self, person, team, completed_courses, rows):
        supervisor = self.supervisor_of[team]
        for team_assignment, course, due, created in self.team_assignments[team]:
            (pk,) = self.sink.take_ids(Assignment, 1)
            reminded = due - timedelta(days=3) if due - timedelta(days=3) <= self.today else None
            overdue = due + timedelta(days=1) if due < self.today else None
            done = completed_courses.get(course)
            rows[Assignment].append(
                (
                    pk, person, course, due, "", team_assignment, supervisor, created, None,
                    None if done else reminded, None if done else overdue,
                )
            )  # fmt: skip
            rows[AssignmentEvent].append((pk, "created", supervisor, "", created))
            if done:
                rows[AssignmentEvent].append((pk, "completed", person, "", max(done, created)))

    def certificates(self, person, completed_courses, rows):
        """Certificates for people who completed a programme's courses: earlier cycles
        expired, the latest valid, about to expire, expired, revoked or replaced."""
        rng, now = self.rng, self.now
        for programme in self.programmes:
            required = [c.pk for c in programme.courses.all()]
            if not required or any(c not in completed_courses for c in required):
                continue
            validity = programme.expiry_for(now) - now
            first = min(completed_courses[c] for c in required)
            latest = now - timedelta(days=rng.randint(0, 420), hours=rng.randint(0, 23))
            latest = max(latest, first)
            # Renewed every cycle since they completed the courses.
            cycles = 1 + min(7, int((latest - first) / validity))
            fate = rng.random()
            previous = None
            for cycle in range(1, cycles + 1):
                issued = latest - (cycles - cycle) * validity
                expires = issued + validity
                (pk,) = self.sink.take_ids(Certificate, 1)
                revoked = reason = revoked_by = expired_on = None
                is_last = cycle == cycles
                if expires <= now:
                    expired_on = timezone.localdate(expires)
                if is_last and fate < 0.04 and expires > now:
                    revoked = issued + (now - issued) / 2
                    reason, revoked_by = "Incumplimiento del protocolo de atención", self.hr
                rows[Certificate].append(
                    (
                        pk, person, programme.pk, cycle, secrets.token_urlsafe(15), issued,
                        expires, revoked, reason or "", revoked_by,
                        timezone.localdate(expires - timedelta(days=30))
                        if expires - timedelta(days=30) <= now else None,
                        expired_on, None,
                    )
                )  # fmt: skip
                rows[CertificateEvent].append((pk, "issued", None, "", issued))
                if expired_on:
                    rows[CertificateEvent].append((pk, "expired", None, "", expires))
                if revoked:
                    rows[CertificateEvent].append((pk, "revoked", self.hr, reason, revoked))
                previous = (pk, cycle, issued, expires)
            if 0.04 <= fate < 0.08 and previous and previous[3] > now:
                # Reissued (a name corrected): the latest is revoked and replaced.
                old, cycle, issued, expires = previous
                last_row = list(rows[Certificate][-1])
                when = issued + (now - issued) / 2
                last_row[7:10] = [when, "Reemitido con un código nuevo", self.hr]
                rows[Certificate][-1] = tuple(last_row)
                rows[CertificateEvent].append(
                    (old, "revoked", self.hr, "Reemitido con un código nuevo", when)
                )
                (pk,) = self.sink.take_ids(Certificate, 1)
                code = last_row[4]
                rows[Certificate].append(
                    (
                        pk, person, programme.pk, cycle + 1, secrets.token_urlsafe(15), issued,
                        expires, None, "", None, last_row[10], None, old,
                    )
                )  # fmt: skip
                rows[CertificateEvent].append(
                    (pk, "reissued", self.hr, f"sustituye a {code}", when)
                )
