"""HR's onboarding rules and the searchable audit log."""

from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Assignment
from courses.services import AssignmentRefused, assign_course, create_onboarding_rule
from people.models import Role, User

pytestmark = pytest.mark.django_db


def test_a_rule_reaches_recent_agents_and_those_who_join_later(hr, user_factory, course):
    veteran = user_factory(roles=[Role.AGENT])
    User.objects.filter(pk=veteran.pk).update(date_joined=timezone.now() - timedelta(days=90))
    recent = user_factory(roles=[Role.AGENT])
    create_onboarding_rule(actor=hr, course=course, days=30)
    assert Assignment.objects.filter(person=recent, course=course).exists()
    assert not Assignment.objects.filter(person=veteran).exists()
    newcomer = user_factory(roles=[Role.AGENT])
    assignment = Assignment.objects.get(person=newcomer, course=course)
    assert assignment.due_on == timezone.localdate() + timedelta(days=30)


def test_only_hr_makes_rules(supervisor, course):
    with pytest.raises(AssignmentRefused):
        create_onboarding_rule(actor=supervisor, course=course, days=30)


def test_hr_adds_a_rule_through_the_page(client, hr, course):
    client.force_login(hr)
    url = reverse("courses:onboarding_rules")
    response = client.post(url, {"course": course.pk, "days": 15, "confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert course.title in client.get(reverse("courses:onboarding_rules")).content.decode()


def test_the_audit_log_is_searchable_and_for_hr(
    client, hr, supervisor, agent, team, course_factory
):
    cortesia = course_factory(title="Cortesía", lessons=1)
    crm = course_factory(title="CRM básico", lessons=1)
    due = timezone.localdate() + timedelta(days=5)
    assign_course(actor=supervisor, course=cortesia, team=team, due_on=due)
    assign_course(actor=supervisor, course=crm, team=team, due_on=due)
    client.force_login(hr)
    html = client.get(reverse("courses:audit_log"), {"q": "CRM"}).content.decode()
    assert "CRM básico" in html and "Cortesía" not in html and "Marta Ruiz" in html
    client.force_login(supervisor)
    assert client.get(reverse("courses:audit_log")).status_code == HTTPStatus.FORBIDDEN
