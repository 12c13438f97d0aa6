"""Production: every secret and address must come from the environment.

Start-up fails at once when SECRET_KEY or ALLOWED_HOSTS is missing, rather than running
with a guessable key or refusing every request later.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_list

DEBUG = False


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


SECRET_KEY = required("SECRET_KEY")
required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# Badges are signed with a key of this deployment's own: with badges on (the default) and no
# BADGE_SIGNING_KEY, start-up fails; BADGES_ENABLED=false turns the credentials off instead.
if BADGES_ENABLED:  # noqa: F405
    BADGE_SIGNING_KEY = required("BADGE_SIGNING_KEY")
