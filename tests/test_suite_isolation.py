"""The suite runs in any order and in pytest-xdist workers: a transactional test's flush never
leaves the tests after it without the data the migrations wrote (tests/conftest.py)."""

from django.contrib.auth.models import Group
from django.test import TransactionTestCase

from wagtail.models import Collection, GroupPagePermission, Page, Site

import pytest

from attitude.models import ServiceDimension
from people.models import Role


def migrated_data():
    return {
        "role groups": set(
            Group.objects.filter(name__in=list(Role)).values_list("name", flat=True)
        ),
        "sites": Site.objects.count(),
        "root pages": Page.objects.filter(depth=1).count(),
        "root collections": Collection.objects.filter(depth=1).count(),
        "dimensions": ServiceDimension.objects.count(),
        "editor page permissions": GroupPagePermission.objects.filter(
            group__name=Role.EDITOR
        ).count(),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_transactional_tests_flush_the_migrated_data_is_back(user_factory, team):
    before = migrated_data()
    assert before["role groups"] == set(Role) and before["sites"] == 1
    user_factory(roles=[Role.SUPERVISOR], team=team)  # committed, as a live-server test would

    class Flushed(TransactionTestCase):
        serialized_rollback = True

    Flushed("__init__")._fixture_teardown()  # what ends every transactional test

    assert migrated_data() == before
    assert not Group.objects.filter(name=Role.SUPERVISOR, user__isnull=False).exists()
