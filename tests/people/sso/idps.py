"""The suite's identity providers: a real OIDC provider (node + the certified `oidc-provider`
package, tests/people/sso/oidc-idp.mjs) and a real SAML IdP (pysaml2, saml_idp.py), each
started once per test process on 127.0.0.1 at a free port, with their known people.

`sso_apps` configures Actitud for them the way an installation does (SOCIALACCOUNT_PROVIDERS,
as people.sso_config builds it from SSO_OIDC_PROVIDERS / SSO_SAML_PROVIDERS)."""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from people.sso_config import providers

from .saml_idp import SamlIdP

HERE = Path(__file__).parent
OIDC_ID, WRONG_AUDIENCE_ID, SAML_ID = "empresa", "empresa-otra-app", "empresa-saml"
# A client of the OIDC provider that Actitud knows from a SocialApp record (the admin), not
# from the environment.
ADMIN_APP_ID = "empresa-admin"
SECRET = "suite-client-secret"

# The people the IdPs know. Ana exists in Actitud by email; Bruno only by employee number;
# Carla not at all.
OIDC_PEOPLE = {
    "ana": {
        "email": "ana.agente@empresa.test",
        "email_verified": True,
        "name": "Ana Agente",
        "employee_number": "E-100",
    },
    "bruno": {
        "email": "bruno.personal@gmail.test",
        "email_verified": False,
        "name": "Bruno Benítez",
        "employee_number": "E-200",
    },
    "carla": {
        "email": "carla.nueva@empresa.test",
        "email_verified": True,
        "name": "Carla Nueva",
        "employee_number": "E-300",
        "team": "Equipo Norte",
    },
}
SAML_PEOPLE = {
    "ana": {
        "mail": ["ana.agente@empresa.test"],
        "displayName": ["Ana Agente"],
        "employeeNumber": ["E-100"],
        "ou": ["Equipo Norte"],
    },
}


@dataclass
class OidcIdP:
    issuer: str
    process: subprocess.Popen


def _redirect_uri(base, provider_id):
    return f"{base}/cuenta/oidc/{provider_id}/login/callback/"


@pytest.fixture(scope="session")
def oidc_idp(live_server):
    base = live_server.url
    config = {
        "clients": [
            {
                "client_id": OIDC_ID,
                "client_secret": SECRET,
                "redirect_uris": [_redirect_uri(base, OIDC_ID)],
                "post_logout_redirect_uris": [f"{base}/cuenta/login/"],
            },
            {
                "client_id": ADMIN_APP_ID,
                "client_secret": SECRET,
                "redirect_uris": [_redirect_uri(base, ADMIN_APP_ID)],
                "post_logout_redirect_uris": [f"{base}/cuenta/login/"],
            },
            {
                "client_id": WRONG_AUDIENCE_ID,
                "client_secret": SECRET,
                "redirect_uris": [_redirect_uri(base, WRONG_AUDIENCE_ID)],
                "wrong_audience": True,
            },
        ],
        "people": OIDC_PEOPLE,
    }
    process = subprocess.Popen(  # noqa: S603
        ["node", str(HERE / "oidc-idp.mjs"), json.dumps(config)],  # noqa: S607
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    if not line:
        process.kill()
        pytest.fail("the OIDC provider did not start: is node_modules/oidc-provider installed?")
    yield OidcIdP(issuer=json.loads(line)["issuer"], process=process)
    process.terminate()
    process.wait(timeout=10)


def saml_sp(base):
    """The entity ID, ACS URL and SingleLogoutService URL Actitud has as a SAML service
    provider (its metadata at the entity ID says the same)."""
    sp = f"{base}/cuenta/saml/{SAML_ID}"
    return (f"{sp}/metadata/", f"{sp}/acs/", f"{sp}/sls/")


@pytest.fixture(scope="session")
def saml_idp(live_server):
    idp = SamlIdP(SAML_PEOPLE, [saml_sp(live_server.url)]).start()
    yield idp
    idp.stop()


@pytest.fixture
def saml_mode(saml_idp):
    """Set what the SAML IdP's next answers look like; back to valid afterwards."""

    def set_mode(mode):
        saml_idp.mode = mode

    yield set_mode
    saml_idp.mode = "valid"


@pytest.fixture
def sso_apps(settings, oidc_idp, saml_idp):
    """Actitud configured with the suite's IdPs, as the environment configures it."""
    oidc = [
        {
            "id": OIDC_ID,
            "name": "Empresa",
            "server_url": oidc_idp.issuer,
            "client_id": OIDC_ID,
            "secret": SECRET,
        },
        {
            "id": WRONG_AUDIENCE_ID,
            "name": "Otra app",
            "server_url": oidc_idp.issuer,
            "client_id": WRONG_AUDIENCE_ID,
            "secret": SECRET,
        },
    ]
    saml = [
        {
            "id": SAML_ID,
            "name": "Empresa SAML",
            "entity_id": saml_idp.entity_id,
            "metadata_url": saml_idp.metadata_url,
            # the live server is http://localhost:<port>: a single-label host
            "advanced": {"allow_single_label_domains": True},
        },
    ]
    settings.SOCIALACCOUNT_PROVIDERS = providers(oidc, saml)
    return settings.SOCIALACCOUNT_PROVIDERS
