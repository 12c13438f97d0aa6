from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisioningConfig(AppConfig):
    """SCIM 2.0 provisioning from the HR system or the identity provider. It sits above
    `people` (whose services it calls) and `courses` is not needed; nothing imports it."""

    default = True
    name = "provisioning"
    verbose_name = _("Provisioning (SCIM)")
