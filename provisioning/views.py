"""The SCIM 2.0 endpoints (RFC 7644) under /scim/v2/: thin views that parse with
scim2-models, read through `resources`, write through `services`, and answer in
application/scim+json with the SCIM error schema."""

import json
from http import HTTPStatus

from django.http import HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    InvalidSyntaxException,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    PatchOp,
    PatchOperation,
    PreconditionFailedException,
    ResponseParameters,
    SCIMException,
    SearchRequest,
)

from . import discovery, resources, services
from .filters import GROUP_FIELDS, USER_FIELDS, filter_query
from .models import ScimClient, ScimRequest

CONTENT_TYPE = "application/scim+json"


def scim_response(body, status=HTTPStatus.OK, *, etag=None):
    response = HttpResponse(
        json.dumps(body) if body is not None else b"", status=status, content_type=CONTENT_TYPE
    )
    if body is None:
        del response["Content-Type"]
    if etag:
        response["ETag"] = etag
    return response


def error_response(error):
    status = int(error.status or HTTPStatus.BAD_REQUEST)
    response = scim_response(error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), status)
    if status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def _bearer(request):
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _entra_compatible(operations):
    """Microsoft Entra ID sends two forms RFC 7644 does not: a manager as a bare id
    (`"value": "123"`), and members removed by listing them in `value` rather than by a
    filter in `path`. Both are rewritten to the standard forms before parsing ("Replace"
    capitalised and "False" as a string are accepted by scim2-models itself)."""
    rewritten = []
    for operation in operations if isinstance(operations, list) else []:
        if not isinstance(operation, dict):
            rewritten.append(operation)
            continue
        op = str(operation.get("op", "")).lower()
        path = str(operation.get("path") or "")
        value = operation.get("value")
        if path.lower().endswith(":manager") and isinstance(value, str):
            operation = {**operation, "value": {"value": value}}
        if op == "remove" and path.lower() == "members" and isinstance(value, list):
            for member in value:
                member_id = member.get("value") if isinstance(member, dict) else member
                rewritten.append(
                    {"op": "remove", "path": f"members[value eq {json.dumps(str(member_id))}]"}
                )
            continue
        rewritten.append(operation)
    return rewritten


def refuse_nul(value):
    """No text a client sends may hold the NUL character (U+0000), which no record can keep:
    the request is refused (invalidValue) wherever it hides, in a key, a value or a list."""
    if isinstance(value, str):
        if "\0" in value:
            raise InvalidValueException(detail="Text must not contain the NUL character")
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key)
            refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            refuse_nul(item)


