from functools import wraps

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db.models import Exists
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from csp.middleware import CSPMiddleware
from csp.utils import default_config


class SpanishFirstLocaleMiddleware(LocaleMiddleware):
    """Spanish unless the person picked another language with the switch (kept in the
    language cookie). The browser's Accept-Language is not consulted: the product speaks
    Spanish first, whatever language the call centre's computers were installed in."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivateNoStoreMiddleware:
    """Everything sent to a signed-in person is theirs: `Cache-Control: private, no-store`
    on every response to an authenticated request (pages, certificate PDFs, exports,
    documents), so no shared proxy or browser disk cache keeps a copy. Public pages that
    show personal data use the `private_no_store` decorator below."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def private_no_store(view):
    """Mark a view's responses `Cache-Control: private, no-store` for everybody."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the Wagtail admin's own policy under /admin/
    (settings.CONTENT_SECURITY_POLICY_ADMIN, explained there), enforced or report-only
    like the site's."""

    ADMIN_PREFIX = "/admin/"

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        site_policy = getattr(
            settings,
            "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY",
            None,
        )
        if site_policy and parts.config is None and request.path_info.startswith(self.ADMIN_PREFIX):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
            parts.nonce = None  # a nonce would make browsers ignore 'unsafe-inline'
        return parts


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, except that a session read from the cache (people.sessions) signs nobody
    in unless its database row still exists: the person is fetched in one query that also
    requires the row, so a session signed out in any process is dead everywhere, whatever
    the cache still holds. A session read from the database is Django's case, unchanged."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


def get_user(request):
    """auth.get_user for a session read from the cache: the same checks (backend, session
    hash, its fallbacks), with the user and the session's row in one query."""
    session = request.session
    if auth.SESSION_KEY not in session:  # loads the session (from the cache or its row)
        return AnonymousUser()
    if not getattr(session, "loaded_from_cache", False):
        return auth.get_user(request)
    try:
        user_id = get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    row = Session.objects.filter(session_key=session.session_key, expire_date__gt=timezone.now())
    user = get_user_model()._default_manager.filter(Exists(row), pk=user_id).first()
    backend = auth.load_backend(backend_path)
    if user is None or not backend.user_can_authenticate(user):
        if user is None:
            session.flush()  # its row is gone: drop the cached copy too
        return AnonymousUser()
    session_hash = session.get(auth.HASH_SESSION_KEY)
    current = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, current):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[auth.HASH_SESSION_KEY] = current
        return user
    session.flush()
    return AnonymousUser()


class SsoFormActionMiddleware:
    """The sign-in pages (/cuenta/) post to allauth, which answers with a redirect to the
    company's identity provider; browsers hold that redirect to the page's CSP form-action,
    so those pages add the configured IdPs' origins to it (people.sso_config.app_origins)."""

    PREFIX = "/cuenta/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.PREFIX):
            origins = sorted(sso_origins(request))
            if origins:
                response._csp_update = {"form-action": origins}
        return response


def sso_origins(request):
    from allauth.socialaccount.adapter import get_adapter

    from .sso_config import app_origins

    origins = set()
    for app in get_adapter().list_apps(request):
        if app.provider in ("openid_connect", "saml"):
            origins |= app_origins(app.settings or {})
    return origins
