"""SCIM clients (the HR system or identity provider that provisions people), their bearer
tokens, a minimal audit of their requests, and the few SCIM attributes `people` has no field
for (externalId, the given and family names as sent)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "scim_"  # noqa: S105 (a prefix, not a secret)
#: last_used_at is written at most this often per client, so a sync of thousands of
#: requests does not update the same row thousands of times.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token):
    """Tokens are 256 random bits, so a plain SHA-256 is enough to store them: unlike a
    password there is nothing to guess, and one indexed lookup finds the client."""
    return hashlib.sha256(token.encode()).hexdigest()


class ScimClientQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ScimClient(models.Model):
    """One system allowed to provision people. Its token is shown once, when HR creates the
    client, and only its SHA-256 is kept; a revoked client's token is refused."""

    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token starts with"), max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ScimClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("SCIM client")
        verbose_name_plural = _("SCIM clients")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @classmethod
    def issue(cls, *, name, by):
        """Create a client and return it with its token, which is never stored nor shown
        again."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        client = cls.objects.create(
            name=name, token_hash=hash_token(token), token_hint=token[:10], created_by=by
        )
        return client, token

    @classmethod
    def authenticate(cls, token):
        """The usable client whose token this is, or None."""
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        return cls.objects.usable().filter(token_hash=hash_token(token)).first()

    def touch(self, now=None):
        """Record that the client was used, at most once per LAST_USED_RESOLUTION."""
        now = now or timezone.now()
        if self.last_used_at and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        self.last_used_at = now
        type(self).objects.filter(pk=self.pk).update(last_used_at=now)

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class ScimRequest(models.Model):
    """One request a client made: who, what and how it ended. No bodies, no personal data."""

    client = models.ForeignKey(ScimClient, on_delete=models.CASCADE, related_name="requests")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=7)
    resource = models.CharField(max_length=80)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.client} {self.method} {self.resource} {self.status}"


class ProvisionedPerson(models.Model):
    """What SCIM knows of a person beyond `people.User`: the client's externalId, its
    userName when that is not the email address (Microsoft's validator sends such names), the
    name and displayName as sent (full_name keeps the one that made it), the manager and the
    emails as the client last set them, and whether the client deleted the person (DELETE
    deactivates: the person and their history stay, SCIM answers 404)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="provisioning",
    )
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    user_name = models.CharField(max_length=255, blank=True, db_index=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    formatted_name = models.CharField(max_length=255, blank=True)
    display_name = models.CharField(max_length=255, blank=True)
    #: people.User.full_name as the client's last write made it: once HR renames the person,
    #: the name and displayName the client sent no longer describe them.
    full_name = models.CharField(max_length=150, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: [{"value": …, "type": …, "primary": …}] as the client sent them (keys it left out are
    #: left out); the sign-in address is people.User.email.
    emails = models.JSONField(default=list, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.person)


class ProvisionedTeam(models.Model):
    """The client's externalId of a team, and when SCIM last changed it."""

    team = models.OneToOneField(
        "people.Team", on_delete=models.CASCADE, primary_key=True, related_name="provisioning"
    )
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.team)


class ProvisionedMembership(models.Model):
    """The label (`display`) a client gave a member when it added them to a team: a member's
    sub-attributes are set when the member is added or the members replaced, and then kept
    (RFC 7643 §4.2). Without one, a member shows the person's current name."""

    membership = models.OneToOneField(
        "people.Membership",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="provisioning",
    )
    display = models.CharField(max_length=255)

    def __str__(self):
        return self.display
