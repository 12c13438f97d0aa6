"""The calendar: a month and a list of due dates and certificate expiries (mine; my teams'
when I supervise), and the private iCalendar feed with its revocable secret link."""

from datetime import date, datetime, time, timedelta
from http import HTTPStatus

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

import icalendar
import pytest

from certification.models import CalendarFeed, Certificate, Programme
from courses.models import Assignment
from courses.services import assign_course
from people.models import Role
from people.policy import calendar_people
from tests.quizzes.conftest import category, question_factory, questions, quiz_factory  # noqa: F401

pytestmark = pytest.mark.django_db

MONTH = date(2026, 12, 1)  # the month the tests look at, whatever today is


def english(client):
    """Assert on the English wording: the Spanish of this lane's new strings reaches the
    catalogue when the lead merges it (notes/home.po.tsv)."""
    client.cookies["django_language"] = "en"
    return client


def month_url(first=MONTH):
    return reverse("certification:calendar_month", args=[first.year, first.month])


def list_url(first=MONTH):
    return reverse("certification:calendar_list", args=[first.year, first.month])


def assign(supervisor, team, course, due_on, people=None):
    assign_course(actor=supervisor, course=course, team=team, due_on=due_on, people=people)


def certificate(person, name, expires_on):
    programme, _ = Programme.objects.get_or_create(name=name)
    expires = timezone.make_aware(datetime.combine(expires_on, time(12)))
    return Certificate.objects.create(
        person=person,
        programme=programme,
        issued_at=expires - timedelta(days=365),
        expires_at=expires,
    )


@pytest.fixture
def dated(
    agent, teammate, outsider, supervisor, other_supervisor, team, other_team, course_factory
):
    """Lucía (team Norte) has "Conceptos" due on 10 December and a certificate expiring on
    the 20th; Javier (Norte) "Conceptos" on the 12th; Sofía (team Sur) "Quejas" on the 15th;
    Marta, the supervisor, a certificate of her own expiring on the 5th."""
    conceptos = course_factory(title="Conceptos", lessons=1)
    quejas = course_factory(title="Quejas", lessons=1)
    assign(supervisor, team, conceptos, date(2026, 12, 10), people=[agent])
    assign(supervisor, team, conceptos, date(2026, 12, 12), people=[teammate])
    assign(other_supervisor, other_team, quejas, date(2026, 12, 15))
    certificate(agent, "Atención telefónica", date(2026, 12, 20))
    certificate(supervisor, "Liderazgo", date(2026, 12, 5))
    return conceptos, quejas


def test_an_agent_sees_their_own_dates_on_the_month(client, agent, dated):
    english(client).force_login(agent)
    response = client.get(month_url())
    assert response.status_code == HTTPStatus.OK
    days = {d.day: d.events for week in response.context["weeks"] for d in week}
    assert [e.label for e in days[date(2026, 12, 10)]] == ["Due: Conceptos"]
    assert [e.label for e in days[date(2026, 12, 20)]] == [
        "Certificate expires: Atención telefónica"
    ]
    assert days[date(2026, 12, 12)] == [] and days[date(2026, 12, 15)] == []
    html = response.content.decode()
    assert "December 2026" in html
    assert "Javier Moreno" not in html and "Sofía Herrera" not in html


def test_the_month_links_to_the_previous_and_next_months_and_the_list(client, agent, dated):
    english(client).force_login(agent)
    html = client.get(month_url()).content.decode()
    assert f'href="{month_url(date(2026, 11, 1))}" rel="prev"' in html
    assert f'href="{month_url(date(2027, 1, 1))}" rel="next"' in html
    assert f'href="{list_url()}"' in html


def test_the_list_view_is_a_table_of_the_months_dates(client, agent, dated):
    english(client).force_login(agent)
    response = client.get(list_url())
    rows = [(e.day, e.label) for e in response.context["page_obj"].object_list]
    assert rows == [
        (date(2026, 12, 10), "Due: Conceptos"),
        (date(2026, 12, 20), "Certificate expires: Atención telefónica"),
    ]
    html = response.content.decode()
    assert '<th scope="col">Date</th>' in html and '<th scope="col">Person</th>' not in html


