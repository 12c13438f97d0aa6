"""`manage.py export_statements` writes one person's or one course's statements as JSON lines."""

import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from xapi.models import Statement

from .test_queue import quiz_events


def export(*args):
    out = StringIO()
    call_command("export_statements", *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_persons_statements_as_json_lines(
    agent, teammate, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        quiz_events(agent, quiz)
        quiz_events(teammate, quiz, attempt_pk=8)

    lines = export("--person", agent.email.upper())

    ids = {str(pk) for pk in Statement.objects.filter(person=agent).values_list("pk", flat=True)}
    assert {line["id"] for line in lines} == ids
    assert len(lines) == 3


def test_a_courses_statements_to_a_file(
    tmp_path, agent, teammate, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        quiz_events(agent, quiz)
        quiz_events(teammate, quiz, attempt_pk=8)
    target = tmp_path / "statements.jsonl"

    call_command(
        "export_statements", "--course", str(quiz.course.pk), "--output", str(target),
        stderr=StringIO(),
    )  # fmt: skip

    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert len(lines) == 6
    assert {line["verb"]["id"].rsplit("/", 1)[1] for line in lines} == {
        "attempted", "answered", "passed",
    }  # fmt: skip


def test_an_unknown_person_or_course_is_a_clear_error(db):
    with pytest.raises(CommandError, match="nadie@example.com"):
        export("--person", "nadie@example.com")
    with pytest.raises(CommandError, match="999999"):
        export("--course", "999999")
