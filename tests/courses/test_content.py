"""The four seeded courses: their content rules, loading them, and rendering every lesson."""

from http import HTTPStatus

from django.core.management import call_command

from wagtail.models import Revision

import pytest

from courses import demo
from courses.content import course_problems, load_course, load_courses
from courses.models import CoursePage, LessonPage

MIN_LESSONS = {
    "conceptos-de-servicio": 10,
    "diez-mandamientos": 5,
    "personalidades-de-clientes": 9,
    "crm-conceptos-y-errores": 6,
}


def test_each_course_keeps_its_lessons_and_every_lesson_meets_the_content_rules():
    """2–4 objectives, 250+ words of prose, an example, key points and a final self-check."""
    courses = {course.slug: course for course in load_courses()}
    assert set(courses) == set(MIN_LESSONS)
    problems = [
        problem
        for slug, course in courses.items()
        for problem in course_problems(course, min_lessons=MIN_LESSONS[slug])
    ]
    assert problems == []


def test_the_personalities_course_covers_every_personality_in_the_sources():
    course = next(c for c in load_courses() if c.slug == "personalidades-de-clientes")
    text = " ".join(lesson.title.lower() for lesson in course.lessons)
    for personality in (
        "agresivo",
        "quejumbroso",
        "dominante",
        "ofensivo",
        "preguntón",
        "callado",
        "miedoso",
        "simpático",
        "irritado",
    ):
        assert personality in text, personality


def test_the_crm_course_states_the_identity_rule_and_computes_churn_over_the_starting_base():
    """One lesson states the identity-verification and data-protection rule; churn divides the
    customers lost in the period by the customers at its start, never by the new ones."""
    course = next(c for c in load_courses() if c.slug == "crm-conceptos-y-errores")
    lessons = {lesson.slug: lesson for lesson in course.lessons}
    rule_lesson = lessons["verificar-identidad-y-proteger-datos"]
    rule = " ".join(str(block["value"]) for block in rule_lesson.body)
    for point in ("información general", "dos datos", "transferencia", "código", "familiar"):
        assert point in rule, point
    retention = " ".join(str(block["value"]) for block in lessons["retener-y-fidelizar"].body)
    assert "clientes que había al inicio" in retention
    assert "entre los clientes nuevos" not in retention
    assert "entre los nuevos del mismo" not in retention


@pytest.mark.django_db
def test_every_seeded_lesson_renders_for_an_agent(client, agent, django_assert_max_num_queries):
    demo.seed()
    assert CoursePage.objects.live().count() == 4
    client.force_login(agent)
    lessons = list(LessonPage.objects.live().specific())
    assert len(lessons) >= sum(MIN_LESSONS.values())
    for lesson in lessons:
        client.get(lesson.url)
        with django_assert_max_num_queries(21):
            response = client.get(lesson.url)
        assert response.status_code == HTTPStatus.OK, lesson.url
        html = response.content.decode()
        assert lesson.title in html and "Comprueba lo que has aprendido" in html


SMALL_COURSE = """
title: "Curso de prueba"
slug: curso-de-prueba
summary: "Un curso pequeño."
estimated_minutes: 10
objectives: ["Probar.", "Cargar."]
dimensions: [cortesia]
"""
SMALL_LESSON = """
title: "Lección de prueba"
slug: leccion-de-prueba
summary: "Una lección."
estimated_minutes: 5
objectives: ["Leer.", "Entender."]
body:
  - type: text
    value: |
      Primer párrafo con **negrita** y *cursiva*.
  - type: key_points
    value: {title: "Ideas clave", points: ["Una idea."]}
  - type: self_check
    value: {question: "¿Sí?", answer: "Sí."}
"""


@pytest.fixture
def small_content(tmp_path, monkeypatch):
    folder = tmp_path / "01-curso-de-prueba"
    folder.mkdir()
    (folder / "course.yaml").write_text(SMALL_COURSE, encoding="utf-8")
    (folder / "01-leccion-de-prueba.yaml").write_text(SMALL_LESSON, encoding="utf-8")
    monkeypatch.setattr(demo, "load_courses", lambda: [load_course(folder)])
    return folder


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_editors_changes(small_content):
    demo.seed()
    lesson = LessonPage.objects.get(slug="leccion-de-prueba")
    assert "<b>negrita</b>" in str(lesson.body[0].value)
    assert list(lesson.get_parent().specific.dimensions.values_list("slug", flat=True)) == [
        "cortesia"
    ]
    lesson.title = "Título del editor"
    lesson.save_revision().publish()
    revisions = Revision.objects.count()

    demo.seed()
    assert Revision.objects.count() == revisions
    assert LessonPage.objects.get(slug="leccion-de-prueba").title == "Título del editor"


@pytest.mark.django_db
def test_overwrite_replaces_editors_changes_with_a_new_revision(small_content):
    demo.seed()
    lesson = LessonPage.objects.get(slug="leccion-de-prueba")
    lesson.title = "Título del editor"
    lesson.save_revision().publish()

    call_command("seed_demo", "--force", "--overwrite-content")
    lesson = LessonPage.objects.get(slug="leccion-de-prueba")
    assert lesson.title == "Lección de prueba"
    assert lesson.revisions.count() == 3


@pytest.mark.django_db
def test_a_lesson_added_to_the_repository_is_added_to_the_course(small_content):
    demo.seed()
    (small_content / "02-otra.yaml").write_text(
        SMALL_LESSON.replace("leccion-de-prueba", "otra").replace("Lección de prueba", "Otra"),
        encoding="utf-8",
    )
    demo.seed()
    course = CoursePage.objects.get(slug="curso-de-prueba")
    assert list(LessonPage.objects.child_of(course).values_list("slug", flat=True)) == [
        "leccion-de-prueba",
        "otra",
    ]
