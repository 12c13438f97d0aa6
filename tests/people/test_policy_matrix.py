"""The whole matrix of who may see whose records, through the policy and through the views."""

from datetime import date
from http import HTTPStatus

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

import pytest

from people.policy import can_manage_people, can_view_records, visible_people
from tests.quizzes.conftest import category, question_factory, questions, quiz_factory  # noqa: F401
from tests.scenarios.conftest import personality, scenario_factory  # noqa: F401

pytestmark = pytest.mark.django_db

VIEWERS = [
    "anonymous",
    "agent",
    "teammate",
    "supervisor",
    "other_supervisor",
    "hr",
    "editor",
    "superuser",
]

# viewer → which of (agent, outsider) they may see.
EXPECTED = {
    "anonymous": (False, False),
    "agent": (True, False),  # themself
    "teammate": (False, False),  # agents never see each other
    "supervisor": (True, False),  # own team only
    "other_supervisor": (False, True),
    "hr": (True, True),
    "editor": (False, False),
    "superuser": (True, True),
}


@pytest.fixture
def people(request, agent, outsider, teammate, supervisor, other_supervisor, hr, editor, superuser):
    return {
        "anonymous": AnonymousUser(),
        "agent": agent,
        "teammate": teammate,
        "outsider": outsider,
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "hr": hr,
        "editor": editor,
        "superuser": superuser,
    }


@pytest.mark.parametrize("viewer", VIEWERS)
def test_policy_check_and_queryset_agree(people, viewer):
    who = people[viewer]
    sees_agent, sees_outsider = EXPECTED[viewer]
    assert can_view_records(who, people["agent"]) is sees_agent
    assert can_view_records(who, people["outsider"]) is sees_outsider
    visible = set(visible_people(who))
    assert (people["agent"] in visible) is sees_agent
    assert (people["outsider"] in visible) is sees_outsider


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_everybody_sees_themself(people, viewer):
    assert can_view_records(people[viewer], people[viewer])


def test_a_supervisor_stops_seeing_an_agent_who_moved_away(people, other_team):
    from people.services import move_to_team

    move_to_team(person=people["agent"], team=other_team)
    assert not can_view_records(people["supervisor"], people["agent"])
    assert can_view_records(people["other_supervisor"], people["agent"])


def test_an_inactive_account_sees_nothing(people):
    hr = people["hr"]
    hr.is_active = False
    assert not can_view_records(hr, people["agent"])
    assert not visible_people(hr).exists()


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("target", ["agent", "outsider"])
def test_person_page_follows_the_policy(client_for, people, viewer, target):
    client = client_for(None if viewer == "anonymous" else people[viewer])
    response = client.get(reverse("people:person_detail", args=[people[target].pk]))
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
        return
    allowed = EXPECTED[viewer][0 if target == "agent" else 1]
    assert response.status_code == (HTTPStatus.OK if allowed else HTTPStatus.FORBIDDEN)
    if allowed:
        assert people[target].full_name in response.content.decode()


HR_PAGES = ["people:hr_home", "people:person_create", "people:import_upload"]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", HR_PAGES)
def test_hr_pages_are_for_hr_only(client_for, people, viewer, page):
    client = client_for(None if viewer == "anonymous" else people[viewer])
    response = client.get(reverse(page))
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
    elif can_manage_people(people[viewer]):
        assert response.status_code == HTTPStatus.OK
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("viewer", VIEWERS)
def test_team_dashboard_is_for_supervisors_and_lists_their_own_team(client_for, people, viewer):
    client = client_for(None if viewer == "anonymous" else people[viewer])
    response = client.get(reverse("certification:team_dashboard"))
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        return
    if viewer not in {"supervisor", "other_supervisor"}:
        assert response.status_code == HTTPStatus.FORBIDDEN
        return
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    own, other = ("agent", "outsider") if viewer == "supervisor" else ("outsider", "agent")
    assert people[own].full_name in html
    assert people[other].full_name not in html


