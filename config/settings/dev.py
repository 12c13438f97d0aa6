"""Local development: debug on, console email, plain HTTP, a throwaway secret key."""

from .base import *  # noqa: F403
from .base import BADGE_SIGNING_KEY, CONTENT_SECURITY_POLICY, SECRET_KEY, env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-3c1f0e2b9a7d4e6f8a1b2c3d4e5f6a7b8c9d0e1f"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the apps and site/static without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The policy is reported, not enforced, while developing: the browser console shows what it
# would block, and nothing breaks half-way through a change.
CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
CONTENT_SECURITY_POLICY = None

# A throwaway badge key for development, unless one is set.
BADGE_SIGNING_KEY = BADGE_SIGNING_KEY or "ZGV2LW9ubHktYmFkZ2Uta2V5LW5vdC1zZWNyZXQhISE="
