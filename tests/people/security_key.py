"""A security key in software, for the second-factor tests that run without a browser: it
answers the WebAuthn options a page offers as a FIDO2 key does (a P-256 key pair, "none"
attestation, user present and verified), so the site's pages and allauth's checks of the
signatures run for real. The browser journeys use Chromium's virtual authenticator instead."""

import hashlib
import json
import os
import re

from django.urls import reverse

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

RP_ID = "testserver"  # the test client's host: allauth takes the RP ID from the request
ORIGIN = f"https://{RP_ID}"


class SoftwareKey:
    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def _authenticator_data(self, *, credential_data=b""):
        self.counter += 1
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV
        if credential_data:
            flags |= AuthenticatorData.FLAG.AT
        return AuthenticatorData.create(
            hashlib.sha256(RP_ID.encode()).digest(), flags, self.counter, credential_data
        )

    def register(self, creation_options):
        """The browser's answer to navigator.credentials.create(creation_options)."""
        challenge = websafe_decode(creation_options["publicKey"]["challenge"])
        client_data = CollectedClientData.create("webauthn.create", challenge, ORIGIN)
        public_key = ES256.from_cryptography_key(self.private_key.public_key())
        credential = AttestedCredentialData.create(Aaguid.NONE, self.credential_id, public_key)
        attestation = AttestationObject.create(
            "none", self._authenticator_data(credential_data=credential), {}
        )
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
            },
            "clientExtensionResults": {},
        }

    def sign_in(self, request_options):
        """The browser's answer to navigator.credentials.get(request_options)."""
        challenge = websafe_decode(request_options["publicKey"]["challenge"])
        client_data = CollectedClientData.create("webauthn.get", challenge, ORIGIN)
        authenticator_data = self._authenticator_data()
        signature = self.private_key.sign(
            bytes(authenticator_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(authenticator_data),
                "signature": websafe_encode(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }


def page_data(html):
    """The WebAuthn options a page hands its script (allauth's `js_data` JSON block)."""
    block = re.search(r'<script id="js_data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(block[1])


def add_key_through_the_page(client, key, name="YubiKey azul"):
    page = client.get(reverse("mfa_add_webauthn")).content.decode()
    credential = key.register(page_data(page)["creation_options"])
    return client.post(
        reverse("mfa_add_webauthn"), {"name": name, "credential": json.dumps(credential)}
    )


def use_key_at(client, url_name, key, **data):
    """Answer the key request of the page at `url_name` (the sign-in stage, or the page that
    asks to confirm it is you) with `key`."""
    page = client.get(reverse(url_name), data).content.decode()
    credential = key.sign_in(page_data(page)["request_options"])
    return client.post(reverse(url_name), {"credential": json.dumps(credential), **data})
