from wagtail.models import Site

import pytest

from courses.models import CatalogPage, CoursePage, LessonPage


def lesson_body(words=260):
    text = " ".join(["servicio"] * words)
    return [
        {"type": "text", "value": f"<p>{text}</p>"},
        {"type": "key_points", "value": {"title": "Ideas clave", "points": ["Escucha."]}},
        {
            "type": "moment_of_truth",
            "value": {
                "title": "La espera",
                "situation": "Marta espera ocho minutos.",
                "good_response": "Gracias por esperar.",
                "poor_response": "¿Número de cliente?",
                "why": "",
            },
        },
        {"type": "reflection", "value": {"prompt": "¿Qué harías distinto?"}},
        {"type": "self_check", "value": {"question": "¿Quién?", "answer": "Tú."}},
    ]


@pytest.fixture
def catalog(db):
    root = Site.objects.get(is_default_site=True).root_page
    page = root.add_child(instance=CatalogPage(title="Cursos", slug="cursos"))
    page.save_revision().publish()
    return page


@pytest.fixture
def course_factory(catalog):
    """A published course with `lessons` published lessons (the last `optional` ones optional)."""

    def make(*, title="Curso de cortesía", slug=None, lessons=3, optional=0):
        course = catalog.add_child(
            instance=CoursePage(
                title=title, slug=slug or title.lower().replace(" ", "-"), summary="Resumen."
            )
        )
        for number in range(1, lessons + 1):
            lesson = course.add_child(
                instance=LessonPage(
                    title=f"Lección {number}",
                    slug=f"leccion-{number}",
                    body=lesson_body(),
                    objectives=[{"type": "objective", "value": "Aprender."}],
                    is_required=number <= lessons - optional,
                )
            )
            lesson.save_revision().publish()
        return course

    return make


@pytest.fixture
def course(course_factory):
    return course_factory()


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))
