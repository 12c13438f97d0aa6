import io

from django.core.management import CommandError, call_command

import pytest

from people.models import Membership, Role, Team, User

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(User.objects.order_by("email").values_list("email", "password", "full_name")),
        list(Membership.objects.order_by("pk").values_list("person__email", "team__name")),
        list(Team.objects.values_list("name", flat=True)),
    )


def test_seed_demo_builds_the_demo_organisation_and_is_idempotent(
    demo_content, demo_snapshot, client, settings
):
    """What a seed leaves behind (the suite's demo snapshot is one `seed_demo --force`, run
    with tasks queued in the database: tests/snapshots.py): the organisation, accounts that
    sign in, no index task queued; and a second run changes nothing."""
    out = demo_snapshot.output
    assert "actitud-demo-2026" in out and "rrhh@actitud.demo" in out

    assert Team.objects.count() == 3
    assert User.objects.with_role(Role.SUPERVISOR).count() == 3
    assert User.objects.with_role(Role.AGENT).count() == 24
    assert User.objects.with_role(Role.HR).count() == 1
    assert User.objects.with_role(Role.EDITOR).count() == 1
    assert User.objects.filter(is_superuser=True).count() == 1
    for team in Team.objects.all():
        assert team.members.count() == 8
        assert team.supervisors.count() == 1
    assert_no_index_task_queued_and_the_indexes_built()
    assert client.login(email="lucia.fernandez@actitud.demo", password="actitud-demo-2026")

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    before = snapshot()
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert snapshot() == before
    assert_no_index_task_queued_and_the_indexes_built()


def test_seed_demo_refuses_to_run_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def assert_no_index_task_queued_and_the_indexes_built():
    """Wagtail queues a search-index and a reference-index task for every page and snippet
    saved (about 760 for the demo, which a worker then churns through while people use the
    site); the seed builds both indexes once instead."""
    from wagtail.models import Page, ReferenceIndex

    from django_tasks_db.models import DBTaskResult

    from courses.models import LessonPage

    queued = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == []
    assert ReferenceIndex.objects.exists()
    lesson = LessonPage.objects.live().first()
    found = Page.objects.live().search(lesson.title.split()[-1])
    assert lesson.pk in [page.pk for page in found]
