"""Adding an onboarding rule shows first whom it reaches now, creates on confirmation, and can
be undone from the same screen (issue 11, item 5)."""

from datetime import timedelta
from http import HTTPStatus

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Assignment, AssignmentEvent, OnboardingRule
from courses.services import AssignmentRefused, undo_onboarding_rule
from people.models import Role, User

pytestmark = pytest.mark.django_db

RULES = reverse("courses:onboarding_rules")


@pytest.fixture
def recent_agents(user_factory):
    return [user_factory(roles=[Role.AGENT], full_name=f"Agente {n}") for n in range(1, 4)]


@pytest.fixture
def veteran(user_factory):
    person = user_factory(roles=[Role.AGENT], full_name="Veterana")
    User.objects.filter(pk=person.pk).update(date_joined=timezone.now() - timedelta(days=90))
    return person


def test_the_preview_shows_the_count_and_creates_and_sends_nothing(
    client, hr, recent_agents, veteran, course, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RULES, {"course": course.pk, "days": 14})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Se asignará ahora a 3 personas y recibirán un correo." in html
    assert "Agente 1" in html and "Veterana" not in html
    assert not OnboardingRule.objects.exists()
    assert not Assignment.objects.exists()
    assert mail.outbox == []


def test_the_preview_says_one_person_in_the_singular(client, hr, user_factory, course):
    user_factory(roles=[Role.AGENT], full_name="Agente solo")
    client.force_login(hr)
    html = client.post(RULES, {"course": course.pk, "days": 14}).content.decode()
    assert "Se asignará ahora a 1 persona y recibirá un correo." in html


def test_confirming_creates_the_rule_and_emails_each_person_reached(
    client, hr, recent_agents, veteran, course, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RULES, {"course": course.pk, "days": 14, "confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    rule = OnboardingRule.objects.get()
    assigned = Assignment.objects.filter(course=course)
    assert {a.person for a in assigned} == set(recent_agents)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in recent_agents)
    page = client.get(response["Location"]).content.decode()
    assert "asignado ahora a 3 personas" in page
    assert reverse("courses:undo_onboarding_rule", args=[rule.pk]) in page
    assert "Deshacer" in page


def test_undo_withdraws_exactly_what_the_rule_just_created(
    client, hr, supervisor, team, agent, recent_agents, course, django_capture_on_commit_callbacks
):
    from courses.services import assign_course

    due = timezone.localdate() + timedelta(days=10)
    assign_course(actor=supervisor, course=course, team=team, due_on=due, people=[agent])
    before = Assignment.objects.get(person=agent)
    client.force_login(hr)
    client.post(RULES, {"course": course.pk, "days": 14, "confirm": "1"})
    rule = OnboardingRule.objects.get()
    made = set(rule.assigned_at_creation.all())
    assert {a.person for a in made} == set(recent_agents)  # the agent already had it

    undo = reverse("courses:undo_onboarding_rule", args=[rule.pk])
    confirm_page = client.get(undo)
    assert confirm_page.status_code == HTTPStatus.OK
    assert "Se retirarán 3 asignaciones" in confirm_page.content.decode()
    assert Assignment.objects.active().filter(course=course).count() == 4  # nothing yet

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(undo)
    assert response.status_code == HTTPStatus.FOUND
    assert set(Assignment.objects.active().filter(course=course)) == {before}
    withdrawn = AssignmentEvent.objects.filter(action=AssignmentEvent.Action.WITHDRAWN)
    assert {e.assignment for e in withdrawn} == made
    assert {e.actor for e in withdrawn} == {hr}
    rule.refresh_from_db()
    assert not rule.is_active and rule.undone_at is not None
    assert mail.outbox == []
    # a new agent no longer gets the course, and undoing again changes nothing
    newcomer = User.objects.create_user(email="nueva@example.com", full_name="Nueva")
    from people.services import grant_role

    grant_role(person=newcomer, role=Role.AGENT)
    assert not Assignment.objects.filter(person=newcomer).exists()
    assert undo_onboarding_rule(actor=hr, rule=rule) == []
    assert client.get(undo).status_code == HTTPStatus.NOT_FOUND


def test_only_hr_undoes_a_rule(hr, supervisor, recent_agents, course):
    from courses.services import create_onboarding_rule

    rule = create_onboarding_rule(actor=hr, course=course, days=14)
    with pytest.raises(AssignmentRefused):
        undo_onboarding_rule(actor=supervisor, rule=rule)
    assert Assignment.objects.active().count() == 3


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", HTTPStatus.FOUND),
        ("agent", HTTPStatus.FORBIDDEN),
        ("supervisor", HTTPStatus.FORBIDDEN),
        ("editor", HTTPStatus.FORBIDDEN),
        ("hr", HTTPStatus.OK),
    ],
)
def test_only_hr_previews_and_undoes(request, client, who, expected, hr, course):
    from courses.services import create_onboarding_rule

    rule = create_onboarding_rule(actor=hr, course=course, days=14)
    person = None if who == "anonymous" else request.getfixturevalue(who)
    client.logout()
    if person:
        client.force_login(person)
    undo = reverse("courses:undo_onboarding_rule", args=[rule.pk])
    preview = client.post(RULES, {"course": course.pk, "days": 14})
    assert preview.status_code == expected
    assert client.get(undo).status_code == expected
    if expected != HTTPStatus.OK:
        assert client.post(undo).status_code == expected
        rule.refresh_from_db()
        assert rule.is_active
        assert OnboardingRule.objects.count() == 1


@pytest.mark.parametrize("agents", [3, 30])
def test_the_preview_and_the_undo_page_cost_the_same_queries_for_3_or_30_people(
    client, hr, user_factory, course, agents, django_assert_max_num_queries
):
    for n in range(agents):
        user_factory(roles=[Role.AGENT], full_name=f"Agente {n}")
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        assert client.post(RULES, {"course": course.pk, "days": 14}).status_code == HTTPStatus.OK
    client.post(RULES, {"course": course.pk, "days": 14, "confirm": "1"})
    undo = reverse("courses:undo_onboarding_rule", args=[OnboardingRule.objects.get().pk])
    with django_assert_max_num_queries(12):
        assert client.get(undo).status_code == HTTPStatus.OK


def test_a_rule_that_reaches_nobody_says_so(client, hr, veteran, course):
    client.force_login(hr)
    html = client.post(RULES, {"course": course.pk, "days": 14}).content.decode()
    assert "Ahora no se asigna a nadie y no se envía ningún correo." in html
    assert "0 personas" not in html


def test_confirming_twice_keeps_one_rule_and_says_why(
    client, hr, recent_agents, course, django_capture_on_commit_callbacks
):
    """A double click on "Confirmar y añadir" (or a second rule for the same course) makes no
    second rule and sends no second email."""
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RULES, {"course": course.pk, "days": 14, "confirm": "1"})
        again = client.post(RULES, {"course": course.pk, "days": 14, "confirm": "1"})
    assert again.status_code == HTTPStatus.OK
    assert "Ya hay una regla para «Curso de cortesía»" in again.content.decode()
    assert OnboardingRule.objects.count() == 1
    assert len(mail.outbox) == 3


def test_the_database_holds_one_active_rule_per_course(hr, course):
    """Two confirmations at the same moment cannot both pass the check: the database refuses
    the second active rule (an undone rule does not count)."""
    from django.db import IntegrityError, transaction

    OnboardingRule.objects.create(course=course, days=14, is_active=False)
    OnboardingRule.objects.create(course=course, days=14)
    with pytest.raises(IntegrityError), transaction.atomic():
        OnboardingRule.objects.create(course=course, days=30)
