from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttitudeConfig(AppConfig):
    name = "attitude"
    verbose_name = _("Service attitude")
