from .idps import oidc_idp, saml_idp, saml_mode, sso_apps  # noqa: F401
