"""The notification centre: one function, `notify`, tells a person something on every channel
they want (the site's list and bell, and email), written in the caller's transaction, so what
is rolled back is told nowhere and what is committed is told once on each channel.

Each kind's text is written when it is shown, in the reader's language, from the
notification's `params` (see MESSAGES): store names and dates in `params`, never sentences.
Dates go in keys ending in `_on` (ISO strings or `date` objects) and are shown in the
reader's date format.
"""

from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .models import Channel, Notification, NotificationPreference

Kind = Notification.Kind

# The text of each kind: the first variant whose keys are all in `params` is used.
MESSAGES = {
    Kind.ASSIGNED: [
        (("course", "due_on"), _("New course for you: %(course)s, due on %(due_on)s.")),
        (("course",), _("New course for you: %(course)s.")),
    ],
    Kind.DUE_SOON: [(("course", "due_on"), _("%(course)s is due on %(due_on)s."))],
    Kind.OVERDUE: [
        (("course", "due_on"), _("%(course)s is overdue: it was due on %(due_on)s.")),
    ],
    Kind.DUE_DATE_CHANGED: [
        (
            ("course", "previous_on", "due_on"),
            _("The due date of %(course)s moved from %(previous_on)s to %(due_on)s."),
        ),
        (("course", "due_on"), _("%(course)s is now due on %(due_on)s.")),
    ],
    Kind.FEEDBACK_SHARED: [
        (("author",), _("%(author)s shared feedback with you.")),
        ((), _("You have new feedback on your work.")),
    ],
    Kind.RETAKE_REQUESTED: [
        (
            ("author", "step", "due_on"),
            _("%(author)s asks you to take %(step)s again by %(due_on)s."),
        ),
        (("author", "step"), _("%(author)s asks you to take %(step)s again.")),
    ],
    Kind.NUDGE: [(("author", "step"), _("%(author)s asks you to repeat %(step)s."))],
    Kind.CERTIFICATE_ISSUED: [
        (("programme", "holder"), _("%(holder)s is now certified in %(programme)s.")),
        (("programme",), _("You are now certified in %(programme)s.")),
    ],
    Kind.CERTIFICATE_EXPIRING: [
        (
            ("programme", "expires_on", "holder"),
            _("The %(programme)s certificate of %(holder)s expires on %(expires_on)s."),
        ),
        (
            ("programme", "expires_on"),
            _("Your %(programme)s certificate expires on %(expires_on)s."),
        ),
    ],
    Kind.CERTIFICATE_EXPIRED: [
        (
            ("programme", "holder"),
            _("The %(programme)s certificate of %(holder)s has expired."),
        ),
        (
            ("programme",),
            _("Your %(programme)s certificate has expired: its courses are assigned again."),
        ),
    ],
    Kind.REFRESHER: [
        (
            ("course", "dimension", "percent", "threshold"),
            _(
                "Refresher course %(course)s: your score in %(dimension)s is %(percent)s %%, "
                "below the %(threshold)s %% the programme asks for."
            ),
        ),
        (("course",), _("Refresher course assigned: %(course)s.")),
    ],
    Kind.REPORT: [(("name",), _("Your scheduled report is ready: %(name)s."))],
    Kind.DIGEST: [
        (("overdue",), _("Weekly summary of your teams: %(overdue)s overdue assignments.")),
    ],
}

# Channels on unless the person turned them off. (ASSIGNED, EMAIL) cannot be turned off:
# an assignment is work the person has to know about.
LOCKED = frozenset({(Kind.ASSIGNED, Channel.EMAIL)})
DEFAULTS = {}  # (kind, channel) → default when not True

UNREAD_TIMEOUT = 60 * 60 * 24
GENERIC_EMAIL = "people/email/notification"


def _shown(key, value):
    if key.endswith("_on") and value:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value[:10])
            except ValueError:
                return value
        return formats.date_format(value, "DATE_FORMAT")
    return value


def message(notification):
    """The notification's text in the active language, from its kind and params."""
    params = notification.params or {}
    for keys, text in MESSAGES.get(notification.kind, []):
        if all(params.get(key) not in (None, "") for key in keys):
            return str(text) % {key: _shown(key, params[key]) for key in keys}
    return str(notification.get_kind_display())


