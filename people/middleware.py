from functools import wraps

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

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
