"""`manage.py check` refuses, with badges on, a signing key that cannot be read and a
previous public key that cannot be read (the credentials it signed would stop verifying)."""

from django.conf import settings
from django.core import checks

from .keys import current_key, public_from_multibase


@checks.register(checks.Tags.security, deploy=True)
def badge_keys(app_configs, **kwargs):
    if not settings.BADGES_ENABLED:
        return []
    problems = []
    try:
        current_key()
    except Exception as error:  # noqa: BLE001 (any unreadable key is reported as such)
        problems.append(checks.Error(str(error), id="certification.E001"))
    for value in settings.BADGE_PREVIOUS_PUBLIC_KEYS:
        try:
            public_from_multibase(value.strip())
        except ValueError as error:
            problems.append(
                checks.Error(
                    f"BADGE_PREVIOUS_PUBLIC_KEYS: {value!r} is not an Ed25519 Multikey ({error}).",
                    id="certification.E002",
                )
            )
    return problems
