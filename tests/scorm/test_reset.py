"""HR resets a person's data for a SCORM step: a confirmation page, the attempt kept as
history, a new attempt at the next launch, an entry in the audit log. Nobody else may."""

import pytest

from courses.audit import audit_entries, audit_sources
from scorm.models import ScormAttempt
from scorm.services import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(scorm_course_factory, agent):
    _course, step = scorm_course_factory("scorm12_quiz")
    attempt = launch(person=agent, page=step)
    ScormAttempt.objects.filter(pk=attempt.pk).update(
        suspend_data='{"answers":[0]}', location="1", commits=1
    )
    return attempt


def reset_url(attempt):
    return f"/scorm/intentos/{attempt.pk}/reiniciar/"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("agent", False),
        ("supervisor", False),
        ("other_supervisor", False),
        ("hr", True),
        ("editor", False),
        (None, False),
    ],
)
def test_only_hr_may_reset(request, client_for, attempt, who, allowed):
    client = client_for(request.getfixturevalue(who) if who else None)
    pages = [reset_url(attempt), f"/scorm/pasos/{attempt.page_id}/intentos/"]
    for url in pages:
        response = client.get(url)
        if who is None:
            assert response.status_code == 302 and "/cuenta/login/" in response["Location"]
        else:
            assert response.status_code == (200 if allowed else 403), url
    response = client.post(reset_url(attempt))
    attempt.refresh_from_db()
    assert (attempt.closed_at is not None) is allowed
    if not allowed:
        assert response.status_code in (302, 403) and attempt.reset_by is None


def test_hr_confirms_then_the_next_launch_starts_anew(client, hr, agent, attempt):
    client.force_login(hr)
    page = client.get(reset_url(attempt))
    assert attempt.person.full_name in page.content.decode()
    assert ScormAttempt.objects.get(pk=attempt.pk).closed_at is None  # asking changes nothing
    response = client.post(reset_url(attempt))
    assert response.status_code == 302
    old = ScormAttempt.objects.get(pk=attempt.pk)
    assert old.closed_at is not None and old.reset_by == hr
    assert old.suspend_data == '{"answers":[0]}'  # kept as history
    new = launch(person=agent, page=attempt.page)
    assert new.pk != old.pk and new.number == 2 and new.suspend_data == ""
    # A package still open in a tab cannot write into the closed attempt.
    client.force_login(agent)
    stale = client.post(
        f"/scorm/intentos/{old.pk}/cmi/", '{"cmi": {"core": {}}}', "application/json"
    )
    assert stale.status_code == 404


def test_a_reset_is_in_the_audit_log(client, hr, attempt):
    client.force_login(hr)
    client.post(reset_url(attempt))
    sources = [s for s in audit_sources() if s.key == "scorm"]
    rows = list(audit_entries(sources, ""))
    assert [(r["log_action"], r["log_actor"], r["log_person"]) for r in rows] == [
        ("reset", hr.full_name, attempt.person.full_name)
    ]
    everything = list(audit_entries(audit_sources(), attempt.person.full_name))
    assert any(r["log_source"] == "scorm" for r in everything)  # it unions with the others
    response = client.get("/aprendizaje/registro/")
    assert response.status_code == 200


def test_hr_sees_the_attempts_of_a_step_in_constant_queries(
    client, hr, user_factory, attempt, django_assert_max_num_queries
):
    client.force_login(hr)
    client.get(f"/scorm/pasos/{attempt.page_id}/intentos/")
    with django_assert_max_num_queries(12) as small:
        client.get(f"/scorm/pasos/{attempt.page_id}/intentos/")
    for _ in range(5):
        launch(person=user_factory(), page=attempt.page)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/scorm/pasos/{attempt.page_id}/intentos/")
    assert response.content.decode().count("/reiniciar/") == 6


def test_the_player_links_hr_to_the_attempts(client, hr, agent, attempt):
    link = f"/scorm/pasos/{attempt.page_id}/intentos/"
    client.force_login(agent)
    assert link not in client.get(attempt.page.url).content.decode()
    client.force_login(hr)
    assert link in client.get(attempt.page.url).content.decode()
