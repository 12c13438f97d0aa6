"""Journey: an agent signs in and lands on Inicio, sees the one next step and follows it, then
opens the calendar from the navigation, finds the due date, switches to the list, and makes
the private calendar link. In English: this lane's Spanish reaches the catalogue at merge."""

from datetime import timedelta

from django.utils import timezone

import pytest

from courses.services import assign_course, complete_step

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_agent_follows_the_next_step_and_opens_the_calendar(
    page, agent, supervisor, team, course_factory
):
    course = course_factory(title="Conceptos", slug="conceptos", lessons=4)
    due = timezone.localdate() + timedelta(days=3)
    assign_course(actor=supervisor, course=course, team=team, due_on=due)
    first, second, third, *_ = [p.specific for p in course.get_children().order_by("path")]
    complete_step(person=agent, step=first)
    complete_step(person=agent, step=second)

    page.goto("/cuenta/login/")
    origin = page.url.split("/cuenta/")[0]
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": origin + "/"}])
    sign_in(page, agent)
    assert page.url.endswith("/inicio/")
    assert axe_violations(page) == []
    next_step = page.get_by_role("link", name="Continue: lesson 3 of Conceptos")
    assert "due in 3 days" in page.locator(".guidance__next").inner_text()
    next_step.click()
    assert page.get_by_role("heading", level=1).inner_text() == third.title

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    assert "/calendario/" in page.url
    assert axe_violations(page) == []
    if due.month != timezone.localdate().month:  # the due date falls in next month
        page.get_by_role("link", name="Next month").click()
    day = page.locator(f"td:has(time[datetime='{due:%Y-%m-%d}'])")
    assert "Due: Conceptos" in day.inner_text()
    page.get_by_role("link", name="List view").click()
    assert page.get_by_role("row", name="Due: Conceptos").count() == 1

    page.get_by_role("link", name="Subscribe from Outlook or Google").click()
    page.get_by_role("button", name="Make my private link").click()
    link = page.get_by_label("Calendar link").input_value()
    assert "/calendario/ical/" in link and link.endswith(".ics")
    assert axe_violations(page) == []
    feed = page.request.get(link)
    assert feed.ok and b"Due: Conceptos" in feed.body()
