"""The learner's page of a SCORM step and the package's files: served from our own origin to
signed-in people, confined to the package's folder, under the package's own CSP."""

import json

from django.urls import reverse

import pytest

from courses.lifecycle import activity_recorded
from scorm.models import ScormAttempt
from tests.test_content_security_policy import assert_strict_site_policy, directives

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorm_step(scorm_course_factory):
    return scorm_course_factory("scorm12_quiz", lessons=1)


def file_url(step, path):
    return reverse("scorm:file", kwargs={"page_id": step.pk, "path": path})


def runtime(response):
    html = response.content.decode()
    start = html.index('id="scorm-runtime"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_player_page_launches_the_package_in_a_frame(client, agent, scorm_step):
    course, step = scorm_step
    client.force_login(agent)
    events = []
    activity_recorded.connect(
        lambda event, **kw: events.append(event), weak=False, dispatch_uid="test_player_events"
    )
    try:
        response = client.get(step.url)
    finally:  # only this test's listener: the xAPI queue listens too
        activity_recorded.disconnect(dispatch_uid="test_player_events")
    assert response.status_code == 200
    assert_strict_site_policy(response)  # the page itself keeps the site's policy
    html = response.content.decode()
    assert 'id="scorm-frame"' in html and "scorm-again/scorm-again.min.js" in html
    data = runtime(response)
    attempt = ScormAttempt.objects.get(person=agent, page=step)
    assert data["version"] == "1.2"
    assert data["launchUrl"] == file_url(step, "index.html")
    assert data["commitUrl"] == reverse("scorm:commit", kwargs={"attempt_id": attempt.pk})
    assert data["cmi"]["core"]["entry"] == "ab-initio"
    assert data["cmi"]["core"]["student_id"] == str(agent.pk)
    assert [(e.kind, e.key, e.step_type) for e in events] == [
        ("started", f"scorm-attempt-{attempt.pk}:launched", "scorm")
    ]
    client.get(step.url)  # a second launch continues the same attempt, announced once
    assert ScormAttempt.objects.filter(person=agent).count() == 1


def test_the_outline_names_the_step_a_scorm_package(client, agent, scorm_step):
    course, step = scorm_step
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    response = client.get(course.url)
    assert response.status_code == 200
    assert "SCORM package" in response.content.decode()


def test_the_run_time_library_is_a_static_file(client):
    from django.contrib.staticfiles import finders

    found = finders.find("scorm-again/scorm-again.min.js")
    assert found and "node_modules/scorm-again/dist" in str(found)


def test_package_files_have_their_own_policy(client, agent, scorm_step):
    _course, step = scorm_step
    client.force_login(agent)
    response = client.get(file_url(step, "index.html"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = directives(response)
    assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert not any(v.startswith(("http", "*")) for v in sum(policy.values(), []))
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert b"Cuestionario" in b"".join(response.streaming_content)
    script = client.get(file_url(step, "quiz.js"))
    assert script["Content-Type"].startswith("text/javascript")


def test_the_rest_of_the_site_keeps_its_strict_policy(client, agent, scorm_step):
    client.force_login(agent)
    assert_strict_site_policy(client.get("/aprendizaje/"))


@pytest.mark.parametrize(
    "path",
    [
        "../../../config/settings/base.py",
        "a/../../x",
        "%2e%2e/x",
        "..%2fx",
        "sub\\..\\x",
        "nada.js",
    ],
)
def test_paths_outside_the_package_are_not_found(client, agent, scorm_step, path):
    _course, step = scorm_step
    client.force_login(agent)
    assert client.get(file_url(step, "index.html").replace("index.html", path)).status_code == 404


def test_a_normalised_path_inside_the_package_is_served(client, agent, scorm_step):
    _course, step = scorm_step
    client.force_login(agent)
    assert client.get(file_url(step, "x/../quiz.js")).status_code == 200


def test_signed_out_people_are_sent_to_sign_in(client, scorm_step):
    _course, step = scorm_step
    response = client.get(file_url(step, "index.html"))
    assert response.status_code == 302 and "/cuenta/login/" in response["Location"]


def test_an_unpublished_step_is_not_served_to_learners(client, agent, editor, scorm_step):
    _course, step = scorm_step
    step.unpublish()
    client.force_login(agent)
    assert client.get(file_url(step, "index.html")).status_code == 404
    client.force_login(editor)  # the editor's preview still opens it
    assert client.get(file_url(step, "index.html")).status_code == 200


def test_a_preview_launches_nothing(rf, editor, scorm_step):
    _course, step = scorm_step
    request = rf.get(step.url)
    request.user = editor
    request.is_preview = True
    context = step.get_context(request)
    assert context["attempt"] is None and context["scorm_runtime"]["commitUrl"] == ""
    assert ScormAttempt.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/scorm/pasos/99999999999999999999/paquete/index.html",
        "/scorm/pasos/99999999999999999999/intentos/",
        "/scorm/intentos/99999999999999999999/reiniciar/",
    ],
)
def test_a_number_too_large_for_the_database_is_not_found(client, hr, url):
    """The hostile crawl found it: a step number past the database's integer range was a 500
    (OverflowError on SQLite) instead of "not found"."""
    client.force_login(hr)
    assert client.get(url).status_code == 404
