from django.conf import settings
from django.core.exceptions import ValidationError

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit

INVITATION = "people/email/invitation"

APP = "allauth.account"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by HR, never by signing up; account emails are rendered here and
    sent by the task queue."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """A failed sign-in counts against the account from this address
        (`login_failed_from_address`), the account from anywhere and the address
        (`login_failed`, allauth's own); an attempt refused by any limit uses up none of them,
        so a guesser hammering a locked account does not lock a floor out, and a successful
        sign-in gives all three back (allauth rolls back `_login_failed_rl_usage`)."""
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        address_key = f"{ratelimit.get_ip(request)}|{account_key}"
        limits = [("login_failed_from_address", address_key), ("login_failed", account_key)]
        for action, key in limits:
            if not ratelimit.consume(request, app=APP, action=action, key=key, dry_run=True):
                raise self.validation_error("too_many_login_attempts")
        from_address = ratelimit.consume(
            request, app=APP, action="login_failed_from_address", key=address_key
        )
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            if from_address:
                from_address.rollback()
            raise
        if from_address and self._login_failed_rl_usage:
            self._login_failed_rl_usage.usage.extend(from_address.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """A password reset clears the account's failures, from this address too."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(
            request,
            app=APP,
            action="login_failed_from_address",
            key=f"{ratelimit.get_ip(request)}|{account_key}",
        )

    def send_mail(self, template_prefix, email, context):
        from .services import queue_email

        message = self.render_mail(
            template_prefix, email, {"email": email, "site_url": settings.SITE_URL, **context}
        )
        invited = context.get("person") if template_prefix == INVITATION else None
        queue_email(message=message, template=template_prefix, person=invited)

    def is_reauthentication_required(self, *, app, **kwargs):
        """allauth asks for the password again before any change to a person's second
        factor; enrolling the first authenticator app within ACCOUNT_REAUTHENTICATION_TIMEOUT
        of signing in is the exception (people.two_factor.enrolling_right_after_sign_in):
        staff are sent there straight from the sign-in page. Removing it and making new
        recovery codes still ask."""
        from allauth.core import context

        from .two_factor import enrolling_right_after_sign_in

        if app == "allauth.mfa" and enrolling_right_after_sign_in(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)
