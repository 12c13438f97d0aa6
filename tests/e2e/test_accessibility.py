"""axe-core over every learner, supervisor and HR page, in Spanish and in English: no serious
or critical WCAG 2.2 A/AA violation."""

from datetime import date, timedelta
from urllib.parse import urlsplit

from django.utils import timezone

import pytest

from certification.models import CalendarFeed, Certificate, NoteKind, Programme, Retake
from certification.services import add_coaching_note, edit_coaching_note
from courses.models import Assignment
from courses.services import assign_course, create_onboarding_rule
from people.models import ScheduledReport
from quizzes.models import Attempt
from quizzes.services import start_attempt, submit_attempt
from scenarios.models import Run
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
    Retake.objects.create(person=agent, step=scenario, due_on=SOON)  # listed to the agent
    return course, quiz, scenario


def feedback(supervisor, agent):
    """Shared feedback, edited once (so it has an earlier version), with a follow-up due
    today (so Mi equipo lists it), and a private note read by nobody."""
    note = add_coaching_note(
        person=agent,
        author=supervisor,
        text="Buena escucha.",
        kind=NoteKind.SHARED,
        follow_up_on=date.today(),
    )
    add_coaching_note(person=agent, author=supervisor, text="Revisar el cierre.")
    return edit_coaching_note(note=note, editor=supervisor, text="Muy buena escucha.")


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
def test_learner_pages(page, agent, supervisor, learning_history, language):
    course, quiz, scenario = learning_history
    feedback(supervisor, agent)
    programme = Programme.objects.create(name="Agente certificado", min_attitude_percent=60)
    programme.courses.set([course])
    programme.save()  # Mis certificados then lists what is done and what is missing
    lesson = course.get_children().first()
    assign_course(actor=supervisor, course=course, team=agent.current_team, due_on=SOON)
    CalendarFeed.objects.renew(person=agent, language=language)  # so it can be revoked
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
        "/inicio/",
        "/calendario/",
        f"/calendario/{SOON.year}/{SOON.month}/",
        f"/calendario/{SOON.year}/{SOON.month}/lista/",
        "/calendario/suscripcion/",
        "/calendario/suscripcion/revocar/",
        "/perfil/comentarios/",
    ]
    assert scan(page, language, urls) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_supervisor_pages(page, supervisor, agent, learning_history, language):
    sign_in(page, supervisor)
    course = learning_history[0]
    assign_course(actor=supervisor, course=course, team=agent.current_team, due_on=SOON)
    assignment = Assignment.objects.get(person=agent)
    attempt = Attempt.objects.submitted().get(person=agent)
    run = Run.objects.get(person=agent, finished_at__isnull=False)
    note = feedback(supervisor, agent)
    urls = [
        "/equipo/",
        f"/equipo/agentes/{agent.pk}/",
        f"/equipo/intentos/{attempt.pk}/",
        f"/equipo/intentos/{attempt.pk}/repetir/",
        f"/equipo/juegos-de-rol/{run.pk}/?position=1",
        f"/equipo/juegos-de-rol/{run.pk}/recordar/",
        f"/perfil/{agent.pk}/",
        f"/personas/{agent.pk}/",
        "/perfil/",
        "/aprendizaje/asignaciones/",
        "/aprendizaje/asignaciones/?status=sin-iniciar",
        "/informes/nuevo/assignments/?status=sin-iniciar",
        "/aprendizaje/asignaciones/nueva/",
        f"/aprendizaje/asignaciones/{assignment.pk}/fecha/",
        f"/aprendizaje/asignaciones/{assignment.pk}/retirar/",
        f"/calendario/{SOON.year}/{SOON.month}/",
        f"/calendario/{SOON.year}/{SOON.month}/lista/",
        f"/equipo/agentes/{agent.pk}/notas/nueva/",
        f"/equipo/notas/{note.pk}/editar/",
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
    pages = ["/cuenta/login/", "/cuenta/password/reset/", "/insignias/comprobar/"]
    assert scan(page, language, pages) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_notification_centre(page, agent, language):
    """/avisos/ with unread and read notifications over two pages, and the bell's count."""
    from people.models import Notification
    from people.notifications import mark_read, notify

    for n in range(22):
        notify(
            person=agent,
            kind=Notification.Kind.DUE_SOON,
            params={"course": f"Curso {n}", "due_on": SOON},
            url="/aprendizaje/",
        )
    mark_read(
        person=agent, notification_ids=list(Notification.objects.values_list("pk", flat=True)[:5])
    )
    sign_in(page, agent)
    assert scan(page, language, ["/avisos/", "/avisos/?page=2"]) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_bulk_action_pages(page, supervisor, agent, course_factory, language):
    """The bulk action's confirmation and its error page, reached by POST from the list."""
    course = course_factory(title="Curso en bloque", slug="curso-en-bloque", lessons=1)
    assign_course(actor=supervisor, course=course, team=agent.current_team, due_on=SOON)
    sign_in(page, supervisor)
    found = {}
    for action, page_name in (("remind", "confirmation"), ("extend", "error")):
        scan(page, language, ["/aprendizaje/asignaciones/"])
        bulk = page.locator("#assignments-bulk")
        bulk.locator("input[name=assignments]").first.check()
        bulk.locator("select[name=action]").select_option(action)
        bulk.locator("button[type=submit]").click()
        page.locator("main h1").wait_for()
        if violations := axe_violations(page):
            found[page_name] = violations
    assert found == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_scim_client_pages(page, hr, language):
    """HR's SCIM pages in the admin: the list, a new client, its token shown once, and the
    confirmation before a token is revoked."""
    from provisioning.models import ScimClient

    issued, _ = ScimClient.issue(name="Okta", by=hr)
    sign_in(page, hr)
    found = scan(page, language, ["/admin/scim/", "/admin/scim/nuevo/"])
    page.fill("input[name=name]", "Microsoft Entra ID")
    page.locator("main button[type=submit]").click()
    page.locator("main code").first.wait_for()
    if violations := axe_violations(page):
        found["token"] = violations
    found |= scan(page, language, [f"/admin/scim/{issued.pk}/revocar/"])
    assert found == {}
