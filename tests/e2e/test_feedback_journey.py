"""Journey: a supervisor shares feedback with a follow-up, the agent reads it and marks it
read, the supervisor sees it read and the follow-up due on Mi equipo, and marks it done.

In English (the language switch's cookie): the Spanish of these new strings joins the
catalogue at merge; the accessibility scans run both languages."""

from django.utils import timezone

import pytest

from certification.models import CoachingNote

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = "Good listening with the double-charge customer; confirm the fix before hanging up."


def in_english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_shared_feedback_is_read_by_the_agent_and_seen_read_by_the_supervisor(
    page, live_server, supervisor, agent
):
    in_english(page, live_server)
    sign_in(page, supervisor)
    page.get_by_role("link", name="My team").first.click()
    page.get_by_role("link", name=agent.full_name, exact=True).click()
    page.get_by_role("textbox", name="Coaching note").fill(TEXT)
    page.get_by_label("Feedback shared with the agent").check()
    page.get_by_label("Follow up on (optional)").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save the note").click()
    page.get_by_text("The feedback was shared with the agent.").wait_for()
    assert page.locator(".note", has_text=TEXT).get_by_text("Not read yet").is_visible()

    page.context.clear_cookies()
    in_english(page, live_server)
    sign_in(page, agent)
    page.get_by_role("link", name="My profile").first.click()
    page.get_by_role("link", name="Feedback from your supervisor").click()
    assert page.get_by_text(TEXT).is_visible()
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("Marked as read. Your supervisor will see it.").wait_for()
    assert page.get_by_role("button", name="Mark as read").count() == 0
    assert axe_violations(page) == []

    page.context.clear_cookies()
    in_english(page, live_server)
    sign_in(page, supervisor)
    page.get_by_role("link", name="My team").first.click()
    follow_ups = page.get_by_role("region", name="Follow-ups due")
    follow_ups.get_by_role("link", name=agent.full_name, exact=True).click()
    assert page.locator(".note", has_text=TEXT).get_by_text("Read on").is_visible()
    page.go_back()
    follow_ups.get_by_role("button", name="Mark as done").click()
    page.get_by_text(f"Follow-up with {agent.full_name} marked as done.").wait_for()
    assert page.get_by_role("region", name="Follow-ups due").count() == 0
    note = CoachingNote.objects.get(person=agent)
    assert note.acknowledged_at is not None and note.followed_up_at is not None