# Kinds only people who lead others receive.
MANAGER_KINDS = frozenset({Kind.DIGEST, Kind.REPORT})


def kinds_for(person):
    """The kinds `person` may receive, for their preferences page."""
    manager = person.is_supervisor or person.is_hr
    return [kind for kind in Kind if manager or kind not in MANAGER_KINDS]


def preferences(person):
    """{(kind, channel): enabled} for every kind and channel, in one query: the person's
    choices over the defaults; locked channels are always on."""
    chosen = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(
            person=person
        ).values_list("kind", "channel", "enabled")
    }
    return {
        (kind, channel): (kind, channel) in LOCKED
        or chosen.get((kind, channel), DEFAULTS.get((kind, channel), True))
        for kind in Kind
        for channel in Channel
    }


def wants(person, kind, channel):
    """Whether `person` wants `kind` on `channel`."""
    return preferences(person)[(Kind(kind), Channel(channel))]


def people_wanting(people, kind, channel):
    """The ids among `people` (ids) who want `kind` on `channel` — what `notify` will send
    them, counted before sending (a bulk action's confirmation says how many emails it
    sends). One query whatever their number."""
    kind, channel = Kind(kind), Channel(channel)
    people = set(people)
    if (kind, channel) in LOCKED:
        return people
    chosen = dict(
        NotificationPreference.objects.filter(
            person__in=people, kind=kind, channel=channel
        ).values_list("person", "enabled")
    )
    default = DEFAULTS.get((kind, channel), True)
    return {pk for pk in people if chosen.get(pk, default)}


@transaction.atomic
def save_preferences(*, person, choices):
    """Store `choices` ({(kind, channel): bool}) for `person`; locked channels stay on."""
    for (kind, channel), enabled in choices.items():
        if (kind, channel) in LOCKED:
            continue
        NotificationPreference.objects.update_or_create(
            person=person, kind=kind, channel=channel, defaults={"enabled": bool(enabled)}
        )


def _unread_key(person_id):
    return f"notifications:unread:{person_id}"


def forget_unread_count(person_id):
    """Drop the cached unread count now and again when the transaction commits, so a count
    read meanwhile by another request does not outlive the change."""
    key = _unread_key(person_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def unread_count(person):
    """How many notifications `person` has not read: from the cache, counted on a miss."""
    key = _unread_key(person.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(person=person, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_TIMEOUT)
    return count


@transaction.atomic(savepoint=False)
def notify(*, person, kind, params=None, url="", email=None):
    """Tell `person` something of `kind`: a Notification on the site and, when `email` is
    `(template_prefix, context)`, the email through people.services.send_templated_email —
    each only if the person wants that channel for that kind. Call it inside the caller's
    transaction: rolled back, nothing is told; committed, each channel once. Returns the
    Notification, or None when the person turned the site channel off for this kind.

    `params` holds what the text needs (see MESSAGES): course, due_on, previous_on, author,
    step, programme, expires_on, holder, dimension, percent, threshold, name, overdue.
    The email context gets `person` and `notification` (unsaved when the site channel is
    off) added; `email=(None, {})` sends GENERIC_EMAIL: the notification's text and link.
    """
    from .services import send_templated_email

    kind = Kind(kind)
    wanted = preferences(person)
    notification = Notification(person=person, kind=kind, params=params or {}, url=url or "")
    if wanted[(kind, Channel.SITE)]:
        notification.save()
        forget_unread_count(person.pk)
    if email is not None and wanted[(kind, Channel.EMAIL)] and person.email:
        template_prefix, context = email
        send_templated_email(
            template_prefix=template_prefix or GENERIC_EMAIL,
            to=person.email,
            context={**context, "person": person, "notification": notification},
        )
    return notification if notification.pk else None


def mark_read(*, person, notification_ids=None, now=None):
    """Mark `person`'s unread notifications read: the given ones, or all of them. Returns how
    many changed; other people's notifications are never touched."""
    from django.utils import timezone

    unread = Notification.objects.filter(person=person, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    changed = unread.update(read_at=now or timezone.now())
    if changed:
        forget_unread_count(person.pk)
    return changed
