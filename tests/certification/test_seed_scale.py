"""manage.py seed_scale at a tiny size: the organisation it builds keeps the rules the services
keep, and every HR, supervisor and learner page renders on it."""

from http import HTTPStatus

from django.core.management import CommandError, call_command
from django.db.models import Count, Max

import pytest

from attitude.models import EvidenceRecord
from certification.models import Certificate
from courses.models import Assignment, CourseStep, Enrolment, StepCompletion
from courses.selectors import live_steps
from people.models import Membership, Role, Team, User
from quizzes.models import Attempt, QuizPage
from scenarios.models import Run

pytestmark = pytest.mark.django_db

DOMAIN = "escala.actitud.test"


def test_seed_scale_builds_an_organisation_that_keeps_the_rules_and_renders(
    capsys, client, settings, demo_content
):
    """One test, as seeding takes most of its time (the demo content: tests/snapshots.py)."""
    call_command("seed_scale", "--agents", "24", "--team-size", "8", "--exemplars", "3", "--force")
    assert "seed_scale: 24 agents" in capsys.readouterr().out
    check_people()
    check_activity()
    check_assignments_and_certificates()
    check_pages(client)
    settings.DEBUG = True
    with pytest.raises(CommandError, match="previous seed_scale"):
        call_command("seed_scale", "--agents", "2")
    assert User.objects.filter(email__endswith=DOMAIN).count() == 24 + 3 + 1


def test_seed_scale_needs_the_demo_content_and_force_with_debug_off(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_scale", "--agents", "2")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_scale", "--agents", "2")
    assert not User.objects.exists()


def check_people():
    agents = User.objects.filter(email__startswith="agente", email__endswith=DOMAIN)
    assert agents.count() == 24
    assert set(agents.values_list("groups__name", flat=True)) == {Role.AGENT}
    teams = Team.objects.filter(name__startswith="Escala ")
    assert teams.count() == 3
    assert all(team.supervisors.count() == 1 for team in teams)
    assert User.objects.filter(email=f"rrhh@{DOMAIN}", groups__name=Role.HR).exists()
    current = Membership.objects.current().filter(person__in=agents)
    assert current.count() == 24
    assert sorted(current.values("team").annotate(n=Count("pk")).values_list("n", flat=True)) == [
        8,
        8,
        8,
    ]
    assert not User.objects.filter(email__startswith="muestra").exists()  # rolled back


def check_activity():
    people = User.objects.filter(email__endswith=DOMAIN)
    attempts = Attempt.objects.filter(person__in=people)
    runs = Run.objects.filter(person__in=people)
    assert attempts.exists() and runs.exists()
    # No quiz gets more attempts than it allows; a passed attempt is what completes its step.
    for quiz in QuizPage.objects.all():
        most = attempts.filter(quiz=quiz).values("person").annotate(n=Max("number"))
        assert all(row["n"] <= quiz.max_attempts for row in most)
        passed = set(attempts.filter(quiz=quiz, passed=True).values_list("person", flat=True))
        done = set(
            StepCompletion.objects.filter(step=quiz, person__in=people).values_list(
                "person", flat=True
            )
        )
        assert passed == done
    # Every finished attempt and run has one evidence record, and only the latest of each
    # activity counts and carries its items.
    records = EvidenceRecord.objects.filter(person__in=people)
    assert records.count() == attempts.count() + runs.count()
    assert set(records.filter(source="quiz").values_list("reference", flat=True)) == {
        f"attempt-{pk}" for pk in attempts.values_list("pk", flat=True)
    }
    latest = records.filter(is_latest=True).annotate(n=Count("items"))
    assert latest.exists() and all(record.n > 0 for record in latest)
    assert not records.filter(is_latest=False, items__isnull=False).exists()
    # A quiz score is the mean of its answers' scores.
    for attempt in attempts.prefetch_related("answers")[:50]:
        scores = [answer.score for answer in attempt.answers.all()]
        assert attempt.score == pytest.approx(sum(scores) / len(scores))
    # A course is completed exactly when every required step is done.
    for enrolment in Enrolment.objects.filter(person__in=people).select_related("course"):
        required = {s.pk for s in live_steps(enrolment.course) if s.is_required}
        done = set(
            StepCompletion.objects.filter(
                person=enrolment.person_id, course=enrolment.course_id
            ).values_list("step", flat=True)
        )
        assert (enrolment.completed_at is not None) == (required <= done)
    assert CourseStep.objects.exists()


def check_assignments_and_certificates():
    people = User.objects.filter(email__endswith=DOMAIN)
    assignments = Assignment.objects.filter(person__in=people).with_status()
    statuses = set(assignments.values_list("status", flat=True))
    assert "vencido" in statuses and len(statuses) >= 2
    certificates = Certificate.objects.filter(person__in=people).with_status()
    assert certificates.exists()
    assert "vencido" in set(certificates.values_list("status", flat=True))
    replaced = certificates.filter(replaces__isnull=False)
    assert all(c.replaces.revoked_at is not None for c in replaced)


def check_pages(client):
    hr = User.objects.get(email=f"rrhh@{DOMAIN}")
    client.force_login(hr)
    for url in ("/rrhh/panel/", "/rrhh/certificados/", "/aprendizaje/asignaciones/", "/rrhh/"):
        assert client.get(url).status_code == HTTPStatus.OK, url
    certificate = Certificate.objects.filter(person__email__endswith=DOMAIN).first()
    assert client.get(f"/rrhh/certificados/{certificate.code}/").status_code == HTTPStatus.OK
    supervisor = User.objects.get(email=f"supervisor1@{DOMAIN}")
    client.force_login(supervisor)
    assert client.get("/equipo/").status_code == HTTPStatus.OK
    agent = (
        User.objects.filter(email__endswith=DOMAIN, quiz_attempts__isnull=False)
        .filter(memberships__team__supervisors=supervisor, memberships__ended_at__isnull=True)
        .first()
    )
    assert client.get(f"/equipo/agentes/{agent.pk}/").status_code == HTTPStatus.OK
    assert client.get(f"/perfil/{agent.pk}/").status_code == HTTPStatus.OK
    client.force_login(agent)
    for url in ("/aprendizaje/", "/perfil/", "/certificados/"):
        assert client.get(url).status_code == HTTPStatus.OK, url
    attempt = agent.quiz_attempts.select_related("quiz").first()
    result = f"{attempt.quiz.url}resultado/{attempt.number}/"
    assert client.get(result).status_code == HTTPStatus.OK
    run = Run.objects.filter(person=agent).select_related("scenario").first()
    if run:
        assert client.get(f"{run.scenario.url}resultado/{run.number}/").status_code == HTTPStatus.OK
