"""The role groups and their permissions come from a data migration."""

from django.contrib.auth.models import Group

from wagtail.models import GroupCollectionPermission, GroupPagePermission

import pytest

from people.models import Role

pytestmark = pytest.mark.django_db


def codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_the_four_role_groups_exist():
    assert set(Role.values) <= set(Group.objects.values_list("name", flat=True))


def test_agents_and_supervisors_get_no_model_permissions():
    """What they may see is decided by people/policy.py, not by model permissions."""
    assert codenames(Role.AGENT) == set() and codenames(Role.SUPERVISOR) == set()


def test_hr_manages_teams_in_the_admin_and_people_on_the_hr_pages():
    """HR holds no permission on the user model: those only open Wagtail's user admin, where
    privileges are granted (superusers only); people are managed on the /rrhh/ pages."""
    hr = codenames(Role.HR)
    assert {"access_admin", "add_team", "change_team"} <= hr
    assert not {"add_user", "change_user", "view_user", "delete_user"} & hr


def test_editors_edit_and_publish_pages_images_and_documents():
    editor = Group.objects.get(name=Role.EDITOR)
    assert "access_admin" in codenames(Role.EDITOR)
    page_permissions = set(
        GroupPagePermission.objects.filter(group=editor, page__depth=1).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= page_permissions
    collection_permissions = set(
        GroupCollectionPermission.objects.filter(group=editor).values_list(
            "permission__codename", flat=True
        )
    )
    assert {
        "add_image",
        "choose_image",
        "add_document",
        "choose_document",
    } <= collection_permissions
