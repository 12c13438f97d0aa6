"""Password-reset tokens with two lifetimes: a reset link asked for by someone who has a
password lasts PASSWORD_RESET_TIMEOUT (an hour); the invitation link of someone who has
never chosen one (people.services.invitation_url) lasts INVITATION_TIMEOUT (a week)."""

from datetime import timedelta

from django.conf import settings

from allauth.account.forms import EmailAwarePasswordResetTokenGenerator


def is_invitee(user):
    """Someone invited who has not yet chosen a password nor signed in."""
    return not user.has_usable_password() and user.last_login is None


class InvitationTokenGenerator(EmailAwarePasswordResetTokenGenerator):
    """allauth's reset token (it includes the email and the password hash, so it stops
    working once used), accepted for INVITATION_TIMEOUT while the person is an invitee."""

    def check_token(self, user, token):
        if super().check_token(user, token):
            return True
        if not user or not is_invitee(user):
            return False
        extra = settings.INVITATION_TIMEOUT - settings.PASSWORD_RESET_TIMEOUT
        if extra <= 0:
            return False
        # The same check, with "now" moved back by the invitation's extra time; a fresh
        # instance, as this one is shared by every request.
        shifted = EmailAwarePasswordResetTokenGenerator()
        now = shifted._now()
        shifted._now = lambda: now - timedelta(seconds=extra)
        return shifted.check_token(user, token)
