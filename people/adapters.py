from django.conf import settings

from allauth.account.adapter import DefaultAccountAdapter

INVITATION = "people/email/invitation"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by HR, never by signing up; account emails are rendered here and
    sent by the task queue."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        from .services import queue_email

        message = self.render_mail(
            template_prefix, email, {"email": email, "site_url": settings.SITE_URL, **context}
        )
        invited = context.get("person") if template_prefix == INVITATION else None
        queue_email(message=message, template=template_prefix, person=invited)
