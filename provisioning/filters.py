"""The SCIM filters this service answers, as Django lookups. What an identity provider asks
before creating or linking a resource is supported — `eq` on a unique attribute, joined with
`and` — and anything else is refused with invalidFilter rather than answered wrongly."""

from django.db.models import Q

from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import Comparison, LogicalExpr

USER_FIELDS = {
    "username": ("email__iexact", "provisioning__user_name__iexact"),
    "emails.value": "email__iexact",
    "emails": "email__iexact",
    "externalid": "provisioning__external_id",
    "id": "pk",
    "active": "is_active",
    "displayname": "full_name__iexact",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:employeenumber": "employee_number",
}
GROUP_FIELDS = {
    "displayname": "name__iexact",
    "externalid": "provisioning__external_id",
    "id": "pk",
}


def _name(attr_path):
    name = attr_path.attr if not attr_path.sub_attr else f"{attr_path.attr}.{attr_path.sub_attr}"
    if attr_path.uri:
        name = f"{attr_path.uri}:{name}"
    return name.lower()


def _to_q(node, fields):
    if isinstance(node, LogicalExpr) and node.op == "and":
        query = Q()
        for term in node.terms:
            query &= _to_q(term, fields)
        return query
    if isinstance(node, Comparison) and node.op == "eq":
        lookup = fields.get(_name(node.attr_path))
        if lookup is None:
            raise InvalidFilterException(detail=f"Filtering on {node.attr_path} is not supported")
        value = node.value
        if lookup == "pk" and not str(value).isdigit():
            return Q(pk__in=[])
        lookups = lookup if isinstance(lookup, tuple) else (lookup,)
        query = Q()
        for name in lookups:
            query |= Q(**{name: value})
        return query
    raise InvalidFilterException(
        detail="Only 'eq' comparisons, optionally joined with 'and', are supported"
    )


def filter_query(expression, model, fields):
    """The Q object for a SCIM filter string, or invalidFilter."""
    parsed = ScimFilter[model](expression)
    return _to_q(parsed.ast, fields)
