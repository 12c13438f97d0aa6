"""A real SAML 2.0 identity provider for the suite, built with pysaml2 (which signs with the
xmlsec1 program): its own RSA key and self-signed certificate, on 127.0.0.1 at a free port.

- GET  /metadata          the IdP's metadata (entity ID = this URL)
- GET  /sso/redirect      HTTP-Redirect binding: takes the SP's AuthnRequest, shows a sign-in form
- POST /sso/post          HTTP-POST binding: the same
- POST /login            the form: answers with a signed Response (assertion signed too) that
                          the browser posts to the SP's ACS, and starts the IdP's session (a
                          cookie): while it lasts, a new AuthnRequest is answered at once
- GET  /slo/redirect      HTTP-Redirect binding: takes the SP's LogoutRequest, ends the sessions
                          of its NameID, and redirects to the SP's SingleLogoutService with a
                          signed LogoutResponse (each LogoutRequest is kept in `logout_requests`);
                          takes an SP's LogoutResponse too (kept in `logout_responses`)

`logout_request_url(sls_url, entity_id, username)` is where the IdP sends a browser to end a
person's session at an SP (IdP-initiated logout: they signed out of another application).

`mode` says what the next answers look like: "valid", "tampered" (the email in the signed
assertion is changed after signing) or "expired" (the assertion's conditions ended 10 minutes
ago, beyond any clock drift an SP allows).
"""

import datetime
import html
import secrets
import tempfile
import threading
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.pack import http_form_post_message
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

XMLSEC = "/usr/bin/xmlsec1"


def key_and_certificate(folder):
    """A fresh RSA key and a self-signed certificate for the IdP, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Suite IdP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = Path(folder) / "idp.key", Path(folder) / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


SESSION_COOKIE = "suite_idp_session"


def sp_metadata(entity_id, acs_url, sls_url):
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>{NAMEID_FORMAT_EMAILADDRESS}</md:NameIDFormat>
    <md:SingleLogoutService Binding="{BINDING_HTTP_REDIRECT}" Location="{sls_url}"/>
    <md:AssertionConsumerService Binding="{BINDING_HTTP_POST}" Location="{acs_url}" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class SamlIdP:
    """The IdP. `people` maps a login to its identity (pysaml2 friendly attribute names:
    mail, displayName, employeeNumber, ou), `service_providers` lists (entity ID, ACS URL,
    SingleLogoutService URL)."""

    def __init__(self, people, service_providers):
        self.people = people
        self.mode = "valid"
        self.sessions = {}  # cookie value → username
        self.logout_requests = []  # {"name_id": ..., "session_indexes": [...]}
        self.logout_responses = []  # the SPs' answers to logout_request_url's requests
        self._folder = tempfile.TemporaryDirectory()
        self.key_file, self.cert_file = key_and_certificate(self._folder.name)
        self.httpd = make_server(
            "127.0.0.1", 0, self.app, server_class=WSGIServer, handler_class=QuietHandler
        )
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.entity_id = f"{self.url}/metadata"
        self.metadata_url = self.entity_id
        metadata = [sp_metadata(*service_provider) for service_provider in service_providers]
        self.servers = {
            "valid": self._server(metadata, minutes=5),
            "expired": self._server(metadata, minutes=-10),
        }
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _server(self, metadata, *, minutes):
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": XMLSEC,
                "key_file": self.key_file,
                "cert_file": self.cert_file,
                "metadata": {"inline": metadata},
                "allow_unknown_attributes": True,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.url}/sso/redirect", BINDING_HTTP_REDIRECT),
                                (f"{self.url}/sso/post", BINDING_HTTP_POST),
                            ],
                            "single_logout_service": [
                                (f"{self.url}/slo/redirect", BINDING_HTTP_REDIRECT),
                            ],
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "want_authn_requests_signed": False,
                        "sign_response": True,
                        "sign_assertion": True,
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": minutes},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
            }
        )
        return Server(config=config)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self._folder.cleanup()

    @property
    def metadata(self):
        return create_metadata_string(None, config=self.servers["valid"].config).decode()

    # WSGI ----------------------------------------------------------------------------------
    def app(self, environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            params = parse_qs(environ["wsgi.input"].read(length).decode())
        else:
            params = parse_qs(environ.get("QUERY_STRING", ""))
        params = {key: values[0] for key, values in params.items()}
        if path == "/metadata":
            return self._send(start_response, self.metadata, "application/samlmetadata+xml")
        session = SimpleCookie(environ.get("HTTP_COOKIE", "")).get(SESSION_COOKIE)
        username = self.sessions.get(session.value) if session else None
        if path in ("/sso/redirect", "/sso/post"):
            binding = BINDING_HTTP_REDIRECT if path == "/sso/redirect" else BINDING_HTTP_POST
            if username:
                return self._send(start_response, self._answer(params, binding, username))
            return self._send(start_response, self._login_form(params, binding))
        if path == "/login" and method == "POST":
            cookie = secrets.token_urlsafe(16)
            self.sessions[cookie] = params["username"]
            body = self._answer(params, params["binding"], params["username"])
            set_cookie = f"{SESSION_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax"
            return self._send(start_response, body, headers=[("Set-Cookie", set_cookie)])
        if path == "/slo/redirect" and "SAMLResponse" in params:
            self.logout_responses.append(params["SAMLResponse"])
            return self._send(start_response, "<!DOCTYPE html><title>Signed out</title>")
        if path == "/slo/redirect":
            location = self._logout(params)
            start_response("302 Found", [("Location", location)])
            return [b""]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _send(self, start_response, body, content_type="text/html; charset=utf-8", headers=()):
        start_response("200 OK", [("Content-Type", content_type), *headers])
        return [body.encode()]

    def _login_form(self, params, binding):
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(params.get(name, ""))}">'
            for name in ("SAMLRequest", "RelayState")
        )
        return f"""<!DOCTYPE html><html lang="en"><head><title>Suite IdP</title></head><body>
