"""Item statistics on generated volume: one quiz's recompute (what the background task
`refresh_quiz_statistics` runs) at 10,000 and 55,000 submitted attempts, timed (wall and
CPU) and its peak memory measured (tracemalloc, in a separate run so tracing does not slow
the timed one).

Run on PostgreSQL (the database is built once and reused; --rebuild starts again):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/actitud_stats \
        .venv/bin/python tests/bench/item_statistics.py [--sizes 10000,55000] [--reference]

--reference also times the implementation this replaced (tests/quizzes/reference_statistics.py)
on the same data in the same run, so the ratio holds on any machine. Target: ≤ 1 s for 10,000
attempts. `make bench` (tests/bench/bench.py) may call `main()`.
"""

import argparse
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, reset_queries
from django.utils import timezone

TARGET_S = 1.0
SLUG = "bench-item-statistics-{size}"
CHUNK = 2000


def _template_attempt():
    """A real attempt at a demo quiz, for its snapshot (questions, options, credits)."""
    from courses.demo import seed as seed_courses
    from people.models import User
    from quizzes.demo import seed as seed_quizzes
    from quizzes.models import QuizPage
    from quizzes.services import start_attempt

    seed_courses()
    seed_quizzes()
    quiz = QuizPage.objects.live().order_by("path").first()
    person, _ = User.objects.get_or_create(
        email="plantilla@bench.test", defaults={"full_name": "Plantilla"}
    )
    return quiz, start_attempt(person=person, quiz=quiz)


def build(size):
    """`size` submitted attempts at one quiz: about a fifth of the people tried twice, every
    question answered by a made-up ability (a few left blank)."""
    from people.models import User
    from quizzes import grading
    from quizzes.demo import _simulated_response
    from quizzes.models import Attempt, AttemptAnswer, QuizPage

    quiz, template = _template_attempt()
    copy = quiz.copy(
        update_attrs={"slug": SLUG.format(size=size), "title": f"Banco {size}"},
        keep_live=True,
    )
    copy = QuizPage.objects.get(pk=copy.pk)
    rng = random.Random(size)
    people = size * 5 // 6
    prefix = f"b{size}-"
    users = User.objects.bulk_create(
        User(email=f"{prefix}{i}@bench.test", full_name=f"Agente {i:06d}", password="!")
        for i in range(people)
    )
    now = timezone.now()
    questions = template.questions
    made = 0
    while made < size:
        attempts, answers = [], []
        for _ in range(min(CHUNK, size - made)):
            n = made % people
            number = 1 + made // people
            ability = rng.uniform(0.2, 0.95)
            rows, scores = [], []
            for question in questions:
                blank = rng.random() < 0.03
                response = [] if blank else _simulated_response(question, ability, rng)
                result = grading.grade(question, response)
                scores.append(result.score)
                rows.append((question["id"], response, result))
            attempt = Attempt(
                person=users[n],
                quiz=copy,
                number=number,
                started_at=now,
                submitted_at=now,
                snapshot=template.snapshot,
                score=sum(scores) / len(scores),
                passed=False,
            )
            attempts.append(attempt)
            answers.append(rows)
            made += 1
        Attempt.objects.bulk_create(attempts)
        AttemptAnswer.objects.bulk_create(
            AttemptAnswer(
                attempt=attempt,
                question_id=qid,
                response=response,
                score=result.score,
                critical=result.critical,
            )
            for attempt, rows in zip(attempts, answers, strict=True)
            for qid, response, result in rows
        )
    return copy


def quiz_of(size, rebuild):
    from quizzes.models import QuizPage

    quiz = QuizPage.objects.filter(slug=SLUG.format(size=size)).first()
    if quiz and not rebuild:
        return quiz
    if quiz:
        quiz.attempts.all().delete()
        quiz.delete()
    started = time.perf_counter()
    quiz = build(size)
    print(f"built {size} attempts in {time.perf_counter() - started:.0f} s", flush=True)
    return quiz


def measure(run, runs=3):
    """Best wall and CPU seconds of `runs` runs, then the peak traced memory of one more."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(walls), min(cpus), peak / 2**20


def queries(run):
    from django.conf import settings

    settings.DEBUG = True
    reset_queries()
    run()
    count = len(connection.queries)
    settings.DEBUG = False
    return count


def main(sizes=(10_000, 55_000), reference=False, rebuild=False):
    from quizzes.tasks import refresh_statistics_now

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    ok = True
    for size in sizes:
        quiz = quiz_of(size, rebuild)
        # What the task does, forced: a recompute runs even with no submission waiting.
        runs = {"task": lambda quiz=quiz: refresh_statistics_now(quiz.pk, force=True)}
        if reference:
            from tests.quizzes.reference_statistics import reference_figures

            runs["reference"] = lambda quiz=quiz: reference_figures(quiz.pk)
        for name, run in runs.items():
            wall, cpu, peak = measure(run, runs=3 if size <= 10_000 else 1)
            print(
                f"{size:>6} attempts  {name:<9}  {wall:6.2f} s wall  {cpu:6.2f} s CPU  "
                f"peak {peak:6.1f} MB  {queries(run)} queries",
                flush=True,
            )
            if name == "task" and size <= 10_000 and wall > TARGET_S:
                ok = False
    return ok


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,55000")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    arguments = parser.parse_args()
    sizes = [int(s) for s in arguments.sizes.split(",")]
    sys.exit(0 if main(sizes, arguments.reference, arguments.rebuild) else 1)
