import json

import pytest

from provisioning.models import ScimClient

SCIM = "application/scim+json"
BASE = "/scim/v2/"


@pytest.fixture
def scim_client(db, hr):
    client, token = ScimClient.issue(name="Entra ID", by=hr)
    client.token = token
    return client


class Scim:
    """The Django test client speaking SCIM with a bearer token."""

    def __init__(self, client, token):
        self.client = client
        self.token = token

    def _headers(self, headers):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **(headers or {})}

    def get(self, path, params=None, **headers):
        return self.client.get(BASE + path, params or {}, **self._headers(headers))

    def delete(self, path, **headers):
        return self.client.delete(BASE + path, **self._headers(headers))

    def send(self, method, path, body, **headers):
        data = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(
            BASE + path, data=data, content_type=SCIM, **self._headers(headers)
        )

    def post(self, path, body, **headers):
        return self.send("post", path, body, **headers)

    def put(self, path, body, **headers):
        return self.send("put", path, body, **headers)

    def patch(self, path, body, **headers):
        return self.send("patch", path, body, **headers)


@pytest.fixture
def scim(client, scim_client):
    return Scim(client, scim_client.token)
