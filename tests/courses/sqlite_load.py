"""Run by test_sqlite_concurrency in a process of its own, on a SQLite file: the task worker
churns through a backlog of index tasks while learners press “Marcar como completada”.
Prints one JSON line: what the learners got, and every "database is locked" seen anywhere."""

import json
import os
import subprocess
import sys
import threading

import django

django.setup()

from django.test import Client  # noqa: E402

from wagtail.tasks import update_reference_index_task  # noqa: E402

from django_tasks_db.models import DBTaskResult  # noqa: E402
from modelsearch.tasks import insert_or_update_object_task  # noqa: E402

from courses.models import LessonPage, StepCompletion  # noqa: E402
from people.models import User  # noqa: E402

BACKLOG = 10  # rounds of index tasks per lesson, as a seed or an editing session leaves


def main():
    lessons = list(LessonPage.objects.live().order_by("path"))
    learners = list(User.objects.filter(email__startswith="carga").order_by("email"))
    for _ in range(BACKLOG):
        for lesson in lessons:
            insert_or_update_object_task.enqueue("courses", "lessonpage", str(lesson.pk))
            update_reference_index_task.enqueue("courses", "lessonpage", str(lesson.pk))
    queued = DBTaskResult.objects.count()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
         "--interval", "0"],
        env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    answers, errors = [], []

    def learn(person):
        client = Client(HTTP_HOST="localhost")
        for lesson in lessons:
            try:
                if "_auth_user_id" not in client.session:
                    client.force_login(person)
                answers.append(client.post(f"{lesson.url}completar/").status_code)
            except Exception as error:  # noqa: BLE001 — counted and reported
                errors.append(repr(error))

    threads = [threading.Thread(target=learn, args=(person,)) for person in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    worker_output, _ = worker.communicate(timeout=240)
    failed_tasks = DBTaskResult.objects.exclude(status="SUCCESSFUL").count()
    locked = sum("database is locked" in e for e in errors) + worker_output.count(
        "database is locked"
    )
    sys.stdout.write(
        json.dumps(
            {
                "clicks": len(lessons) * len(learners),
                "answers": answers,
                "completed": StepCompletion.objects.count(),
                "errors": errors[:3],
                "error_count": len(errors),
                "queued": queued,
                "failed_tasks": failed_tasks,
                "worker_returncode": worker.returncode,
                "locked": locked,
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
