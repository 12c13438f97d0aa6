"""Settings shared by every environment: complete and safe by default.

Everything that differs between machines comes from the environment: DATABASE_URL,
REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL-style EMAIL_* variables and the rest
read below. dev.py and test.py only relax these settings; production.py insists on them.
"""

import os
import tempfile
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"


def env_bool(name, default):
    """Read a yes/no variable: 1/true/yes/on are true, 0/false/no/off are false."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address of the site, for links in emails (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Our apps, in dependency order: seed_demo runs their demo.seed() in this order.
    "people",
    "courses",
    "attitude",
    "quizzes",
    "scenarios",
    "certification",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "people.apps.UsersAppConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    # Background tasks
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "people.middleware.SpanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "people.middleware.AuthenticationMiddleware",
    "people.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "people.middleware.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.navigation",
                "people.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite beside the project unless DATABASE_URL says otherwise. A database that
# hangs must not hang the site: connecting gives up after DB_CONNECT_TIMEOUT seconds and, on
# PostgreSQL, a statement (or a wait for a lock) is cancelled after DB_STATEMENT_TIMEOUT
# seconds (0 turns it off, e.g. for a long `migrate`). SQLite waits as long for a lock.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
DB_STATEMENT_TIMEOUT = float(os.environ.get("DB_STATEMENT_TIMEOUT", "5"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=DB_CONNECT_TIMEOUT,
        # JIT compiling pays off for long analytical queries, not for a page's: at 50,000
        # agents it spent 1.5 of the 2.2 s of the all-teams assignments query compiling.
        # An index look-up costs about as much as reading a page in order when the data is
        # cached or on SSD (the default 4 prices it for spinning disks): with 4, a
        # supervisor's 40-person assignment list hashed the whole enrolment table four
        # times (240 ms) instead of 160 look-ups (1 ms).
        options=(
            f"-c statement_timeout={int(DB_STATEMENT_TIMEOUT * 1000)} -c jit=off "
            f"-c random_page_cost={os.environ.get('DB_RANDOM_PAGE_COST', '1.1')}"
        ),
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for concurrent use (the web process and the task worker write at once): WAL lets
    # readers and a writer work together, IMMEDIATE takes the write lock when a transaction
    # begins (so a reader never fails upgrading to a writer), and a busy timeout makes a
    # writer wait for the lock instead of answering "database is locked": SQLITE_BUSY_TIMEOUT,
    # else DB_STATEMENT_TIMEOUT when it is set, else 20 seconds.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(
            os.environ.get("SQLITE_BUSY_TIMEOUT") or os.environ.get("DB_STATEMENT_TIMEOUT") or 20
        ),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise memory of this process. While Redis is refused
# or hangs, each process falls back to its own memory (people.cache), so pages, sign-in and its
# rate limits keep working; REDIS_CONNECT_TIMEOUT and REDIS_TIMEOUT bound each attempt.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "1"))
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "1"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "people.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
            "KEY_PREFIX": "actitud",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: with Redis, read from Redis and recorded in the database (people/sessions.py):
# a signed-out session is dead in every process, because a copy read from Redis signs in
# only while its database row exists (checked in the same query as the user), and while
# Redis is down the sessions' cache misses (people.cache.SessionCache), never answering from
# one process's memory. Without Redis, the database alone.
if REDIS_URL:
    CACHES["sessions"] = {
        **CACHES["default"],
        "BACKEND": "people.cache.SessionCache",
        "KEY_PREFIX": "actitud",
    }
    SESSION_ENGINE = "people.sessions"
    SESSION_CACHE_ALIAS = "sessions"
else:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# A running CSV import reports its progress here, for the page in another process to read:
# Redis when there is one, else files (the memory cache is private to each process).
CACHES["progress"] = (
    {**CACHES["default"], "KEY_PREFIX": "actitud-progress"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(
            "PROGRESS_CACHE_DIR", str(Path(tempfile.gettempdir()) / "actitud-progress")
        ),
    }
)

# Background tasks (Django's tasks API through the django-tasks backport): a queue in the
# database by default; TASK_QUEUE=redis moves it to Redis (RQ) and needs REDIS_URL.
TASK_QUEUE = os.environ.get("TASK_QUEUE", "database")
if TASK_QUEUE == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # Web processes give up on a dead broker quickly (the task waits in the outbox, see
    # people/outbox.py); the RQ worker raises the read timeout for its own blocking reads.
    _broker = REDIS_URL or "redis://127.0.0.1:6379/0"
    _broker += ("&" if "?" in _broker else "?") + (
        f"socket_connect_timeout={REDIS_CONNECT_TIMEOUT}&socket_timeout={REDIS_TIMEOUT}"
    )
    RQ_QUEUES = {"default": {"URL": _broker}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# People and accounts
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Passwords: Argon2id at OWASP's parameters (people/hashers.py; README "Passwords" has the
# measured cost). The others only check hashes made before and are upgraded at next sign-in.
PASSWORD_HASHERS = [
    "people.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# A password-reset link lasts an hour; an invitation (the same kind of link, for someone who
# has never chosen a password) a week: people.tokens.InvitationTokenGenerator.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60)))
INVITATION_TIMEOUT = int(os.environ.get("INVITATION_TIMEOUT", str(7 * 24 * 60 * 60)))
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "people.tokens.InvitationTokenGenerator"  # noqa: S105

ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Actitud] "
# Sign-in limits. A call centre's floor reaches the site from one address, so nothing that
# one person's mistakes or one attacker can exhaust is counted per address alone:
# - failures per (address, account), 5 in 5 minutes: a guesser at one address is stopped
#   quickly, and the account stays open from every other address (people/adapters.py);
# - failures per account from anywhere, 20 an hour: a guess spread over many addresses;
# - a much higher ceiling per address: 100 failures in 5 minutes (one password tried on a
#   whole floor) and 300 sign-in attempts a minute (a 200-person shift start fits).
# An attempt refused by one limit uses up none of the others.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "20/h/key,100/5m/ip",
    "login_failed_from_address": "5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# The client's address as the proxies in front of the site report it. 0 trusts no proxy and
# uses the connection's address; behind one TLS proxy or load balancer that appends to
# X-Forwarded-For, 1. A proxy that sets its own header (X-Real-IP, CF-Connecting-IP) is
# named in ALLAUTH_TRUSTED_CLIENT_IP_HEADER instead.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None

# Email: console unless EMAIL_HOST is set. A mail server that accepts and never answers gives
# up after EMAIL_TIMEOUT seconds; the send is tried again later (people/tasks.py).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Background tasks and emails: a task claimed by a worker that then died (kill -9, a lost
# machine) is run again once it has been running for TASK_LEASE_SECONDS; an email is tried
# EMAIL_MAX_ATTEMPTS times, then HR sees it at /rrhh/correos/ and can send it again.
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "900"))
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "5"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Actitud <no-responder@actitud.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: Spanish first, English complete.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [SITE_DIR / "locale"]
USE_I18N = True
# English dates as "1 Dec 2026" (config/formats/en); Spanish keeps Django's formats.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Madrid")
USE_TZ = True

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Security: on by default; dev.py and test.py relax it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail allows its own preview iframe per view

# Content-Security-Policy (django-csp). The site runs no inline script or style: scripts are
# files under site/static/js (a script that must be inline carries the request's nonce:
# <script nonce="{{ request.csp_nonce }}">), styles are classes in site/static/css.
# Only the videos of lessons come from elsewhere (YouTube and Vimeo players in iframes).
CSP_VIDEO_FRAMES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *CSP_VIDEO_FRAMES],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# The Wagtail admin (/admin/, people.middleware.ContentSecurityPolicyMiddleware) is not ours
# to rewrite: its pages carry inline scripts and style attributes (Stimulus controllers,
# Draftail, the preview panel), so under /admin/ alone scripts and styles may be inline, and
# images may come from anywhere over HTTPS (avatars, embed thumbnails). Everything else is
# as strict as the site: no plugins, no foreign base, framed only by ourselves.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *CSP_VIDEO_FRAMES],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Wagtail
WAGTAIL_SITE_NAME = "Actitud"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("es", _("Spanish"))]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# Documents are internal unless an editor publishes one on purpose (people/documents.py):
# served through Wagtail's view, which enforces the collections' sign-in restriction.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "people.documents.DocumentForm"
# Restricted documents and pages send people to the same allauth sign-in as everything else.
WAGTAIL_FRONTEND_LOGIN_URL = "/cuenta/login/"
WAGTAILUSERS_PASSWORD_REQUIRED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Autosave off (issue 11, items 2 and 3): a save sent while an autosave is in flight stored
# inline rows twice, a title typed into a new page left a stray draft page, and a late autosave
# put a draft on top of a version just approved and published. Leaving the page with unsaved
# changes still asks first. courses/wagtail_hooks.py refuses autosave requests from old tabs.
WAGTAIL_AUTOSAVE_INTERVAL = 0

# Public certificate verification: lookups per client IP and minute.
CERTIFICATE_VERIFY_LIMIT = int(os.environ.get("CERTIFICATE_VERIFY_LIMIT", "30"))

# People import
PEOPLE_IMPORT_MAX_BYTES = 2 * 1024 * 1024
PEOPLE_IMPORT_MAX_ROWS = 5000
# The admin signs in and resets passwords through the same allauth pages as everyone else.
WAGTAILADMIN_LOGIN_URL = "/cuenta/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Open Badges 3.0 (certification.credentials): the Ed25519 signing key (base64 32-byte seed
# or PEM), the public keys of retired keys (Multikey z6Mk…, comma-separated) that stay
# published, and a switch; production refuses to start with badges on and no key.
BADGES_ENABLED = env_bool("BADGES_ENABLED", True)
BADGE_SIGNING_KEY = os.environ.get("BADGE_SIGNING_KEY", "")
BADGE_PREVIOUS_PUBLIC_KEYS = env_list("BADGE_PREVIOUS_PUBLIC_KEYS")
# SCORM packages (scorm/): the app sits beside quizzes and scenarios.
INSTALLED_APPS += ["scorm"]
# Limits on an uploaded package: the zip, its unpacked size (counted while unpacking, not only
# as the zip declares it), its number of files, and one commit of CMI data from the run-time.
SCORM_MAX_UPLOAD_MB = float(os.environ.get("SCORM_MAX_UPLOAD_MB", "200"))
SCORM_MAX_UNPACKED_MB = float(os.environ.get("SCORM_MAX_UNPACKED_MB", "500"))
SCORM_MAX_FILES = int(os.environ.get("SCORM_MAX_FILES", "5000"))
SCORM_MAX_COMMIT_KB = int(os.environ.get("SCORM_MAX_COMMIT_KB", "512"))
# The run-time commits what the package set at least this often (and on Commit/Finish).
SCORM_AUTOCOMMIT_SECONDS = int(os.environ.get("SCORM_AUTOCOMMIT_SECONDS", "30"))
# The run-time library, scorm-again (package.json), served from node_modules as static files
# under static/scorm-again/ (`npm ci` installs it; the Makefile runs it).
STATICFILES_DIRS += [("scorm-again", BASE_DIR / "node_modules" / "scorm-again" / "dist")]
# A package's files (scorm.views.package_file) run under this policy instead of the site's:
# packages exported by authoring tools carry inline scripts and styles (and some evaluate
# code), so those are allowed — but only from this site, with no plugins, framed only by
# ourselves. The rest of the site keeps CONTENT_SECURITY_POLICY.
CONTENT_SECURITY_POLICY_SCORM = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# xAPI statements out (xapi app): every learning event is queued as a statement and sent by the
# worker to the LRS at XAPI_LRS_ENDPOINT (e.g. https://lrs.example.com/xAPI/) with HTTP Basic
# XAPI_LRS_KEY / XAPI_LRS_SECRET; without an endpoint statements are queued and nothing is sent.
# XAPI_ACTOR_EMAIL=true (the organisation's opt-in) identifies people by email, not by an
# opaque account name, derived from XAPI_ACTOR_KEY (default: SECRET_KEY; set it before rotating
# SECRET_KEY, or every person gets a new name in the LRS).
XAPI_LRS_ENDPOINT = os.environ.get("XAPI_LRS_ENDPOINT", "")
XAPI_LRS_KEY = os.environ.get("XAPI_LRS_KEY", "")
XAPI_LRS_SECRET = os.environ.get("XAPI_LRS_SECRET", "")
XAPI_LRS_TIMEOUT = float(os.environ.get("XAPI_LRS_TIMEOUT", "10"))
XAPI_BATCH_SIZE = int(os.environ.get("XAPI_BATCH_SIZE", "50"))
XAPI_ACTOR_EMAIL = env_bool("XAPI_ACTOR_EMAIL", False)
XAPI_ACTOR_KEY = os.environ.get("XAPI_ACTOR_KEY", "")
XAPI_RETRY_BASE_SECONDS = int(os.environ.get("XAPI_RETRY_BASE_SECONDS", "30"))
XAPI_RETRY_MAX_SECONDS = int(os.environ.get("XAPI_RETRY_MAX_SECONDS", str(60 * 60)))
INSTALLED_APPS += ["xapi"]
# --- sso ---
# Single sign-on through allauth's own OpenID Connect and SAML 2.0 providers. The IdPs come from
# the environment (SSO_OIDC_PROVIDERS / SSO_SAML_PROVIDERS, JSON: people/sso_config.py and the
# README's "Single sign-on") or from SocialApp records (the Wagtail admin's "Single sign-on
# apps", superusers only: people.wagtail_hooks); HR's rules per
# IdP (domains that must use it, people created on first sign-in, claim names) are in the
# Wagtail admin (people/sso.py).
from people.sso_config import providers_from_environment  # noqa: E402

INSTALLED_APPS += [
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1,
    "people.middleware.SsoFormActionMiddleware",
)
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = providers_from_environment(os.environ)
# Matching a login to a person is people.sso_login.match_person's (verified email, then
# employee number), not allauth's own email authentication.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False
# A domain that must use SSO never uses a password (people.sso.password_refusal).
ACCOUNT_FORMS = {
    "reset_password": "people.forms.SsoAwareResetPasswordForm",
    "reset_password_from_key": "people.forms.SsoAwareResetPasswordKeyForm",
    "set_password": "people.forms.SsoAwareSetPasswordForm",
}
# --- mfa ---
# Two factors (allauth.mfa): an authenticator app's code (TOTP), a security key or passkey
# (WebAuthn, as a second step after the password) and recovery codes. People who see other
# people's records or the admin — HR, supervisors (MFA_REQUIRED_FOR_SUPERVISORS), editors and
# superusers — must enrol an app or a key before any other page opens
# (people.two_factor.SecondFactorRequiredMiddleware, rule in people.policy); agents may opt in
# from their profile. MFA_ENFORCED=0 turns the requirement off, for a quick local look at the
# demo only: `check --deploy` refuses it.
INSTALLED_APPS += ["allauth.mfa"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1,
    "people.two_factor.SecondFactorRequiredMiddleware",
)
MFA_ENFORCED = env_bool("MFA_ENFORCED", True)
MFA_REQUIRED_FOR_SUPERVISORS = env_bool("MFA_REQUIRED_FOR_SUPERVISORS", True)
MFA_ADAPTER = "people.two_factor.SecondFactorAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# A key is a second step only, never the whole sign-in: passkey login would let a key alone
# open a staff account (no password), and in allauth 65.21 it accepts any of a person's keys,
# also those added as "second step only" (pennersr/django-allauth#4224). Passkey sign-up
# stays off with it (people are invited, they do not sign up).
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# Keys are checked against the host the page was served from (the RP ID): https, or
# http://localhost (fido2 2.x accepts it, as browsers do) — not http://127.0.0.1, so open the
# development server as http://localhost:8000. MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN stays off.
MFA_TOTP_ISSUER = "Actitud"
MFA_TOTP_PERIOD = 30
MFA_TOTP_DIGITS = 6
# Only the current 30-second code: allauth remembers a used code for one period, so a wider
# window would let a code seen over someone's shoulder be used again a minute later.
MFA_TOTP_TOLERANCE = 0
MFA_RECOVERY_CODE_COUNT = 10
# Shown once, when generated (and downloadable then); a lost list is replaced, not re-read.
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_TRUST_ENABLED = False  # no "trust this browser": every sign-in asks for the code
# Wrong codes count as failed sign-ins (allauth's "login_failed" action, ACCOUNT_RATE_LIMITS
# above): 20 an hour per account from anywhere and 100 in 5 minutes per address.
MFA_FORMS = {
    "activate_totp": "people.two_factor.ActivateAuthenticatorForm",
    "authenticate": "people.two_factor.AuthenticateForm",
    "authenticate_webauthn": "people.two_factor.AuthenticateKeyForm",
    "add_webauthn": "people.two_factor.AddKeyForm",
    "edit_webauthn": "people.two_factor.EditKeyForm",
}
# --- scim ---
# SCIM 2.0 provisioning at /scim/v2/ (the `provisioning` app; README "Provisioning (SCIM)").
INSTALLED_APPS += ["provisioning"]
# People a SCIM client creates sign in through single sign-on, so no invitation to choose a
# password is sent unless this is on.
SCIM_SEND_INVITATIONS = os.environ.get("SCIM_SEND_INVITATIONS", "") == "1"
