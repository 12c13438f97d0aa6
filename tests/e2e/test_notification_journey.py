"""Journey: an agent sees the bell's unread count, opens the notification centre, follows a
notification to its course, and the count drops; then marks the rest read."""

from datetime import date, timedelta

from django.utils import translation
from django.utils.translation import gettext, ngettext

import pytest

from courses.services import assign_course
from people.models import Notification
from people.notifications import notify

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def bell_name(count):
    """The bell's accessible name in Spanish, as the catalogue has it."""
    with translation.override("es"):
        if not count:
            return gettext("Notifications, none unread")
        return ngettext(
            "Notifications, %(count)s unread", "Notifications, %(count)s unread", count
        ) % {"count": count}


def test_agent_follows_a_notification_from_the_bell(page, agent, supervisor, course_factory):
    course = course_factory(title="Cortesía telefónica", slug="cortesia-telefonica", lessons=1)
    assign_course(
        actor=supervisor,
        course=course,
        team=agent.current_team,
        people=[agent],
        due_on=date.today() + timedelta(days=10),
    )
    for step in ("Llamada difícil", "Cuestionario de cortesía"):
        notify(
            person=agent,
            kind=Notification.Kind.NUDGE,
            params={"author": supervisor.full_name, "step": step},
            url="/perfil/",
        )
    sign_in(page, agent)
    page.get_by_role("link", name=bell_name(3)).click()
    page.wait_for_url("**/avisos/")
    assert page.locator(".notification--unread").count() == 3
    assert axe_violations(page) == []
    page.get_by_role("link", name="Cortesía telefónica", exact=False).first.click()
    page.wait_for_url(f"**{course.url}")
    assert page.get_by_role("link", name=bell_name(2)).is_visible()
    page.get_by_role("link", name=bell_name(2)).click()
    with translation.override("es"):
        page.get_by_role("button", name=gettext("Mark all as read")).click()
    assert page.get_by_role("link", name=bell_name(0)).is_visible()
    assert page.locator(".notification--unread").count() == 0
    assert not Notification.objects.filter(person=agent, read_at__isnull=True).exists()
