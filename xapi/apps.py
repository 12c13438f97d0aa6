from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    name = "xapi"
    verbose_name = _("xAPI statements")

    def ready(self):
        from courses import lifecycle

        from . import queue

        lifecycle.activity_recorded.connect(
            queue.queue_statement, sender=lifecycle.ActivityEvent, dispatch_uid="xapi.queue"
        )