def test_a_supervisor_sees_their_teams_dates_with_names_and_not_other_teams(
    client, supervisor, dated
):
    english(client).force_login(supervisor)
    response = client.get(list_url())
    rows = [(e.day, str(e.person), e.label) for e in response.context["page_obj"].object_list]
    assert rows == [
        (date(2026, 12, 5), "Marta Ruiz", "Certificate expires: Liderazgo"),
        (date(2026, 12, 10), "Lucía Fernández", "Due: Conceptos"),
        (date(2026, 12, 12), "Javier Moreno", "Due: Conceptos"),
        (date(2026, 12, 20), "Lucía Fernández", "Certificate expires: Atención telefónica"),
    ]
    html = response.content.decode()
    assert "Sofía Herrera" not in html and "Quejas" not in html
    assert '<th scope="col">Person</th>' in html


def test_withdrawn_assignments_and_revoked_certificates_are_not_on_the_calendar(
    client, agent, dated
):
    Assignment.objects.filter(person=agent).update(withdrawn_at=timezone.now())
    Certificate.objects.filter(person=agent).update(revoked_at=timezone.now())
    english(client).force_login(agent)
    response = client.get(list_url())
    assert list(response.context["page_obj"].object_list) == []
    assert "Nothing is due and no certificate expires this month." in response.content.decode()


def test_the_calendar_shows_each_assignments_status(client, agent, supervisor, team, dated):
    conceptos, _quejas = dated
    english(client).force_login(agent)
    with_status = {
        e.title: e.status_label for e in client.get(list_url()).context["page_obj"].object_list
    }
    assert with_status["Conceptos"] in {"not started", "overdue"}  # depending on today


@pytest.mark.parametrize("path", ["2026/13/", "2026/0/", "1999/5/", "2101/1/", "99999/1/"])
def test_a_month_that_does_not_exist_is_not_found(client, agent, path):
    client.force_login(agent)
    assert client.get(f"/calendario/{path}").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/calendario/{path}lista/").status_code == HTTPStatus.NOT_FOUND


def test_the_calendar_opens_on_this_month(client, agent):
    english(client).force_login(agent)
    response = client.get(reverse("certification:calendar"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_a_crowded_day_shows_three_and_links_to_the_rest(
    client, supervisor, team, user_factory, course_factory
):
    course = course_factory(title="Conceptos", lessons=1)
    for _ in range(5):
        user_factory(roles=[Role.AGENT], team=team)
    assign(supervisor, team, course, date(2026, 12, 10))
    english(client).force_login(supervisor)
    html = client.get(month_url()).content.decode()
    assert html.count("Due: Conceptos") == 3
    assert f'href="{list_url()}#dia-2026-12-10">and 2 more' in html


# Who sees whose dates ----------------------------------------------------------------------

VIEWERS = ["anonymous", "agent", "teammate", "supervisor", "other_supervisor", "hr", "editor"]
# viewer → the names on their December calendar
SEES = {
    "agent": {"Lucía Fernández"},
    "teammate": {"Javier Moreno"},
    "supervisor": {"Marta Ruiz", "Lucía Fernández", "Javier Moreno"},
    "other_supervisor": {"Sofía Herrera"},
    "hr": set(),  # HR's view of everyone is the HR dashboard; their calendar is their own
    "editor": set(),
}
PAGES = ["calendar_month", "calendar_list"]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", PAGES)
def test_every_role_sees_only_the_dates_the_policy_gives_them(client, request, dated, viewer, page):
    person = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    if person is not None:
        client.force_login(person)
    response = client.get(reverse(f"certification:{page}", args=[2026, 12]))
    if person is None:
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
        return
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    everyone = {"Lucía Fernández", "Javier Moreno", "Marta Ruiz", "Sofía Herrera"}
    if page == "calendar_list":
        shown = {str(e.person) for e in response.context["page_obj"].object_list}
        assert shown == SEES[viewer]
    for name in everyone - SEES[viewer] - {person.full_name}:
        assert name not in html


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("agent", {"agent"}),
        ("supervisor", {"supervisor", "agent", "teammate"}),
        ("other_supervisor", {"other_supervisor", "outsider"}),
        ("hr", {"hr"}),
        ("editor", {"editor"}),
    ],
)
def test_calendar_people_follows_the_teams(request, viewer, expected, agent, teammate, outsider):
    people = {name: request.getfixturevalue(name) for name in {viewer, *expected}}
    assert set(calendar_people(people[viewer])) == {people[name] for name in expected}


