"""Who may see whose personal records. This module is the only place that decides it.

The rule: nobody signed out sees anything; everybody sees themself; HR (and superusers) see
everyone; a supervisor sees the current members of the teams they supervise; an editor, as
such, sees no one else. Every view and report that shows personal records starts from
`visible_people(viewer)` or asks `can_view_records(viewer, person)`.
"""

from django.db.models import Q

from .models import User


def visible_people(viewer):
    """The people whose records `viewer` may see, as a QuerySet of users."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return User.objects.none()
    if viewer.is_hr:
        return User.objects.all()
    rule = Q(pk=viewer.pk)
    if viewer.is_supervisor:
        rule |= Q(
            memberships__ended_at__isnull=True,
            memberships__team__supervisors=viewer,
        )
    return User.objects.filter(rule).distinct()


def can_view_records(viewer, person):
    """Whether `viewer` may see the personal records of `person`."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active or person is None:
        return False
    if viewer.pk == person.pk or viewer.is_hr:
        return True
    return visible_people(viewer).filter(pk=person.pk).exists()


def can_coach(viewer, person):
    """Whether `viewer` may coach `person`: open their quiz attempts and role-play runs for
    review, write coaching notes on them and ask them to repeat an activity — a supervisor or
    HR who may see the person's records, never about themself."""
    return (
        viewer is not None
        and viewer.is_authenticated
        and person is not None
        and viewer.pk != person.pk
        and (viewer.is_supervisor or viewer.is_hr)
        and can_view_records(viewer, person)
    )


def can_edit_coaching_note(viewer, note, *, may_coach=None):
    """Whether `viewer` may edit a coaching note: its author or HR, while they may coach
    the person it is about. A caller that has just asked `can_coach(viewer, note.person)`
    passes its answer as `may_coach`, so a list of notes asks the database once."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if not (viewer.pk == note.author_id or viewer.is_hr):
        return False
    return can_coach(viewer, note.person) if may_coach is None else may_coach


def can_manage_people(viewer):
    """Whether `viewer` may create people, import them and change their team or role (HR)."""
    return viewer is not None and viewer.is_authenticated and viewer.is_active and viewer.is_hr


def can_administer_accounts(viewer):
    """Whether `viewer` may grant or remove privileges — superuser and staff status, group
    membership, model permissions — and set passwords in Wagtail's user admin: superusers
    only. HR manages people through the /rrhh/ pages, which grant the four roles and nothing
    more."""
    return (
        viewer is not None and viewer.is_authenticated and viewer.is_active and viewer.is_superuser
    )


def can_configure_identity_providers(viewer):
    """Whether `viewer` may add, change or remove the apps of the identity providers
    (allauth's SocialApp records: client secrets, the IdP Actitud trusts to say who someone
    is): superusers only, as an IdP can sign anyone in. HR's rules per IdP (people.sso) are
    HR's."""
    return can_administer_accounts(viewer)


def can_edit_person(viewer, person):
    """Whether `viewer` may edit `person` on the HR pages: HR may edit anyone but a
    superuser, whose account only another superuser may change."""
    if not can_manage_people(viewer) or person is None:
        return False
    return viewer.is_superuser or not person.is_superuser


def can_resend_emails(viewer):
    """Whether `viewer` may see the emails that could not be sent and send them again (HR:
    the emails carry people's names, links and certificates)."""
    return can_manage_people(viewer)


def manageable_teams(viewer):
    """The teams whose learning `viewer` may direct (assign courses, change due dates): HR
    all teams, a supervisor the teams they supervise, anyone else none."""
    from .models import Team

    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return Team.objects.none()
    if viewer.is_hr:
        return Team.objects.all()
    if viewer.is_supervisor:
        return viewer.supervised_teams.all()
    return Team.objects.none()


def calendar_people(viewer):
    """Whose due dates and certificate expiries `viewer`'s calendar shows: their own, and a
    supervisor's also those of the current members of the teams they supervise (HR's view of
    everyone is the HR dashboard, not a calendar). Inactive or signed-out: no one."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return User.objects.none()
    rule = Q(pk=viewer.pk)
    if viewer.is_supervisor:
        rule |= Q(
            memberships__ended_at__isnull=True,
            memberships__team__supervisors=viewer,
        )
    return User.objects.filter(rule).distinct()


def can_reset_activity(viewer, person):
    """Whether `viewer` may reset a person's data for a learning activity (a SCORM package's
    attempt), so that it starts again: HR only — a reset throws away where the person was,
    which neither the person nor their supervisor may decide. `person` None asks whether the
    viewer may reset anyone's."""
    if not can_manage_people(viewer):
        return False
    return person is None or can_view_records(viewer, person)


def must_use_second_factor(person):
    """Whether `person` must pass a second factor (an authenticator app's code or a security
    key) before any page opens: everyone who may see other people's records or the admin —
    HR, editors, superusers and staff, and supervisors while
    settings.MFA_REQUIRED_FOR_SUPERVISORS is on (the default). Agents may opt in. Nobody
    while settings.MFA_ENFORCED is off (a local look at the demo only; `check --deploy`
    refuses it)."""
    from django.conf import settings

    if person is None or not person.is_authenticated or not settings.MFA_ENFORCED:
        return False
    if person.is_superuser or person.is_staff or person.is_hr or person.is_editor:
        return True
    return settings.MFA_REQUIRED_FOR_SUPERVISORS and person.is_supervisor


def can_manage_provisioning(viewer):
    """Whether `viewer` may create and revoke the tokens with which an HR system or identity
    provider provisions people over SCIM (HR: a token creates and deactivates accounts)."""
    return can_manage_people(viewer)
