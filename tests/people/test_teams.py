from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from people.models import Membership
from people.services import move_to_team

pytestmark = pytest.mark.django_db


def test_moving_an_agent_closes_the_old_membership_and_keeps_history(agent, team, other_team):
    move_to_team(person=agent, team=other_team)
    assert agent.current_team == other_team
    history = list(agent.memberships.order_by("started_at"))
    assert [m.team for m in history] == [team, other_team]
    assert history[0].ended_at is not None and history[1].ended_at is None
    assert agent not in team.members and agent in other_team.members


def test_moving_to_the_current_team_changes_nothing(agent, team):
    move_to_team(person=agent, team=team)
    assert agent.memberships.count() == 1


def test_leaving_every_team(agent):
    move_to_team(person=agent, team=None)
    assert agent.current_team is None
    assert agent.memberships.count() == 1


def test_the_database_refuses_two_current_teams(agent, other_team):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=agent, team=other_team)


def test_the_database_refuses_a_membership_ending_before_it_starts(agent, other_team):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=agent, team=other_team, started_at=now, ended_at=now - timedelta(days=1)
        )


def test_hr_manages_teams_in_the_wagtail_admin(client, hr, supervisor, agent):
    client.force_login(hr)
    response = client.get("/admin/snippets/people/team/add/")
    html = response.content.decode()
    assert response.status_code == 200
    # Only supervisors are offered as supervisors of a team.
    assert supervisor.full_name in html and agent.full_name not in html