def test_calendar_people_is_no_one_for_anonymous_or_inactive(agent):
    assert not calendar_people(AnonymousUser()).exists()
    agent.is_active = False
    assert not calendar_people(agent).exists()


def test_a_supervisor_stops_seeing_an_agent_who_moved_away(supervisor, agent, other_team):
    from people.services import move_to_team

    move_to_team(person=agent, team=other_team)
    assert agent not in set(calendar_people(supervisor))


@pytest.mark.parametrize("page", PAGES)
def test_calendar_queries_do_not_grow_with_the_team(
    client,
    supervisor,
    team,
    user_factory,
    course_factory,
    page,
    django_assert_max_num_queries,
):
    courses = [course_factory(title=f"Curso {n}", lessons=1) for n in range(3)]
    client.force_login(supervisor)
    for size in (10, 100):
        while team.memberships.filter(ended_at__isnull=True).count() < size + 1:
            user_factory(roles=[Role.AGENT], team=team)
        for n, course in enumerate(courses):
            Assignment.objects.filter(course=course).delete()
            assign(supervisor, team, course, date(2026, 12, 3 + n))
        for person in team.members.filter(certificates__isnull=True)[: size // 3]:
            certificate(person, "Atención telefónica", date(2026, 12, 18))
        with django_assert_max_num_queries(8):
            response = client.get(reverse(f"certification:{page}", args=[2026, 12]))
        assert response.status_code == HTTPStatus.OK


# The private feed ---------------------------------------------------------------------------


def make_link(client, person):
    """Make the person's feed link through the page, as they would; returns its token."""
    client.force_login(person)
    response = client.post(reverse("certification:calendar_subscription"))
    assert response.status_code == HTTPStatus.FOUND
    html = client.get(reverse("certification:calendar_subscription")).content.decode()
    marker = "/calendario/ical/"
    start = html.index(marker) + len(marker)
    return html[start : html.index(".ics", start)]


def feed_url(token):
    return reverse("certification:calendar_feed", args=[token])


def test_the_link_is_shown_once_and_only_its_hash_is_kept(client, agent):
    english(client)
    token = make_link(client, agent)
    feed = CalendarFeed.objects.get(person=agent)
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    again = client.get(reverse("certification:calendar_subscription")).content.decode()
    assert token not in again
    assert "You have a working link" in again


def test_the_feed_needs_no_sign_in_and_holds_the_persons_dates(client, agent, dated):
    token = make_link(client, agent)
    client.logout()
    response = client.get(feed_url(token))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {
        (str(e["summary"]), e.decoded("dtstart")): str(e["uid"]) for e in calendar.walk("VEVENT")
    }
    # The link was made in Spanish: the feed speaks Spanish (English until the catalogue has
    # this lane's strings, whose msgids are English).
    summaries = {summary for summary, _day in events}
    assert len(events) == 2
    assert {day for _summary, day in events} == {date(2026, 12, 10), date(2026, 12, 20)}
    assert any("Conceptos" in s for s in summaries)
    assert any("Atención telefónica" in s for s in summaries)
    assert all(uid.endswith("@actitud") for uid in events.values())
    assert not any("Javier" in s or "Sofía" in s for s in summaries)
    for event in calendar.walk("VEVENT"):
        assert str(event["url"]).startswith("http://testserver/")


def test_a_supervisors_feed_names_their_team_members(client, supervisor, dated):
    token = make_link(client, supervisor)
    client.logout()
    calendar = icalendar.Calendar.from_ical(client.get(feed_url(token)).content)
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert any(s.startswith("Javier Moreno · ") for s in summaries)
    assert any(s.startswith("Lucía Fernández · ") for s in summaries)
    assert not any("Sofía" in s for s in summaries)


def test_replacing_the_link_asks_first_then_the_old_one_is_not_found(client, agent):
    old = make_link(client, agent)
    # Asking for another link while one works goes to the confirmation page.
    response = client.post(reverse("certification:calendar_subscription"))
    assert response.url == reverse("certification:calendar_revoke")
    english(client)
    confirm = client.get(reverse("certification:calendar_revoke"))
    assert "will stop working at once" in confirm.content.decode()
    assert client.get(feed_url(old)).status_code == HTTPStatus.OK  # nothing changed yet
    client.post(reverse("certification:calendar_revoke"), {"action": "renew"})
    html = client.get(reverse("certification:calendar_subscription")).content.decode()
    start = html.index("/calendario/ical/") + len("/calendario/ical/")
    new = html[start : html.index(".ics", start)]
    client.logout()
    assert new != old
    assert client.get(feed_url(old)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(feed_url(new)).status_code == HTTPStatus.OK
    assert CalendarFeed.objects.active().filter(person=agent).count() == 1


def test_a_revoked_link_is_not_found(client, agent):
    token = make_link(client, agent)
    client.post(reverse("certification:calendar_revoke"), {"action": "revoke"})
    assert not CalendarFeed.objects.active().filter(person=agent).exists()
    client.logout()
    assert client.get(feed_url(token)).status_code == HTTPStatus.NOT_FOUND


def test_a_deactivated_account_s_link_is_not_found(client, agent):
    token = make_link(client, agent)
    agent.is_active = False
    agent.save()
    client.logout()
    assert client.get(feed_url(token)).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 65, "../../etc/passwd"])
