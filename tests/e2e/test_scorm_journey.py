"""SCORM journeys: for each test package (SCORM 1.2 and 2004), an agent launches it inside
the course, answers the first question, leaves, comes back to the next question (its
suspend_data restored by scorm-again), finishes with a score, and the step — the course's
only one — is done and the course complete. An editor uploads a package in the admin. The
player page passes axe in Spanish and English."""

from urllib.parse import urlsplit

import pytest

from courses.models import Enrolment, StepCompletion
from scorm.models import ScormAttempt, ScormPackage
from tests.scorm.conftest import add_scorm_step, zip_folder

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


# The player loads scorm-again and then the package: give a busy machine time for both.
LOADING = 30_000


def answer(frame, option, *, progress):
    frame.get_by_text(progress).wait_for()
    frame.get_by_label(option).check()
    frame.get_by_role("button", name="Siguiente").click()


@pytest.mark.parametrize(
    ("package", "score_text"),
    [("scorm12_quiz", "Tu puntuación: 100 de 100."), ("scorm2004_quiz", "Tu puntuación: 3 de 3.")],
)
def test_agent_plays_leaves_resumes_and_completes(page, agent, course_factory, package, score_text):
    course = course_factory(title="Cortesía en SCORM", slug="cortesia-scorm", lessons=0)
    step = add_scorm_step(course, package)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, agent)
    page.goto(course.url)
    page.get_by_role("link", name="Paquete de cortesía").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Paquete de cortesía"
    frame = page.frame_locator("#scorm-frame")
    frame.get_by_text("Pregunta 1 de 3").wait_for(timeout=LOADING)
    answer(frame, "Escucho sin interrumpir", progress="Pregunta 1 de 3")
    frame.get_by_text("Pregunta 2 de 3").wait_for()
    attempt = ScormAttempt.objects.get(person=agent, page=step)
    assert attempt.location == "1" and attempt.suspend_data == '{"answers":[0]}'
    assert attempt.exit == "suspend" and not attempt.finished_at

    # Leave for the course page, then come back: the package resumes at question 2.
    page.goto(course.url)
    page.get_by_role("link", name="Paquete de cortesía").first.click()
    frame = page.frame_locator("#scorm-frame")
    frame.get_by_text("Pregunta 2 de 3").wait_for(timeout=LOADING)
    answer(frame, "Gracias por esperar, ya estoy contigo", progress="Pregunta 2 de 3")
    answer(frame, "Cuando el cliente confirma que está resuelto", progress="Pregunta 3 de 3")
    frame.get_by_text(score_text).wait_for()
    page.get_by_text("Se ha guardado tu progreso.").or_(
        page.get_by_text("Your progress has been saved.")
    ).wait_for()

    attempt.refresh_from_db()
    assert attempt.pk == ScormAttempt.objects.get(person=agent, page=step).pk  # one attempt
    assert attempt.outcome == "passed" and attempt.finished_at is not None
    assert attempt.total_seconds >= 0 and attempt.commits >= 3
    if package == "scorm12_quiz":
        assert (attempt.lesson_status, attempt.score_raw) == ("passed", 100)
    else:
        assert (attempt.completion_status, attempt.success_status) == ("completed", "passed")
        assert attempt.score_scaled == 1
    assert StepCompletion.objects.filter(person=agent, step=step).exists()
    assert Enrolment.objects.get(person=agent, course=course).completed_at is not None

    assert errors == []  # neither the player nor the package threw
    page.goto(course.url)
    step_row = page.locator(".outline__step", has=page.get_by_role("link", name=step.title))
    assert "outline__step--done" in step_row.get_attribute("class")


def test_editor_uploads_a_package_in_the_admin(page, editor, tmp_path):
    archive = tmp_path / "cortesia.zip"
    archive.write_bytes(zip_folder("scorm2004_quiz"))
    broken = tmp_path / "roto.zip"
    broken.write_bytes(zip_folder("scorm2004_quiz", skip={"imsmanifest.xml"}))
    sign_in(page, editor)
    page.goto("/admin/snippets/scorm/scormpackage/add/")
    page.locator("#id_file").set_input_files(str(broken))
    page.get_by_role("button", name="Guardar").click()
    errors = page.locator("#panel-child-file-errors")
    errors.get_by_text("imsmanifest.xml").wait_for()  # the field says what is wrong
    assert ScormPackage.objects.count() == 0

    page.locator("#id_file").set_input_files(str(archive))
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url("**/admin/snippets/scorm/scormpackage/")
    package = ScormPackage.objects.get()
    assert package.title == "Cuestionario de espera (SCORM 2004)"
    assert (package.version, package.launch_path) == ("2004 4th", "index.html")
    assert package.uploaded_by == editor


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_player_page_is_accessible(page, agent, course_factory, language):
    step = add_scorm_step(course_factory(title="Cortesía", slug="cortesia", lessons=1))
    sign_in(page, agent)
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(page.url))
    page.context.add_cookies([{"name": "django_language", "value": language, "url": origin}])
    response = page.goto(step.url)
    assert response.ok
    assert page.locator("html").get_attribute("lang") == language
    page.frame_locator("#scorm-frame").get_by_text("Pregunta 1 de 3").wait_for(timeout=LOADING)
    assert axe_violations(page) == []
