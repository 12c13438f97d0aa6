from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
        from .credentials import checks  # noqa: F401 (registers the badge key checks)
