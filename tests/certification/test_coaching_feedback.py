"""Coaching notes as private notes or feedback shared with the agent: the agent reads and
acknowledges shared feedback, the supervisor sees read/pending, every edit is kept as a
revision, follow-ups come back on Mi equipo when due.

Pages are read in English: the Spanish of these new strings is added to the catalogue at
merge (notes/feedback.po.tsv), and the English msgids are what the templates say."""

from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

import pytest

from certification.models import CoachingNote, CoachingNoteRevision, NoteKind
from certification.services import (
    acknowledge_note,
    add_coaching_note,
    complete_follow_up,
    edit_coaching_note,
)
from people.models import Notification, Role
from quizzes.models import Attempt, QuizPage

pytestmark = pytest.mark.django_db

SHARED = NoteKind.SHARED


def text(response):
    return response.content.decode()


@pytest.fixture(autouse=True)
def english(client):
    """Every request of these tests in English (the language switch's cookie): signing in
    keeps it, and client_for below sets it again after signing out."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def client_for(client):
    def sign_in(person):
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(person)
        return client

    return sign_in


@pytest.fixture
def attempt_factory(course_factory):
    course = course_factory(lessons=1)
    quiz = course.add_child(instance=QuizPage(title="Evaluación de cortesía", slug="evaluacion"))

    def make(person, number=1):
        return Attempt.objects.create(
            person=person, quiz=quiz, number=number, submitted_at=timezone.now()
        )

    return make


def test_shared_feedback_is_told_to_the_agent_who_reads_and_acknowledges_it(
    client, supervisor, agent, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certification:add_note", args=[agent.pk]),
            {"text": "Muy buena escucha con el cliente del cobro doble.", "kind": SHARED},
        )
    assert response.status_code == HTTPStatus.FOUND
    note = CoachingNote.objects.get(person=agent)
    notification = Notification.objects.get(person=agent)
    assert notification.kind == Notification.Kind.FEEDBACK_SHARED
    assert notification.url == reverse("certification:my_feedback") + f"#note-{note.pk}"
    assert [m.to for m in mail.outbox] == [[agent.email]]
    assert "cobro doble" not in mail.outbox[0].body  # the feedback itself stays on the site

    page = text(client.get(reverse("certification:agent_detail", args=[agent.pk])))
    assert "Shared with the agent" in page and "Not read yet" in page

    client.force_login(agent)
    page = text(client.get(reverse("certification:my_feedback")))
    assert "Muy buena escucha" in page and "Mark as read" in page
    response = client.post(reverse("certification:acknowledge", args=[note.pk]))
    assert response.status_code == HTTPStatus.FOUND
    page = text(client.get(response.url))
    assert "Mark as read" not in page and "Read on" in page

    client.force_login(supervisor)
    page = text(client.get(reverse("certification:agent_detail", args=[agent.pk])))
    assert "Read on" in page and "Not read yet" not in page


def test_private_notes_stay_private_and_tell_no_one(client, supervisor, agent):
    add_coaching_note(person=agent, author=supervisor, text="Le cuesta cerrar las llamadas.")
    client.force_login(agent)
    page = text(client.get(reverse("certification:my_feedback")))
    assert "cerrar las llamadas" not in page and "No feedback shared with you yet." in page
    assert not Notification.objects.exists() and not mail.outbox
    note = CoachingNote.objects.get()
    response = client.post(reverse("certification:acknowledge", args=[note.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    with pytest.raises(PermissionDenied):
        acknowledge_note(note=note, person=agent)


def test_only_the_agent_acknowledges_and_the_first_time_is_kept(
    client, supervisor, agent, teammate
):
    note = add_coaching_note(person=agent, author=supervisor, text="Bien.", kind=SHARED)
    client.force_login(teammate)
    assert client.get(reverse("certification:my_feedback")).content.decode().count("Bien.") == 0
    response = client.post(reverse("certification:acknowledge", args=[note.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    first = acknowledge_note(note=note, person=agent).acknowledged_at
    assert first is not None
    assert acknowledge_note(note=note, person=agent).acknowledged_at == first
    with pytest.raises(PermissionDenied):
        acknowledge_note(note=note, person=supervisor)


def test_acknowledge_is_a_post(client, supervisor, agent):
    note = add_coaching_note(person=agent, author=supervisor, text="Bien.", kind=SHARED)
    client.force_login(agent)
    response = client.get(reverse("certification:acknowledge", args=[note.pk]))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    note.refresh_from_db()
    assert note.acknowledged_at is None


def test_every_edit_is_kept_as_a_revision_and_shown(client, supervisor, agent):
    note = add_coaching_note(person=agent, author=supervisor, text="Primera versión.")
    client.force_login(supervisor)
    url = reverse("certification:edit_note", args=[note.pk])
    response = client.post(url, {"text": "Segunda versión.", "kind": NoteKind.PRIVATE})
    assert response.status_code == HTTPStatus.FOUND
    client.post(url, {"text": "Segunda versión.", "kind": NoteKind.PRIVATE})  # no change
    note.refresh_from_db()
    assert note.text == "Segunda versión."
    revision = CoachingNoteRevision.objects.get(note=note)
    assert (revision.text, revision.edited_by) == ("Primera versión.", supervisor)
    page = text(client.get(reverse("certification:agent_detail", args=[agent.pk])))
    assert "edited by Marta Ruiz on" in page
    assert "Primera versión." in page and "1 earlier version" in page


def test_the_author_or_hr_edit_a_note_and_nobody_else(
    client_for, supervisor, agent, hr, user_factory, team
):
    note = add_coaching_note(person=agent, author=supervisor, text="Nota de Marta.")
    co_supervisor = user_factory(roles=[Role.SUPERVISOR], full_name="Elena Vidal")
    team.supervisors.add(co_supervisor)
    url = reverse("certification:edit_note", args=[note.pk])
    assert client_for(co_supervisor).get(url).status_code == HTTPStatus.FORBIDDEN
    page = text(
        client_for(co_supervisor).get(reverse("certification:agent_detail", args=[agent.pk]))
    )
    assert "Nota de Marta." in page and url not in page  # sees it, cannot edit it
    assert client_for(supervisor).get(url).status_code == HTTPStatus.OK
    response = client_for(hr).post(url, {"text": "Corregido por RR. HH.", "kind": "private"})
    assert response.status_code == HTTPStatus.FOUND
    assert CoachingNoteRevision.objects.get().edited_by == hr
    with pytest.raises(PermissionDenied):
        edit_coaching_note(note=note, editor=co_supervisor, text="No.")


def test_changing_shared_feedback_asks_the_agent_to_read_it_again(supervisor, agent):
    note = add_coaching_note(person=agent, author=supervisor, text="Primera.", kind=SHARED)
    acknowledge_note(note=note, person=agent)
    note = edit_coaching_note(note=note, editor=supervisor, text="Primera.", follow_up_on=None)
    assert note.acknowledged_at is not None  # nothing changed: still read
    note = edit_coaching_note(note=note, editor=supervisor, text="Primera, corregida.")
    assert note.acknowledged_at is None
    assert Notification.objects.filter(person=agent).count() == 2
    acknowledge_note(note=note, person=agent)
    note = edit_coaching_note(note=note, editor=supervisor, text="Privada.", kind="private")
    assert note.acknowledged_at is None and not note.is_shared
    assert Notification.objects.filter(person=agent).count() == 2
    assert CoachingNoteRevision.objects.filter(note=note).count() == 2


def test_a_private_note_made_shared_is_told_once(supervisor, agent):
    note = add_coaching_note(person=agent, author=supervisor, text="Para compartir.")
    edit_coaching_note(note=note, editor=supervisor, text="Para compartir.", kind=SHARED)
    assert Notification.objects.filter(person=agent).count() == 1


def test_a_rolled_back_note_tells_no_one(supervisor, agent):
    with pytest.raises(RuntimeError), transaction.atomic():
        add_coaching_note(person=agent, author=supervisor, text="Compartida.", kind=SHARED)
        raise RuntimeError
    assert not CoachingNote.objects.exists() and not Notification.objects.exists()


def test_a_note_about_an_attempt_names_it_and_only_the_persons_own(
    client, supervisor, agent, teammate, attempt_factory
):
    mine, theirs = attempt_factory(agent), attempt_factory(teammate)
    client.force_login(supervisor)
    url = reverse("certification:add_note", args=[agent.pk])
    response = client.post(
        url, {"text": "Pregunta difícil.", "kind": SHARED, "attempt": theirs.pk, "position": 3}
    )
    assert response.status_code == HTTPStatus.OK and not CoachingNote.objects.exists()
    response = client.post(
        url,
        {
            "text": "Pregunta difícil.",
            "kind": SHARED,
            "attempt": mine.pk,
            "position": 3,
            "next": f"/equipo/agentes/{agent.pk}/?revisar=1#pregunta-3",
        },
    )
    assert response.url == f"/equipo/agentes/{agent.pk}/?revisar=1#pregunta-3"
    note = CoachingNote.objects.get()
    assert (note.attempt, note.position) == (mine, 3)
    client.force_login(agent)
    page = text(client.get(reverse("certification:my_feedback")))
    assert "About the quiz “Evaluación de cortesía” (attempt 1), question 3" in page
    with pytest.raises(ValueError):
        add_coaching_note(person=agent, author=supervisor, text="x", attempt=theirs)
    with pytest.raises(ValueError):
        add_coaching_note(person=agent, author=supervisor, text="x", position=2)


def test_next_never_leaves_the_site(client, supervisor, agent):
    client.force_login(supervisor)
    response = client.post(
        reverse("certification:add_note", args=[agent.pk]),
        {"text": "Nota.", "next": "https://evil.example/"},
    )
    assert response.url == reverse("certification:agent_detail", args=[agent.pk]) + "#notes-heading"


def test_bad_input_is_shown_again_with_its_errors(client, supervisor, agent):
    client.force_login(supervisor)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("certification:add_note", args=[agent.pk]),
        {"text": "<b></b>", "kind": "secreto", "follow_up_on": yesterday.isoformat()},
    )
    page = text(response)
    assert response.status_code == HTTPStatus.OK and not CoachingNote.objects.exists()
    assert "This field is required." in page
    assert "Choose today or a later day." in page
    assert "Select a valid choice." in page


def test_the_database_refuses_a_note_on_two_activities_or_read_while_private(
    supervisor, agent, attempt_factory
):
    note = add_coaching_note(person=agent, author=supervisor, text="Privada.")
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingNote.objects.filter(pk=note.pk).update(acknowledged_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingNote.objects.filter(pk=note.pk).update(position=2)


def test_follow_ups_due_come_back_on_my_team_until_marked_done(
    client, supervisor, other_supervisor, agent, teammate, outsider
):
    today = timezone.localdate()
    due = add_coaching_note(
        person=agent, author=supervisor, text="Revisar el cierre de llamadas.", follow_up_on=today
    )
    late = add_coaching_note(
        person=teammate, author=supervisor, text="¿Mejoró el tono?", follow_up_on=today
    )
    CoachingNote.objects.filter(pk=late.pk).update(follow_up_on=today - timedelta(days=3))
    add_coaching_note(
        person=agent, author=supervisor, text="Más adelante.", follow_up_on=today + timedelta(1)
    )
    add_coaching_note(
        person=outsider, author=other_supervisor, text="De otro equipo.", follow_up_on=today
    )
    client.force_login(supervisor)
    page = text(client.get(reverse("certification:team_dashboard")))
    assert "Follow-ups due" in page
    assert "Revisar el cierre de llamadas." in page and "¿Mejoró el tono?" in page
    assert "Más adelante." not in page and "De otro equipo." not in page
    assert page.index("¿Mejoró el tono?") < page.index("Revisar el cierre")  # oldest first
    response = client.post(reverse("certification:follow_up_done", args=[due.pk]))
    assert response.url == reverse("certification:team_dashboard")
    page = text(client.get(response.url))
    assert "Revisar el cierre de llamadas." not in page and "¿Mejoró el tono?" in page
    client.force_login(other_supervisor)
    response = client.post(reverse("certification:follow_up_done", args=[late.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    with pytest.raises(PermissionDenied):
        complete_follow_up(note=late, person=other_supervisor)


def test_a_new_follow_up_date_is_a_new_follow_up(supervisor, agent):
    today = timezone.localdate()
    note = add_coaching_note(person=agent, author=supervisor, text="x", follow_up_on=today)
    note = complete_follow_up(note=note, person=supervisor)
    assert note.followed_up_at is not None
    later = today + timedelta(days=7)
    note = edit_coaching_note(note=note, editor=supervisor, text="x", follow_up_on=later)
    assert note.followed_up_at is None and note.follow_up_on == later


def _grow(person, author, count):
    while CoachingNote.objects.filter(person=person).count() < count:
        note = add_coaching_note(
            person=person,
            author=author,
            text="Nota compartida.",
            kind=SHARED,
            follow_up_on=timezone.localdate(),
        )
        edit_coaching_note(note=note, editor=author, text="Nota compartida, editada.")


def test_feedback_pages_read_as_many_queries_for_10_or_100_notes(
    client, supervisor, agent, django_assert_max_num_queries
):
    pages = [
        (agent, reverse("certification:my_feedback"), 10),
        (supervisor, reverse("certification:agent_detail", args=[agent.pk]), 14),
        # Mi equipo: also the members' learning, trends, the organisation's mean, the bulk bar.
        (supervisor, reverse("certification:team_dashboard"), 16),
    ]
    for size in (10, 100):
        _grow(agent, supervisor, size)
        for viewer, url, queries in pages:
            client.force_login(viewer)
            with django_assert_max_num_queries(queries):
                response = client.get(url)
            assert response.status_code == HTTPStatus.OK
            assert "Nota compartida, editada." in text(response)


def test_feedback_edited_after_the_agent_opened_it_is_not_acknowledged_unread(
    client, supervisor, agent
):
    note = add_coaching_note(person=agent, author=supervisor, text="Primera.", kind=SHARED)
    client.force_login(agent)
    page = text(client.get(reverse("certification:my_feedback")))
    assert 'name="seen_revision" value="0"' in page
    edit_coaching_note(note=note, editor=supervisor, text="Segunda, con otro sentido.")
    url = reverse("certification:acknowledge", args=[note.pk])
    page = text(client.post(url, {"seen_revision": "0"}, follow=True))
    assert "This feedback was changed after you opened the page: read it again." in page
    note.refresh_from_db()
    assert note.acknowledged_at is None
    seen = CoachingNoteRevision.objects.get(note=note).pk
    assert f'name="seen_revision" value="{seen}"' in page
    client.post(url, {"seen_revision": str(seen)})
    note.refresh_from_db()
    assert note.acknowledged_at is not None
