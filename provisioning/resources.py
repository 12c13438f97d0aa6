"""People and teams as SCIM resources (RFC 7643), read in a constant number of queries.

The mapping:
  User.id                ← person pk          userName ← email
                         (a userName that is not an email is kept in ProvisionedPerson)
  emails                 ← as the client last sent them, after the sign-in address (work) when
                         they leave it out
  name.formatted ← full_name                  name.givenName/familyName ← as last sent
  displayName ← as last sent; for a person no client wrote, or HR renamed since, full_name
  (and name is left out when the client's last write had none)
  active ← is_active     externalId ← ProvisionedPerson.external_id
  enterprise employeeNumber ← employee_number
  enterprise manager     ← the one the client named; for a person no client wrote, a
                         supervisor of their current team (lowest pk, not themself)
  groups                 ← the current team (read-only)
  Group.id ← team pk, displayName ← name, members ← the team's current members, each with the
  label the client gave it, else the person's name.
"""

import hashlib
import json

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from scim2_models import (
    Context,
    Email,
    EnterpriseUser,
    Group,
    GroupMember,
    GroupMembership,
    Manager,
    Meta,
    Name,
    User,
)

from people.models import Membership, Team
from people.models import User as Person

ScimUser = User[EnterpriseUser]
ScimGroup = Group


def people():
    """Every person SCIM shows (all but those a client deleted), with what their resource
    needs annotated: one query for any number of them."""
    current = Membership.objects.current().filter(person=OuterRef("pk"))
    named = Person.objects.filter(pk=OuterRef("provisioning__manager_id")).filter(
        Q(provisioning__isnull=True) | Q(provisioning__deleted_at__isnull=True)
    )
    supervisors = Team.supervisors.through.objects.filter(team_id=OuterRef("scim_team_id"))
    return (
        Person.objects.filter(
            Q(provisioning__isnull=True) | Q(provisioning__deleted_at__isnull=True)
        )
        .select_related("provisioning")
        .annotate(
            scim_team_id=Subquery(current.values("team_id")[:1]),
            scim_team_name=Subquery(current.values("team__name")[:1]),
            scim_team_since=Subquery(current.values("started_at")[:1]),
        )
        .annotate(
            scim_manager_id=Subquery(
                supervisors.exclude(user_id=OuterRef("pk"))
                .order_by("user_id")
                .values("user_id")[:1]
            ),
            scim_named_manager_id=Subquery(named.values("pk")[:1]),
        )
        .order_by("pk")
    )


def teams():
    """Every team, with its current members (not those a client deleted) prefetched: two
    queries for any number of teams."""
    members = (
        Membership.objects.current()
        .filter(
            Q(person__provisioning__isnull=True) | Q(person__provisioning__deleted_at__isnull=True)
        )
        .select_related("person", "provisioning")
        .order_by("person_id")
    )
    return (
        Team.objects.select_related("provisioning")
        .annotate(
            scim_changed=Greatest(
                Coalesce(Max("memberships__started_at"), "created_at"),
                Coalesce(Max("memberships__ended_at"), "created_at"),
            )
        )
        .prefetch_related(Prefetch("memberships", queryset=members, to_attr="scim_members"))
        .order_by("pk")
    )


def _provisioning(obj):
    try:
        return obj.provisioning
    except obj.__class__.provisioning.RelatedObjectDoesNotExist:
        return None


def _emails(person, extra):
    """The emails as the client last sent them; the sign-in address is listed first, as the
    work address, when they leave it out (none sent yet, or HR changed it since), primary
    unless another one is."""
    kept = [Email(**email) for email in (extra.emails if extra else [])]
    if not any((email.value or "").lower() == person.email.lower() for email in kept):
        primary = not any(email.primary for email in kept)
        kept.insert(0, Email(value=person.email, type="work", primary=primary))
    return kept


def _manager_id(person, extra):
    """The manager a client named (a person it deleted is no one's manager); a person no
    client wrote has the lowest-pk other supervisor of their current team."""
    return person.scim_named_manager_id if extra else person.scim_manager_id


def _member_display(membership):
    label = _provisioning(membership)
    return label.display if label else membership.person.full_name or membership.person.email


def _with_meta(resource, *, resource_type, location, created, last_modified):
    """Set meta, with a version that is a digest of everything else: it changes exactly when
    the representation does, whoever changed it (SCIM, the HR pages, an import)."""
    body = resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:20]
    resource.meta = Meta(
        resource_type=resource_type,
        location=location,
        created=created,
        last_modified=last_modified,
        version=f'W/"{digest}"',
    )
    return resource


def _names(person, extra):
    """name and displayName: as the client last sent them (name.formatted is full_name, the
    name they make); for a person no client wrote, or one HR renamed since, both are
    full_name."""
    given = extra.given_name if extra else ""
    family = extra.family_name if extra else ""
    full_name = person.full_name or None
    if extra is None or extra.full_name != person.full_name:
        return Name(formatted=full_name, given_name=given or None, family_name=family or None), (
            full_name
        )
    name = (
        Name(formatted=full_name, given_name=given or None, family_name=family or None)
        if extra.formatted_name or given or family
        else None
    )
    return name, extra.display_name or None


def user_resource(person, base_url):
    """The SCIM User of a person read through people()."""
    extra = _provisioning(person)
    name, display_name = _names(person, extra)
    resource = ScimUser(
        id=str(person.pk),
        external_id=(extra.external_id or None) if extra else None,
        user_name=(extra.user_name if extra else "") or person.email,
        display_name=display_name,
        name=name,
        active=person.is_active,
        emails=_emails(person, extra),
        groups=(
            [
                GroupMembership(
                    value=str(person.scim_team_id),
                    display=person.scim_team_name,
                    ref=f"{base_url}Groups/{person.scim_team_id}",
                    type="direct",
                )
            ]
            if person.scim_team_id
            else None
        ),
    )
    enterprise = EnterpriseUser(employee_number=person.employee_number or None)
    manager_id = _manager_id(person, extra)
    if manager_id:
        enterprise.manager = Manager(value=str(manager_id), ref=f"{base_url}Users/{manager_id}")
    resource[EnterpriseUser] = enterprise
    changes = [person.date_joined]
    if extra:
        changes.append(extra.updated_at)
    if person.scim_team_since:
        changes.append(person.scim_team_since)
    return _with_meta(
        resource,
        resource_type="User",
        location=f"{base_url}Users/{person.pk}",
        created=person.date_joined,
        last_modified=max(changes),
    )


def group_resource(team, base_url):
    """The SCIM Group of a team read through teams()."""
    extra = _provisioning(team)
    resource = ScimGroup(
        id=str(team.pk),
        external_id=(extra.external_id or None) if extra else None,
        display_name=team.name,
        members=[
            GroupMember(
                value=str(membership.person_id),
                display=_member_display(membership),
                ref=f"{base_url}Users/{membership.person_id}",
                type="User",
            )
            for membership in team.scim_members
        ]
        or None,
    )
    changes = [team.created_at, team.scim_changed or team.created_at]
    if extra:
        changes.append(extra.updated_at)
    return _with_meta(
        resource,
        resource_type="Group",
        location=f"{base_url}Groups/{team.pk}",
        created=team.created_at,
        last_modified=max(changes),
    )
