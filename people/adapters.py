from django.conf import settings

from allauth.account.adapter import DefaultAccountAdapter

from .tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by HR, never by signing up; account emails are rendered here and
    sent by the task queue."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(
            template_prefix, email, {"email": email, "site_url": settings.SITE_URL, **context}
        )
        html_body = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"),
            "",
        )
        send_email.enqueue(
            subject=message.subject,
            body=message.body,
            html_body=html_body,
            to=list(message.to),
            from_email=message.from_email,
        )
