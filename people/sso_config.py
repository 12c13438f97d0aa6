"""Single sign-on apps from the environment, in the shape allauth's SOCIALACCOUNT_PROVIDERS wants.

Imported by the settings, so nothing here touches Django's models. Two JSON lists:

SSO_OIDC_PROVIDERS: [{"id": "entra", "name": "Microsoft", "server_url": "https://login...",
  "client_id": "...", "secret": "...", "verified_email": false}]
  → allauth's openid_connect app with provider_id `id`;
  redirect URI /cuenta/oidc/<id>/login/callback/.

SSO_SAML_PROVIDERS: [{"id": "okta", "name": "Okta", "entity_id": "http://www.okta.com/…",
  "metadata_url": "https://…/metadata", "sp_entity_id": "https://actitud.example.com/…",
  "attribute_mapping": {...}}]
  → allauth's saml app with organisation slug and provider_id `id`; ACS /cuenta/saml/<id>/acs/,
  SingleLogoutService /cuenta/saml/<id>/sls/ (optional "slo_url" beside "sso_url"/"x509cert").

An IdP's own rules (people created on first sign-in, claim names, domains that must use it)
are HR's, in the admin (people.sso); the apps can also be SocialApp records in the admin.
"""

import json
from urllib.parse import urlsplit

# What a SAML IdP sends when nobody maps otherwise: the common OIDs and Microsoft's names.
SAML_ATTRIBUTE_MAPPING = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "email",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ],
}


def oidc_app(entry):
    """One allauth openid_connect app from an SSO_OIDC_PROVIDERS entry."""
    return {
        "provider_id": entry["id"],
        "name": entry.get("name") or entry["id"],
        "client_id": entry["client_id"],
        "secret": entry.get("secret", ""),
        "settings": {
            "server_url": entry["server_url"],
            "verified_email": entry.get("verified_email", False),
            "oauth_pkce_enabled": entry.get("pkce", True),
            "fetch_userinfo": entry.get("fetch_userinfo", True),
            "scope": entry.get("scope", ["openid", "profile", "email"]),
        },
    }


def saml_settings(settings):
    """A SAML app's settings with Actitud's defaults under them, wherever the app comes from
    (the environment or the admin): the company's IdP is its directory, so its email
    addresses count as verified unless the app says otherwise; assertions must be signed;
    IdP-initiated sign-in is refused."""
    return {
        "attribute_mapping": SAML_ATTRIBUTE_MAPPING,
        "verified_email": True,
        "use_nameid_for_email": False,
        **settings,
        "advanced": {
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            **(settings.get("advanced") or {}),
        },
    }


def saml_app(entry):
    """One allauth saml app from an SSO_SAML_PROVIDERS entry (saml_settings' defaults)."""
    idp = {"entity_id": entry["entity_id"]}
    if entry.get("metadata_url"):
        idp["metadata_url"] = entry["metadata_url"]
    else:
        idp.update(sso_url=entry["sso_url"], x509cert=entry["x509cert"])
        if entry.get("slo_url"):
            idp["slo_url"] = entry["slo_url"]
    settings = {"idp": idp}
    for key in ("attribute_mapping", "verified_email", "use_nameid_for_email", "advanced"):
        if key in entry:
            settings[key] = entry[key]
    if entry.get("sp_entity_id"):
        settings["sp"] = {"entity_id": entry["sp_entity_id"]}
    return {
        "provider_id": entry["id"],
        "name": entry.get("name") or entry["id"],
        "client_id": entry["id"],
        "settings": saml_settings(settings),
    }


# allauth's SAML provider, which also remembers what a SAML sign-out needs (people.sso_login).
SAML_PROVIDER_CLASS = "people.sso_login.SamlProvider"


def providers(oidc, saml):
    """SOCIALACCOUNT_PROVIDERS for these SSO_OIDC_PROVIDERS and SSO_SAML_PROVIDERS entries."""
    return {
        "openid_connect": {"APPS": [oidc_app(entry) for entry in oidc]},
        "saml": {"provider_class": SAML_PROVIDER_CLASS, "APPS": [saml_app(e) for e in saml]},
    }


def providers_from_environment(environ):
    """SOCIALACCOUNT_PROVIDERS for the apps the environment names (none: empty lists)."""
    return providers(
        json.loads(environ.get("SSO_OIDC_PROVIDERS") or "[]"),
        json.loads(environ.get("SSO_SAML_PROVIDERS") or "[]"),
    )


def origin(url):
    """scheme://host[:port] of a URL, or None."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def app_origins(settings):
    """Where a sign-in or sign-out with this app's IdP sends the browser (for the CSP's
    form-action): the OIDC server, the SAML IdP's single sign-on and metadata addresses."""
    idp = settings.get("idp") or {}
    urls = [settings.get("server_url"), idp.get("sso_url"), idp.get("metadata_url")]
    urls += settings.get("form_action", [])
    return {o for o in map(origin, urls) if o}
