"""axe-core over every learner, supervisor and HR page, in Spanish and in English: no serious
or critical WCAG 2.2 A/AA violation."""

from datetime import date, timedelta
from urllib.parse import urlsplit

from django.utils import timezone

import pytest

from certification.models import Certificate, Programme
from courses.models import Assignment
from courses.services import assign_course, create_onboarding_rule
from people.models import ScheduledReport
from quizzes.services import start_attempt, submit_attempt
from scenarios.services import choose, start_run

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ["es", "en"]
SOON = date.today() + timedelta(days=14)


@pytest.fixture
def learning_history(agent, course_factory, quiz_factory, scenario_factory):
    """A course with a lesson, a quiz and a role-play; one finished and one open attempt at
    each, so result pages and in-progress pages all exist."""
    course = course_factory(title="Trato telefónico", slug="trato-telefonico", lessons=1)
    quiz = quiz_factory(course=course)
    scenario = scenario_factory(course=course)
    submit_attempt(attempt=start_attempt(person=agent, quiz=quiz))
    start_attempt(person=agent, quiz=quiz)
    run = start_run(person=agent, scenario=scenario)
    choose(run=run, line_key="inicio", choice_key="insulto")
    start_run(person=agent, scenario=scenario)
    return course, quiz, scenario


def scan(page, language, urls):
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(page.url))
    page.context.add_cookies([{"name": "django_language", "value": language, "url": origin}])
    found = {}
    for url in urls:
        response = page.goto(url)
        assert response.ok, f"{url}: {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_pages(page, agent, learning_history, language):
    course, quiz, scenario = learning_history
    programme = Programme.objects.create(name="Agente certificado", min_attitude_percent=60)
    programme.courses.set([course])
    programme.save()  # Mis certificados then lists what is done and what is missing
    lesson = course.get_children().first()
    sign_in(page, agent)
    urls = [
        "/aprendizaje/",
        "/aprendizaje/buscar/?q=servicio",
        course.get_parent().url,
        course.url,
        lesson.url,
        quiz.url,
        quiz.url + "pregunta/4/",
        quiz.url + "pregunta/5/",
        quiz.url + "revisar/",
        quiz.url + "resultado/1/",
        scenario.url,
        scenario.url + "jugar/",
        scenario.url + "resultado/1/",
        "/perfil/",
        "/perfil/autoevaluacion/",
        "/cuenta/password/change/",
        "/certificados/",
        "/avisos/",
    ]
    assert scan(page, language, urls) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_supervisor_pages(page, supervisor, agent, learning_history, language):
    sign_in(page, supervisor)
    course = learning_history[0]
    assign_course(actor=supervisor, course=course, team=agent.current_team, due_on=SOON)
    assignment = Assignment.objects.get(person=agent)
    urls = [
        "/equipo/",
        f"/equipo/agentes/{agent.pk}/",
        f"/perfil/{agent.pk}/",
        f"/personas/{agent.pk}/",
        "/perfil/",
        "/aprendizaje/asignaciones/",
        "/aprendizaje/asignaciones/?status=sin-iniciar",
        "/informes/nuevo/assignments/?status=sin-iniciar",
        "/aprendizaje/asignaciones/nueva/",
        f"/aprendizaje/asignaciones/{assignment.pk}/fecha/",
        f"/aprendizaje/asignaciones/{assignment.pk}/retirar/",
        "/rrhh/matriz/",
    ]
    assert scan(page, language, urls) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_hr_pages(page, hr, agent, course_factory, language):
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(lessons=1)])
    certificate = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=90)
    )
    rule = create_onboarding_rule(actor=hr, course=programme.courses.get(), days=14)
    report = ScheduledReport.objects.create(
        owner=hr, kind="certificates", filters={"status": "vigente"}, frequency="semanal"
    )
    sign_in(page, hr)
    urls = [
        "/rrhh/certificados/",
        "/informes/nuevo/certificates/?status=vigente",
        "/informes/nuevo/audit_log/",
        "/informes/",
        f"/informes/{report.pk}/borrar/",
        "/rrhh/panel/",
        "/aprendizaje/reglas/",
        f"/aprendizaje/reglas/?nueva={rule.pk}",
        f"/aprendizaje/reglas/{rule.pk}/deshacer/",
        "/aprendizaje/registro/",
        f"/rrhh/certificados/{certificate.code}/revocar/",
        f"/rrhh/certificados/{certificate.code}/",
        f"/rrhh/certificados/{certificate.code}/reemitir/",
        f"/verificar/{certificate.code}/",
        "/rrhh/",
        "/rrhh/personas/nueva/",
        f"/rrhh/personas/{agent.pk}/editar/",
        "/rrhh/importar/",
        f"/perfil/{agent.pk}/",
        "/aprendizaje/asignaciones/",
        "/aprendizaje/asignaciones/nueva/",
        "/rrhh/matriz/",
        "/rrhh/matriz/?status=missing&sort=name",
    ]
    assert scan(page, language, urls) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_out_pages(page, language):
    page.goto("/cuenta/login/")
    assert scan(page, language, ["/cuenta/login/", "/cuenta/password/reset/"]) == {}
