"""Helpers for the second-factor tests: RFC 6238 codes computed here (not by allauth), and
sign-in and enrolment through the site's own pages, as a person does them."""

import base64
import hashlib
import hmac
import re
import struct
import time

from django.urls import reverse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from tests.conftest import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, as authenticator apps take it
PERIOD = 30


def totp_code(secret, *, at=None):
    """The six-digit code an authenticator app shows for `secret` at time `at` (RFC 6238:
    HMAC-SHA1 of the 30-second counter, dynamically truncated)."""
    counter = int((time.time() if at is None else at) // PERIOD)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def code_for_a_while(secret, *, seconds=8):
    """The current code, after waiting for the next 30-second window if this one ends within
    `seconds`: a test that uses one code in several requests must not straddle two windows."""
    if PERIOD - time.time() % PERIOD < seconds:
        time.sleep(PERIOD - time.time() % PERIOD + 0.1)
    return totp_code(secret)


def with_authenticator_app(person, secret=SECRET):
    """Enrol `person` an authenticator app (and recovery codes) directly, as the enrolment
    page does; returns the recovery codes."""
    TOTP.activate(person, secret)
    return RecoveryCodes.activate(person).generate_codes()


def sign_in_with_password(client, person, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": person.email, "password": password})


def enter_code(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


# allauth announces a new authenticator when its transaction commits, inside the request
# (people.two_factor.record_enrolment then marks the session): a test that enrols through
# the page runs in real transactions, as the site does.
ENROLS = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def enrol_through_the_page(client):
    """Read the key the enrolment page shows and activate it with a code made from it."""
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', page)[1]
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for_a_while(secret)})
    return secret, response


def has_app(person):
    return Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