@method_decorator(csrf_exempt, name="dispatch")
class ScimView(View):
    """Authenticates the client by its bearer token, turns SCIM exceptions and validation
    errors into SCIM error responses, and records the request (client, method, resource,
    status) in one insert."""

    http_method_names = ["get", "post", "put", "patch", "delete"]

    def dispatch(self, request, *args, **kwargs):
        client = ScimClient.authenticate(_bearer(request))
        if client is None:
            return error_response(
                Error(status=HTTPStatus.UNAUTHORIZED, detail="A valid bearer token is required")
            )
        self.client = client
        self.base_url = request.build_absolute_uri(reverse("provisioning:root"))
        try:
            response = super().dispatch(request, *args, **kwargs)
        except SCIMException as error:
            response = error_response(error.to_error())
        except ValidationError as error:
            response = error_response(Error.from_validation_errors(error)[0])
        client.touch()
        ScimRequest.objects.create(
            client=client,
            method=request.method,
            # what a client asked for, as text a record can keep (no NUL), cut to the field
            resource=request.path_info.removeprefix(reverse("provisioning:root")).replace(
                "\0", "\ufffd"
            )[:80],
            status=response.status_code,
        )
        return response

    def http_method_not_allowed(self, request, *args, **kwargs):
        return error_response(
            Error(status=HTTPStatus.METHOD_NOT_ALLOWED, detail=f"{request.method} not allowed")
        )

    def body(self):
        try:
            payload = json.loads(self.request.body or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidSyntaxException(detail="The body is not valid JSON") from error
        if not isinstance(payload, dict):
            raise InvalidSyntaxException(detail="The body must be a JSON object")
        refuse_nul(payload)
        return payload

    def resource_body(self):
        """The body of a create or replace, without the schemas this service does not know:
        Microsoft Entra ID adds its own to Groups
        (http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group)."""
        payload = self.body()
        known = {str(self.model.__schema__)} | {
            str(extension.__schema__)
            for extension in getattr(self.model, "__scim_extension_metadata__", [])
        }
        if isinstance(payload.get("schemas"), list):
            unknown = {urn for urn in payload["schemas"] if urn not in known}
            payload["schemas"] = [urn for urn in payload["schemas"] if urn in known]
            for urn in unknown:
                payload.pop(urn, None)
        return payload

    def dump(self, resource, context=Context.RESOURCE_QUERY_RESPONSE, *, query=None):
        query = self.query() if query is None else query
        parameters = ResponseParameters[type(resource)](
            attributes=query.attributes, excluded_attributes=query.excluded_attributes
        )
        return resource.model_dump(scim_ctx=context, response_parameters=parameters)

    def query(self):
        """The query parameters of a GET (RFC 7644 §3.4.2), as a SearchRequest."""
        refuse_nul(dict(self.request.GET.items()))
        return SearchRequest.model_validate(
            {
                "attributes": self.request.GET.get("attributes") or None,
                "excludedAttributes": self.request.GET.get("excludedAttributes") or None,
                "filter": self.request.GET.get("filter") or None,
                "startIndex": _positive_int(self.request.GET.get("startIndex"), default=None),
                "count": _positive_int(self.request.GET.get("count"), default=None),
            },
            scim_ctx=Context.SEARCH_REQUEST,
        )

    def search_body(self):
        """The body of a POST …/.search (RFC 7644 §3.4.3), as a SearchRequest; sortBy is
        accepted and ignored, as sorting is not offered (ServiceProviderConfig)."""
        return SearchRequest.model_validate(self.body(), scim_ctx=Context.SEARCH_REQUEST)

    def listing(self, query, kinds):
        """A ListResponse over one or more resource types (a `kind` is a view mixin: model,
        fields, queryset, build), in that order: filtered, then paginated (startIndex is
        1-based; count at most MAX_RESULTS). A filter on an attribute one type lacks leaves
        that type out; it is refused only when no type can answer it."""
        start = max(query.start_index or 1, 1)
        count = min(
            discovery.MAX_RESULTS if query.count is None else max(query.count, 0),
            discovery.MAX_RESULTS,
        )
        querysets, refusal = [], None
        for kind in kinds:
            queryset = kind.queryset(self)
            if query.filter:
                try:
                    queryset = queryset.filter(filter_query(query.filter, kind.model, kind.fields))
                except SCIMException as error:
                    refusal = refusal or error
                    continue
            querysets.append((kind, queryset))
        if not querysets and refusal:
            raise refusal
        total, resources, skip, room = 0, [], start - 1, count
        for kind, queryset in querysets:
            size = queryset.count()
            total += size
            if room and skip < size:
                page = list(queryset[skip : skip + room])
                room -= len(page)
                resources += [
                    self.dump(kind.build(obj, self.base_url), query=query) for obj in page
                ]
            skip = max(skip - size, 0)
        return scim_response(
            {
                "schemas": [str(ListResponse.__schema__)],
                "totalResults": total,
                "startIndex": start,
                "itemsPerPage": len(resources),
                "Resources": resources,
            }
        )


class ResourceList(ScimView):
    """GET: filter and paginate. POST: create."""

    def get(self, request):
        return self.listing(self.query(), [type(self)])

    def post(self, request):
        resource = self.model.model_validate(
            self.resource_body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST
        )
        obj = self.create(resource=resource)
        created = self.build(self.queryset().get(pk=obj.pk), self.base_url)
        response = scim_response(
            self.dump(created, Context.RESOURCE_CREATION_RESPONSE),
            HTTPStatus.CREATED,
            etag=created.meta.version,
        )
        response["Location"] = created.meta.location
        return response


class ResourceDetail(ScimView):
    """GET, PUT, PATCH and DELETE of one resource; If-Match guards the writes (412 when the
    version the client saw is not the current one)."""

    def current(self, pk):
        obj = self.queryset().filter(pk=pk).first() if str(pk).isdigit() else None
        if obj is None:
            raise NotFoundException(detail=f"{self.model.__name__.split('[')[0]} {pk} not found")
        return obj, self.build(obj, self.base_url)

    def check_version(self, resource):
        wanted = self.request.headers.get("If-Match")
        if wanted and wanted.strip() != "*":
            versions = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
            if resource.meta.version.removeprefix("W/") not in versions:
                raise PreconditionFailedException(
                    detail="The resource changed since that version was read"
                )

    def respond(self, obj, context=Context.RESOURCE_QUERY_RESPONSE):
        resource = self.build(self.queryset().get(pk=obj.pk), self.base_url)
        return scim_response(self.dump(resource, context), etag=resource.meta.version)

    def get(self, request, pk):
        obj, resource = self.current(pk)
        if request.headers.get("If-None-Match") == resource.meta.version:
            return scim_response(None, HTTPStatus.NOT_MODIFIED, etag=resource.meta.version)
        return scim_response(self.dump(resource), etag=resource.meta.version)

    def put(self, request, pk):
        obj, before = self.current(pk)
        self.check_version(before)
        resource = self.model.model_validate(
            self.resource_body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
        )
        self.replace(obj, resource, before=None)
        return self.respond(obj, Context.RESOURCE_REPLACEMENT_RESPONSE)

    def patch(self, request, pk):
        obj, before = self.current(pk)
        self.check_version(before)
        payload = self.body()
        for key in ("Operations", "operations"):
            if key in payload:
                payload[key] = _entra_compatible(payload[key])
        patch = PatchOp[self.model].model_validate(payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        _refuse_removing_required(patch)
        after = before.model_copy(deep=True)
        if patch.patch(after):
            self.replace(obj, after, before=before)
        return self.respond(obj, Context.RESOURCE_PATCH_RESPONSE)

    def delete(self, request, pk):
        obj, before = self.current(pk)
        self.check_version(before)
        self.remove(obj)
        return scim_response(None, HTTPStatus.NO_CONTENT)


def _refuse_removing_required(patch):
    """Required attributes MUST NOT be removed (RFC 7644 §3.5.2): the ones this service
    publishes as required (discovery.REQUIRED) are refused with invalidValue."""
    for operation in patch.operations or []:
        path = str(operation.path or "")
        if operation.op == PatchOperation.Op.remove and path.lower() in {
            name.lower() for name in discovery.REQUIRED
        }:
            raise InvalidValueException(detail=f"{path} is required: it cannot be removed")


def _positive_int(raw, *, default):
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise InvalidValueException(detail=f"{raw!r} is not a number") from error


class UserMixin:
    model = resources.ScimUser
    fields = USER_FIELDS
    build = staticmethod(resources.user_resource)

    def queryset(self):
        return resources.people()


class GroupMixin:
    model = resources.ScimGroup
    fields = GROUP_FIELDS
    build = staticmethod(resources.group_resource)

    def queryset(self):
        return resources.teams()


class Users(UserMixin, ResourceList):
    def create(self, *, resource):
        return services.provision_person(resource=resource)


class UserDetail(UserMixin, ResourceDetail):
    def replace(self, person, resource, *, before):
        services.replace_person(person=person, resource=resource, before=before)

    def remove(self, person):
        services.delete_person(person=person)


class Groups(GroupMixin, ResourceList):
    def create(self, *, resource):
        return services.provision_team(resource=resource)


class GroupDetail(GroupMixin, ResourceDetail):
    def replace(self, team, resource, *, before):
        services.replace_team(team=team, resource=resource)

    def remove(self, team):
        services.delete_team(team=team)


class UserSearch(UserMixin, ScimView):
    """POST /Users/.search: a GET of /Users with its parameters in the body."""

    http_method_names = ["post"]

    def post(self, request):
        return self.listing(self.search_body(), [UserMixin])


class GroupSearch(GroupMixin, ScimView):
    """POST /Groups/.search: a GET of /Groups with its parameters in the body."""

    http_method_names = ["post"]

    def post(self, request):
        return self.listing(self.search_body(), [GroupMixin])


class RootSearch(ScimView):
    """POST /.search: Users, then Groups, in one ListResponse (RFC 7644 §3.4.3)."""

    http_method_names = ["post"]
    model = None

    def post(self, request):
        return self.listing(self.search_body(), [UserMixin, GroupMixin])


class Discovery(ScimView):
    """The configuration endpoints, read-only."""

    http_method_names = ["get"]
    model = None
    collections = {
        "ResourceTypes": discovery.resource_types,
        "Schemas": discovery.schemas,
    }

    def get(self, request, kind, key=None):
        if kind == "ServiceProviderConfig":
            config = discovery.service_provider_config(self.base_url)
            return scim_response(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
        items = self.collections[kind](self.base_url)
        if key is not None:
            for item in items:
                if item.id == key:
                    return scim_response(item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
            raise NotFoundException(detail=f"{kind} {key} not found")
        return scim_response(
            {
                "schemas": [str(ListResponse.__schema__)],
                "totalResults": len(items),
                "startIndex": 1,
                "itemsPerPage": len(items),
                "Resources": [
                    item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for item in items
                ],
            }
        )


class UnknownEndpoint(ScimView):
    """Anything else under /scim/v2/ answers in SCIM (after authentication)."""

    def get(self, request, *args, **kwargs):
        raise NotFoundException(detail="No such endpoint")

    post = put = patch = delete = get
