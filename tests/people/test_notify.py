"""people.notifications.notify: each channel the person wants, once, in the caller's
transaction; the text follows the reader's language."""

from datetime import date

from django.core import mail
from django.db import transaction
from django.utils import translation

import pytest

from people.models import Channel, Notification
from people.notifications import notify, save_preferences, unread_count

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def test_notify_writes_the_notification_and_sends_its_email(
    agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = notify(
            person=agent,
            kind=Kind.NUDGE,
            params={"author": "Marta Ruiz", "step": "Cuestionario de cortesía"},
            url="/cursos/",
            email=(None, {}),
        )
    assert Notification.objects.get() == notification
    (message,) = mail.outbox
    assert message.to == [agent.email]
    assert "Marta Ruiz" in message.subject and "Cuestionario de cortesía" in message.subject
    assert "/cursos/" in message.body and "/avisos/" in message.body
    assert unread_count(agent) == 1


def test_a_rolled_back_notification_is_told_nowhere(agent, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(person=agent, kind=Kind.NUDGE, params={"author": "M", "step": "S"}, email=(None, {}))
        raise RuntimeError
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert unread_count(agent) == 0


def test_channels_turned_off_are_skipped(agent):
    save_preferences(
        person=agent,
        choices={(Kind.NUDGE, Channel.SITE): False, (Kind.NUDGE, Channel.EMAIL): False},
    )
    assert notify(person=agent, kind=Kind.NUDGE, params={}, email=(None, {})) is None
    assert not Notification.objects.exists() and mail.outbox == []


def test_the_assignment_email_cannot_be_turned_off(agent, django_capture_on_commit_callbacks):
    save_preferences(person=agent, choices={(Kind.ASSIGNED, Channel.EMAIL): False})
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=agent, kind=Kind.ASSIGNED, params={"course": "Cortesía"}, email=(None, {}))
    assert len(mail.outbox) == 1


def test_the_text_is_written_in_the_readers_language(agent):
    notification = notify(
        person=agent,
        kind=Kind.DUE_SOON,
        params={"course": "Cortesía", "due_on": date(2027, 3, 10)},
    )
    notification.refresh_from_db()
    with translation.override("en"):
        assert notification.message == "Cortesía is due on 10 Mar 2027."
    with translation.override("es"):
        assert "10 de marzo de 2027" in notification.message  # the date in the reader's format
