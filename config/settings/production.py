"""Production: every secret and address must come from the environment.

Start-up fails at once when SECRET_KEY or ALLOWED_HOSTS is missing, rather than running
with a guessable key or refusing every request later.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


SECRET_KEY = required("SECRET_KEY")
required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# Open Badges are signed with this deployment's own key. Without BADGE_SIGNING_KEY they are
# off (no credential pages or links; `check --deploy` says so); asking for them with
# BADGES_ENABLED=true and no key, or giving a key that is not an Ed25519 key, stops start-up.
if BADGE_SIGNING_KEY.strip():  # noqa: F405
    from certification.credentials.keys import private_from_setting

    try:
        private_from_setting(BADGE_SIGNING_KEY)  # noqa: F405
    except ValueError as error:
        raise ImproperlyConfigured(f"BADGE_SIGNING_KEY is not an Ed25519 key: {error}") from None
elif env_bool("BADGES_ENABLED", False):
    raise ImproperlyConfigured("BADGES_ENABLED is true: BADGE_SIGNING_KEY must be set too.")
else:
    BADGES_ENABLED = False