def test_someone_elses_import_is_not_found(client_for, people, user_factory):
    from people.models import PeopleImport, Role

    other_hr = user_factory(roles=[Role.HR])
    upload = PeopleImport.objects.create(
        uploaded_by=other_hr, filename="x.csv", content="email,nombre\n", encoding="utf-8"
    )
    response = client_for(people["hr"]).get(reverse("people:import_preview", args=[upload.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_hr_list_makes_the_same_queries_for_few_or_many_people(
    client, hr, team, user_factory, django_assert_max_num_queries
):
    from people.models import Role

    client.force_login(hr)
    for size in (3, 45):
        while team.members.count() < size:
            user_factory(roles=[Role.AGENT], team=team)
        with django_assert_max_num_queries(11):
            response = client.get(reverse("people:hr_home"))
        assert response.status_code == HTTPStatus.OK


# Coaching notes: viewer → status of (the page on the agent, the page on the outsider), for
# the new-note page and for the edit page of a note the person's own supervisor wrote.
COACHING_EXPECTED = {
    "agent": (HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN),  # agents coach no one
    "teammate": (HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN),
    "supervisor": (HTTPStatus.OK, HTTPStatus.NOT_FOUND),  # own team only
    "other_supervisor": (HTTPStatus.NOT_FOUND, HTTPStatus.OK),
    "hr": (HTTPStatus.OK, HTTPStatus.OK),
    "editor": (HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN),
    "superuser": (HTTPStatus.OK, HTTPStatus.OK),
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_coaching_note_pages_follow_the_policy(client_for, people, viewer):
    """New note, edit note, my feedback and acknowledging, for every role: a supervisor
    coaches their own team, HR everyone; each person reads and acknowledges only the
    feedback shared with them."""
    from certification.services import add_coaching_note

    notes = {
        target: add_coaching_note(
            person=people[target],
            author=people[author],
            text=f"Comentario para {target}",
            kind="shared",
        )
        for target, author in (("agent", "supervisor"), ("outsider", "other_supervisor"))
    }
    client = client_for(None if viewer == "anonymous" else people[viewer])
    for n, target in enumerate(("agent", "outsider")):
        urls = [
            reverse("certification:add_note", args=[people[target].pk]),
            reverse("certification:edit_note", args=[notes[target].pk]),
        ]
        for url in urls:
            response = client.get(url)
            if viewer == "anonymous":
                assert response.status_code == HTTPStatus.FOUND, url
            else:
                assert response.status_code == COACHING_EXPECTED[viewer][n], url
    response = client.get(reverse("certification:my_feedback"))
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        return
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert ("Comentario para agent" in html) is (viewer == "agent")
    assert "Comentario para outsider" not in html
    response = client.post(reverse("certification:acknowledge", args=[notes["agent"].pk]))
    assert response.status_code == (HTTPStatus.FOUND if viewer == "agent" else HTTPStatus.NOT_FOUND)


REVIEW_PAGES = [
    ("attempt", "certification:attempt_review"),
    ("attempt", "certification:attempt_retake"),
    ("attempt", "certification:attempt_nudge"),
    ("run", "certification:run_review"),
    ("run", "certification:run_retake"),
    ("run", "certification:run_nudge"),
]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_review_pages_follow_the_policy(request, client_for, people, viewer, course_factory):
    """The review of a quiz attempt or role-play run and the re-assign and nudge pages, on
    the agent and on the outsider, for every role: as the coaching-note pages (a supervisor
    their own team, HR everyone, nobody their own; 403 for roles that coach no one)."""
    from quizzes.services import start_attempt, submit_attempt
    from scenarios.services import choose, start_run

    course = course_factory(title="Trato telefónico", slug="trato-telefonico", lessons=1)
    quiz = request.getfixturevalue("quiz_factory")(course=course)
    scenario = request.getfixturevalue("scenario_factory")(course=course)
    activities = {}
    for target in ("agent", "outsider"):
        attempt = start_attempt(person=people[target], quiz=quiz)
        submit_attempt(attempt=attempt, refresh_statistics=False)
        run = start_run(person=people[target], scenario=scenario)
        choose(run=run, line_key="inicio", choice_key="insulto")
        activities[target] = {"attempt": attempt, "run": run}
    client = client_for(None if viewer == "anonymous" else people[viewer])
    for n, target in enumerate(("agent", "outsider")):
        for source, name in REVIEW_PAGES:
            url = reverse(name, args=[activities[target][source].pk])
            response = client.get(url)
            if viewer == "anonymous":
                assert response.status_code == HTTPStatus.FOUND, url
                assert response.url.startswith(reverse("account_login"))
            else:
                assert response.status_code == COACHING_EXPECTED[viewer][n], url


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", ["matrix", "export"])
def test_progress_matrix_lists_whom_the_policy_lets_hr_and_supervisors_see(
    client_for, people, viewer, page
):
    from certification.models import Programme

    Programme.objects.create(name="Agente certificado")
    client = client_for(None if viewer == "anonymous" else people[viewer])
    url = (
        reverse("certification:progress_matrix")
        if page == "matrix"
        else reverse("certification:progress_matrix_export", args=["csv"])
    )
    response = client.get(url)
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
        return
    if viewer not in {"supervisor", "other_supervisor", "hr", "superuser"}:
        assert response.status_code == HTTPStatus.FORBIDDEN
        return
    assert response.status_code == HTTPStatus.OK
    text = (response.content if page == "matrix" else b"".join(response.streaming_content)).decode(
        "utf-8-sig"
    )
    sees_agent, sees_outsider = EXPECTED[viewer]
    assert (people["agent"].full_name in text) is sees_agent
    assert (people["outsider"].full_name in text) is sees_outsider


MANAGES = {  # viewer → which of (agent, outsider) they may act on in bulk
    "supervisor": (True, False),
    "other_supervisor": (False, True),
    "hr": (True, True),
    "superuser": (True, True),
}


# viewer → whose dates their calendar shows, of (agent, outsider): their own, and a
# supervisor's team's; HR and superusers see everyone's records but their calendar is theirs.
CALENDAR_SEES = {
    "anonymous": (False, False),
    "agent": (True, False),
    "teammate": (False, False),
    "supervisor": (True, False),
    "other_supervisor": (False, True),
    "hr": (False, False),
    "editor": (False, False),
    "superuser": (False, False),
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("target", ["agent", "outsider"])
def test_bulk_actions_follow_the_policy(client_for, people, course_factory, viewer, target):
    """A bulk withdrawal confirmed at once: managers act on their teams' people only; anyone
    else is refused before anything is read."""
    from courses.models import Assignment
    from courses.services import assign_course

    course = course_factory(lessons=1)
    person = people[target]
    assign_course(actor=people["hr"], course=course, team=person.current_team,
                  people=[person], due_on=date.today())  # fmt: skip
    assignment = Assignment.objects.get(person=person)
    client = client_for(None if viewer == "anonymous" else people[viewer])
    response = client.post(
        reverse("courses:bulk_action"),
        {"action": "withdraw", "assignments": [assignment.pk], "confirm": "1"},
    )
    withdrawn = not Assignment.objects.active().filter(pk=assignment.pk).exists()
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
    elif viewer not in MANAGES:
        assert response.status_code == HTTPStatus.FORBIDDEN
    elif MANAGES[viewer][0 if target == "agent" else 1]:
        assert response.status_code == HTTPStatus.FOUND and withdrawn
        return
    else:  # another team's: not one of the choices, said on the page
        assert response.status_code == HTTPStatus.OK
    assert not withdrawn


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", ["certification:calendar_month", "certification:calendar_list"])
def test_calendar_pages_follow_the_policy(
    client_for, people, supervisor, other_supervisor, course_factory, viewer, page
):
    from datetime import date

    from courses.services import assign_course

    course = course_factory(title="Conceptos", lessons=1)
    due = date(2026, 12, 10)
    assign_course(
        actor=supervisor,
        course=course,
        team=people["agent"].current_team,
        due_on=due,
        people=[people["agent"]],
    )
    assign_course(
        actor=other_supervisor,
        course=course,
        team=people["outsider"].current_team,
        due_on=due,
        people=[people["outsider"]],
    )
    client = client_for(None if viewer == "anonymous" else people[viewer])
    response = client.get(reverse(page, args=[2026, 12]))
    if viewer == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
        return
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    sees_agent, sees_outsider = CALENDAR_SEES[viewer]
    if viewer != "agent":  # the agent's own calendar does not name them
        assert (people["agent"].full_name in html) is sees_agent
    assert (people["outsider"].full_name in html) is sees_outsider
    assert ("Conceptos" in html) is (sees_agent or sees_outsider)
