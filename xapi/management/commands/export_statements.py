import json

from django.core.management.base import BaseCommand, CommandError

from courses.models import CoursePage
from people.models import User
from xapi.models import Statement


class Command(BaseCommand):
    help = (
        "Write the xAPI statements of one person (--person <email>) or one course "
        "(--course <id>) as JSON lines, oldest first, to standard output or --output."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--person", metavar="EMAIL", help="the person's email address")
        which.add_argument("--course", metavar="ID", type=int, help="the course page's id")
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")

    def handle(self, *args, person=None, course=None, output=None, **options):
        statements = Statement.objects.order_by("created_at", "id")
        if person is not None:
            found = User.objects.filter(email__iexact=person.strip()).first()
            if found is None:
                raise CommandError(f"No person has the email address {person!r}.")
            statements = statements.filter(person=found)
        else:
            if not CoursePage.objects.filter(pk=course).exists():
                raise CommandError(f"No course has the id {course}.")
            statements = statements.filter(course_id=course)
        rows = statements.values_list("data", flat=True).iterator(chunk_size=500)
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                count = self._write(rows, stream)
            self.stderr.write(f"{count} statements written to {output}")
        else:
            count = self._write(rows, self.stdout)
            self.stderr.write(f"{count} statements written")

    def _write(self, rows, stream):
        count = 0
        for data in rows:
            stream.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
        return count
