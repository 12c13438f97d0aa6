"""People and teams as SCIM resources (RFC 7643), read in a constant number of queries.

The mapping:
  User.id                ← person pk          userName, emails[work, primary] ← email
                         (a userName that is not an email is kept in ProvisionedPerson)
  name.formatted, displayName ← full_name     name.givenName/familyName ← as last sent
  active ← is_active     externalId ← ProvisionedPerson.external_id
  enterprise employeeNumber ← employee_number
  enterprise manager     ← a supervisor of the person's current team (lowest pk, not themself)
  groups                 ← the current team (read-only)
  Group.id ← team pk, displayName ← name, members ← the team's current members.
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
        .select_related("person")
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


def user_resource(person, base_url):
    """The SCIM User of a person read through people()."""
    extra = _provisioning(person)
    given = extra.given_name if extra else ""
    family = extra.family_name if extra else ""
    resource = ScimUser(
        id=str(person.pk),
        external_id=(extra.external_id or None) if extra else None,
        user_name=(extra.user_name if extra else "") or person.email,
        display_name=person.full_name or None,
        name=Name(
            formatted=person.full_name or None, given_name=given or None, family_name=family or None
        ),
        active=person.is_active,
        emails=[Email(value=person.email, type="work", primary=True)],
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
    if person.scim_manager_id:
        enterprise.manager = Manager(
            value=str(person.scim_manager_id), ref=f"{base_url}Users/{person.scim_manager_id}"
        )
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
                display=membership.person.full_name or membership.person.email,
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
