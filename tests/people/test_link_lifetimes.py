"""A password-reset link lasts an hour; an invitation link a week."""

from datetime import datetime, timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils import timezone

import pytest
from allauth.account.forms import default_token_generator

from people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(monkeypatch):
    def move(**delta):
        moved = datetime.now() + timedelta(**delta)
        monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: moved)

    return move


def test_a_reset_link_expires_after_an_hour(user_factory, later):
    person = user_factory()
    person.last_login = timezone.now()
    person.save()
    token = default_token_generator.make_token(person)
    later(minutes=50)
    assert default_token_generator.check_token(person, token)
    later(minutes=70)
    assert not default_token_generator.check_token(person, token)


def test_an_invitation_lasts_a_week(later):
    invitee = User.objects.create_user(email="nueva@empresa.es", full_name="Nueva")
    token = default_token_generator.make_token(invitee)
    later(days=6, hours=23)
    assert default_token_generator.check_token(invitee, token)
    later(days=7, hours=1)
    assert not default_token_generator.check_token(invitee, token)


def test_an_invitation_stops_working_once_a_password_is_chosen(later):
    invitee = User.objects.create_user(email="nueva@empresa.es", full_name="Nueva")
    token = default_token_generator.make_token(invitee)
    invitee.set_password("otra-clave-segura-7")
    invitee.save()
    assert not default_token_generator.check_token(invitee, token)