def test_an_unknown_or_malformed_token_is_not_found(client, token):
    assert client.get(f"/calendario/ical/{token}.ics").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("viewer", ["anonymous", "agent", "supervisor", "hr", "editor"])
def test_the_link_pages_are_each_persons_own(client, request, viewer):
    person = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    for name in ("calendar_subscription", "calendar_revoke"):
        if person is not None:
            client.force_login(person)
        response = client.get(reverse(f"certification:{name}"))
        if person is None:
            assert response.status_code == HTTPStatus.FOUND
            assert response.url.startswith(reverse("account_login"))
        elif name == "calendar_revoke":  # nothing to revoke yet: back to the link page
            assert response.url == reverse("certification:calendar_subscription")
        else:
            assert response.status_code == HTTPStatus.OK


def test_someone_elses_link_is_revoked_only_by_them(client, agent, teammate):
    token = make_link(client, agent)
    client.force_login(teammate)
    client.post(reverse("certification:calendar_revoke"), {"action": "revoke"})
    client.logout()
    assert client.get(feed_url(token)).status_code == HTTPStatus.OK


def test_the_feed_queries_do_not_grow_with_the_team(
    client, supervisor, team, user_factory, course_factory, django_assert_max_num_queries
):
    course = course_factory(title="Conceptos", lessons=1)
    token = make_link(client, supervisor)
    client.logout()
    for size in (10, 100):
        while team.memberships.filter(ended_at__isnull=True).count() < size + 1:
            user_factory(roles=[Role.AGENT], team=team)
        Assignment.objects.filter(course=course).delete()
        assign(supervisor, team, course, timezone.localdate() + timedelta(days=5))
        with django_assert_max_num_queries(6):
            response = client.get(feed_url(token))
        assert response.status_code == HTTPStatus.OK
        # The supervisor is a member of the team too: the whole team's assignment is theirs.
        assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == size + 1


@pytest.fixture
def quiz(quiz_factory, course_factory):  # noqa: F811
    return quiz_factory(course=course_factory(title="Trato telefónico", lessons=1))


def test_a_retake_with_a_due_date_is_on_the_agents_and_the_supervisors_calendar(
    client, agent, supervisor, quiz, django_capture_on_commit_callbacks
):
    from certification.services import request_retake

    with django_capture_on_commit_callbacks(execute=True):
        request_retake(person=agent, step=quiz, requested_by=supervisor, due_on=date(2026, 12, 7))
    english(client)
    for viewer in (agent, supervisor):
        client.force_login(viewer)
        events = client.get(list_url()).context["page_obj"].object_list
        assert [(e.day, e.label, str(e.person)) for e in events] == [
            (date(2026, 12, 7), "Repeat: Evaluación", "Lucía Fernández")
        ]
        assert events[0].url() == quiz.url
