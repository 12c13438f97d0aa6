"""What the service publishes about itself (RFC 7643 §5–7): its configuration, the two
resource types and the schemas, trimmed to the attributes Actitud keeps, so a client's
mapping screen shows only what has an effect."""

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Filter,
    Meta,
    Patch,
    ResourceType,
    ServiceProviderConfig,
    Sort,
)
from scim2_models import Group as ScimGroup
from scim2_models import User as CoreUser

from .resources import ScimUser

MAX_RESULTS = 200

#: The attributes each schema publishes (sub-attributes after a dot).
KEPT = {
    str(CoreUser.__schema__): {
        "userName",
        "name",
        "name.formatted",
        "name.givenName",
        "name.familyName",
        "displayName",
        "active",
        "emails",
        "emails.value",
        "emails.type",
        "emails.primary",
        "groups",
        "groups.value",
        "groups.$ref",
        "groups.display",
        "groups.type",
    },
    str(EnterpriseUser.__schema__): {
        "employeeNumber",
        "manager",
        "manager.value",
        "manager.$ref",
        "manager.displayName",
    },
    str(ScimGroup.__schema__): {
        "displayName",
        "members",
        "members.value",
        "members.$ref",
        "members.display",
        "members.type",
    },
}


def service_provider_config(base_url):
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A token HR creates for this client in the Actitud admin",
                primary=True,
            )
        ],
        meta=Meta(
            resource_type="ServiceProviderConfig", location=f"{base_url}ServiceProviderConfig"
        ),
    )


def resource_types(base_url):
    types = []
    for model in (ScimUser, ScimGroup):
        resource_type = ResourceType.from_resource(model)
        resource_type.meta = Meta(
            resource_type="ResourceType", location=f"{base_url}ResourceTypes/{resource_type.id}"
        )
        types.append(resource_type)
    return types


#: Every person signs in with an email address: a userName that is not one (Microsoft's
#: validator sends such names) needs an email in `emails`, so the schema says emails are
#: required. Every person is active or not, so `active` is required too (a create without
#: it makes an active person). A client may not remove a required attribute (RFC 7644
#: §3.5.2): such a PATCH is refused.
REQUIRED = {"emails", "emails.value", "active"}


def _trim(attributes, kept, prefix=""):
    trimmed = []
    for attribute in attributes or []:
        name = f"{prefix}{attribute.name}"
        if name not in kept:
            continue
        if name in REQUIRED:
            attribute.required = True
        if attribute.sub_attributes:
            attribute.sub_attributes = _trim(attribute.sub_attributes, kept, f"{name}.")
        trimmed.append(attribute)
    return trimmed


def schemas(base_url):
    published = []
    for model in (CoreUser, EnterpriseUser, ScimGroup):
        schema = model.to_schema()
        schema.attributes = _trim(schema.attributes, KEPT[str(model.__schema__)])
        schema.meta = Meta(resource_type="Schema", location=f"{base_url}Schemas/{schema.id}")
        published.append(schema)
    return published
