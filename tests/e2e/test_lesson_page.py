"""A lesson on a laptop: the course outline sits beside the text, and saving a reflection
confirms it where the learner is reading, not at the top of the page."""

import pytest

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_lesson_shows_its_outline_and_confirms_a_reflection_in_place(
    page, agent, course_factory
):
    course = course_factory(title="Trato telefónico", slug="trato-telefonico", lessons=3)
    lesson = course.get_children().live().order_by("path")[1]
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, agent)
    page.goto(lesson.url)

    article = page.locator("article.lesson").bounding_box()
    outline = page.locator("aside.lesson__outline")
    assert outline.is_visible()
    assert outline.bounding_box()["x"] >= article["x"] + article["width"]
    assert outline.get_by_role("link", name="Lección 2").get_attribute("aria-current") == "step"
    assert outline.get_by_text("Lección", exact=True).count() == 3  # each step's kind

    page.get_by_label("Tu respuesta (solo tú puedes verla)").fill("Saludaría antes de nada.")
    page.get_by_role("button", name="Guardar mi respuesta").click()
    confirmation = page.get_by_role("status").filter(has_text="Tu respuesta se ha guardado")
    confirmation.wait_for()
    assert confirmation.is_visible()
    box = confirmation.bounding_box()
    assert 0 <= box["y"] <= 768 - box["height"], "the confirmation is out of sight"
