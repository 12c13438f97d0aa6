"""“Inicio”, the agent's home: the one next step, what is due soon, and where they stand on
each certification programme; a first-time welcome until they have done anything. It reads
from every app, so it lives in certification, the top layer."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone

from courses.models import Assignment, Enrolment, StepCompletion
from courses.selectors import due_soon, next_step
from people.models import User
from quizzes.models import Attempt
from scenarios.models import Run, ScenarioPage

from .models import Certificate, CertificateStatus, Programme
from .selectors import open_retakes
from .services import requirements


def has_no_activity(person):
    """Whether the person has done nothing yet — no course opened, no step done, no quiz
    attempt, no role-play run: they get the welcome. One query."""
    return not (
        User.objects.filter(pk=person.pk)
        .filter(
            Exists(Enrolment.objects.filter(person=OuterRef("pk")))
            | Exists(StepCompletion.objects.filter(person=OuterRef("pk")))
            | Exists(Attempt.objects.filter(person=OuterRef("pk")))
            | Exists(Run.objects.filter(person=OuterRef("pk")))
        )
        .exists()
    )


@dataclass
class ProgrammeProgress:
    programme: Programme
    certificate: Certificate | None  # the newest one not revoked
    met: int = 0
    total: int = 0

    @property
    def certified(self):
        return self.certificate is not None and self.certificate.status == CertificateStatus.VALID


def programme_progress(person, now=None):
    """The active programmes that concern the person — one of its courses is assigned to them
    or opened by them, or they hold one of its certificates — each with their newest
    certificate that was not revoked; for those without a valid one, how many of the
    programme's requirements they meet (certification.services.requirements decides)."""
    now = now or timezone.now()
    courses = Q(
        courses__in=Assignment.objects.active().filter(person=person.pk).values("course")
    ) | Q(courses__in=Enrolment.objects.filter(person=person.pk).values("course"))
    programmes = list(
        Programme.objects.filter(is_active=True)
        .filter(courses | Q(certificates__person=person.pk))
        .distinct()
        .prefetch_related("courses")
        .order_by("name")
    )
    newest = {}
    for certificate in (
        Certificate.objects.filter(
            person=person.pk, programme__in=programmes, revoked_at__isnull=True
        )
        .with_status(now)
        .order_by("programme", "-issued_at")
    ):
        newest.setdefault(certificate.programme_id, certificate)
    result = []
    for programme in programmes:
        progress = ProgrammeProgress(programme, newest.get(programme.pk))
        if not progress.certified:
            items = requirements(person, programme).items
            progress.total = len(items)
            progress.met = sum(1 for _label, ok in items if ok)
        result.append(progress)
    return result


def first_role_play():
    """The first published role-play in the course tree, for the welcome's "practise" link."""
    return ScenarioPage.objects.live().order_by("path").first()


@login_required
def home(request):
    """The agent's home: a welcome the first time, then the one next step, then what their
    supervisor asked them to repeat and the courses overdue or due in the next two weeks,
    then the certification programmes."""
    person = request.user
    today = timezone.localdate()
    welcome = has_no_activity(person)
    return render(
        request,
        "certification/guidance.html",
        {
            "welcome": welcome,
            "role_play": first_role_play() if welcome else None,
            "next": next_step(person, today),
            "retakes": open_retakes(person),
            "due_soon": list(due_soon(person, today)),
            "programmes": programme_progress(person),
            "today": today,
        },
    )