<main><h1>Suite IdP</h1><form method="post" action="/login">{hidden}
<input type="hidden" name="binding" value="{binding}">
<label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></main></body></html>"""

    def _answer(self, params, binding, username):
        mode = self.mode
        server = self.servers["expired" if mode == "expired" else "valid"]
        request = server.parse_authn_request(params["SAMLRequest"], binding)
        arguments = server.response_args(request.message, [BINDING_HTTP_POST])
        identity = self.people[username]
        email = identity["mail"][0]
        response = server.create_authn_response(
            identity,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": saml.AUTHN_PASSWORD, "authn_auth": self.url},
            sign_response=True,
            sign_assertion=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            userid=email,
            **arguments,
        )
        xml = str(response)
        if mode == "tampered":
            xml = xml.replace(email, "intruso@empresa.test")
        form = http_form_post_message(
            xml, arguments["destination"], params.get("RelayState", ""), typ="SAMLResponse"
        )
        return form["data"]

    def _logout(self, params):
        """End the sessions of the LogoutRequest's NameID; the LogoutResponse's address."""
        server = self.servers["valid"]
        request = server.parse_logout_request(params["SAMLRequest"], BINDING_HTTP_REDIRECT)
        message = request.message
        name_id = message.name_id.text
        self.logout_requests.append(
            {
                "name_id": name_id,
                "session_indexes": [index.text for index in message.session_index],
            }
        )
        for cookie, username in list(self.sessions.items()):
            if self.people[username]["mail"][0] == name_id:
                del self.sessions[cookie]
        arguments = server.response_args(message, [BINDING_HTTP_REDIRECT])
        response = server.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
        info = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            arguments["destination"],
            params.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return dict(info["headers"])["Location"]

    def logout_request_url(self, sls_url, sp_entity_id, username):
        """A signed LogoutRequest for `username`'s NameID at the SP's SingleLogoutService."""
        server = self.servers["valid"]
        email = self.people[username]["mail"][0]
        _, request = server.create_logout_request(
            sls_url,
            sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            sign=False,
        )
        info = server.apply_binding(
            BINDING_HTTP_REDIRECT, str(request), sls_url, "", sign=True, sigalg=SIG_RSA_SHA256
        )
        return dict(info["headers"])["Location"]
