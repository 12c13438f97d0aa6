"""Tests: fast and deterministic. Only relaxes base.py."""

import os
import re

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Creating and dropping the test database can outlast the production statement timeout on a
# busy machine; tests that exercise the timeout set DB_STATEMENT_TIMEOUT themselves.
if "DB_STATEMENT_TIMEOUT" not in os.environ and "statement_timeout" in str(
    DATABASES["default"].get("OPTIONS", {})  # noqa: F405
):
    options = DATABASES["default"]["OPTIONS"]  # noqa: F405
    options["options"] = re.sub(
        r"statement_timeout=\d+", "statement_timeout=120000", options["options"]
    )

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # tests/people/test_sessions.py: Redis
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"

# Serve static files from the apps and site/static without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# A fixed badge key, for tests only (never a real one).
BADGE_SIGNING_KEY = "dGVzdC1vbmx5LWJhZGdlLWtleS1ub3Qtc2VjcmV0ISE="
