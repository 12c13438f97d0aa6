"""Journey 5: a quiz and a role-play finished with the keyboard alone."""

import pytest

from quizzes.models import Attempt
from scenarios.models import Run
from tests.scenarios.conftest import BEST

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def tab_to(page, selector, limit=60, text=None):
    """Press Tab until the focused element matches `selector` (and shows `text`, if given);
    fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([s, t]) => document.activeElement.matches(s)"
            " && (t === null || document.activeElement.textContent.trim() === t)",
            [selector, text],
        ):
            return
    raise AssertionError(f"{selector} {text or ''} cannot be reached with the Tab key")


def test_a_quiz_and_a_role_play_without_a_mouse(
    page, agent, course_factory, quiz_factory, scenario_factory, questions
):
    course = course_factory(title="Teclado", slug="teclado", lessons=1)
    quiz = quiz_factory(course=course, fixed=[questions[0], questions[2]])
    scenario = scenario_factory(course=course)
    sign_in(page, agent)

    page.goto(quiz.url)
    tab_to(page, "form button.button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/pregunta/1/")
    tab_to(page, "input[name=option]")
    # Arrow keys move through a radio group and select as they go: Cortesía is first.
    page.keyboard.press("Space")
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/pregunta/2/")
    tab_to(page, "input[name=option]")
    page.keyboard.press("Space")  # Verdadero
    tab_to(page, "button[value=review]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/revisar/")
    tab_to(page, "form[data-timer-submit] button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/resultado/1/")
    assert Attempt.objects.get(person=agent).percent == 100

    page.goto(scenario.url)
    tab_to(page, "main form button.button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/jugar/")
    graph = scenario.as_graph()
    for line_key, choice_key in BEST:
        choice = next(c for c in graph["lines"][line_key]["choices"] if c["key"] == choice_key)
        tab_to(page, "button.choice-button", text=choice["text"])
        with page.expect_navigation():
            page.keyboard.press("Enter")
    page.wait_for_url("**/resultado/1/")
    assert Run.objects.get(person=agent).outcome == "fidelizado"
    # The skip link is the first stop and takes focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
