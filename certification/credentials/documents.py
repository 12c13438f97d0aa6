"""The Open Badges 3.0 documents: the issuer profile, each programme's achievement, a
certificate's OpenBadgeCredential and the revocation status list credential, with their
stable URLs under SITE_URL; and `check()`, which says what a credential is worth."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from . import proof, status
from .contexts import MULTIKEY_V1, OB_V3, VC_V2
from .keys import current_key, published_keys, signing_key

ISSUER_NAME = "Actitud"
# The issuer profile is also the controller document of its keys: `assertionMethod` lists
# them (Multikey), defined here as the Controlled Identifiers specification defines it.
ASSERTION_METHOD = {
    "assertionMethod": {
        "@id": "https://w3id.org/security#assertionMethod",
        "@type": "@id",
        "@container": "@set",
    }
}
SIGNED_LIST_SECONDS = 600


def _url(name, *args):
    return settings.SITE_URL.rstrip("/") + reverse(f"certification:{name}", args=args)


def issuer_url():
    return _url("badge_issuer")


def achievement_url(programme):
    return _url("badge_achievement", programme.pk)


def status_list_url(number):
    return _url("badge_status_list", number)


def credential_url(certificate):
    return _url("credential", certificate.code)


def key_id(key):
    return f"{issuer_url()}#{key.name}"


def _when(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _signed(document):
    key = current_key()
    return proof.sign(
        document,
        private_key=signing_key(),
        verification_method=key_id(key),
        created=_when(timezone.now()),
    )


def issuer_profile():
    """The issuer (OB 3.0 Profile) and, as its controller document, every published key:
    the current one and the previous ones (unsigned: it is fetched from the site)."""
    issuer = issuer_url()
    return {
        "@context": [VC_V2, OB_V3, MULTIKEY_V1, ASSERTION_METHOD],
        "id": issuer,
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": settings.SITE_URL,
        "description": "Formación en actitud de servicio para agentes de atención al cliente.",
        "assertionMethod": [
            {
                "id": key_id(key),
                "type": "Multikey",
                "controller": issuer,
                "publicKeyMultibase": key.multibase,
            }
            for key in published_keys()
        ],
    }


def _issuer_reference():
    return {"id": issuer_url(), "type": ["Profile"], "name": ISSUER_NAME}


def criteria_narrative(programme):
    """What it takes, in Spanish, from the programme's own rule (progress.requirements_of)
    and how long the certificate lasts."""
    from ..progress import requirements_of

    with translation.override("es"):
        lines = [str(item.label) for item in requirements_of(programme)]
    lines.append(f"El certificado es válido durante {programme.validity_months} meses.")
    return "Para obtenerlo hay que cumplir todo esto:\n" + "\n".join(f"- {line}" for line in lines)


def achievement(programme):
    return {
        "id": achievement_url(programme),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": programme.name,
        "description": programme.description or programme.name,
        "criteria": {"narrative": criteria_narrative(programme)},
        "creator": _issuer_reference(),
        "inLanguage": "es",
    }


def achievement_document(programme):
    return {"@context": [VC_V2, OB_V3], **achievement(programme)}


def identity_salt(certificate):
    """A salt per certificate, stable (derived from SECRET_KEY and the code) and not
    guessable, so the email's hash cannot be looked up in a list of emails."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"badge-salt:{certificate.code}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:32]


def identity_hash(email, salt):
    """OB 3.0 IdentityHash: "sha256$" and the hex SHA-256 of the email followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def credential_status(certificate):
    index = status.index_of(certificate)
    number = index // status.LIST_SIZE
    url = status_list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def unsigned_credential(certificate):
    """The certificate as an OpenBadgeCredential, before its proof: the holder is named
    and identified by a salted hash of their email (never the email itself)."""
    salt = identity_salt(certificate)
    person = certificate.person
    return {
        "@context": [VC_V2, OB_V3],
        "id": credential_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.programme.name,
        "issuer": _issuer_reference(),
        "validFrom": _when(certificate.issued_at),
        "validUntil": _when(certificate.expires_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash(person.email, salt),
                    "salt": salt,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": person.full_name,
                },
            ],
            "achievement": achievement(certificate.programme),
        },
        "credentialStatus": credential_status(certificate),
    }


def credential(certificate):
    """The signed OpenBadgeCredential of a certificate (signed now, with the current key)."""
    return _signed(unsigned_credential(certificate))


def status_list(number):
    """The signed BitstringStatusListCredential of list `number` (revocation), read afresh
    (one query) and signed once per content: the signed copy is cached under its bits."""
    encoded = status.encoded_list(status.revoked_indexes(number), number)
    digest = hashlib.sha256(encoded.encode()).hexdigest()[:32]
    key = status.CACHE_KEY.format(number=number, key=current_key().name, digest=digest)
    if (signed := cache.get(key)) is not None:
        return signed
    url = status_list_url(number)
    signed = _signed(
        {
            "@context": [VC_V2],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer_url(),
            "validFrom": _when(timezone.now()),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": encoded,
            },
        }
    )
    cache.set(key, signed, SIGNED_LIST_SECONDS)
    return signed


class Verdict:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    TAMPERED = "tampered"


@dataclass
class Check:
    """What a credential is worth: `verdict` (a Verdict), whether its signature holds,
    the key that made it and the certificate it is of (when one is found)."""

    verdict: str
    signature_valid: bool
    key_name: str = ""
    certificate: object = None


def check(document, now=None):
    """A credential whose proof fails (changed after signing, or signed by a key the issuer
    does not publish) is TAMPERED; otherwise it is REVOKED when its certificate is revoked
    (the status list says so), EXPIRED after its validUntil, else VALID."""
    from ..models import Certificate

    keys = {key_id(key): key for key in published_keys()}
    if not proof.verify(document, {kid: key.public_key for kid, key in keys.items()}):
        return Check(Verdict.TAMPERED, signature_valid=False)
    key = keys[document["proof"]["verificationMethod"]]
    certificate = None
    entry = document.get("credentialStatus") or {}
    if entry.get("statusListIndex") is not None:
        certificate = Certificate.objects.filter(status_index=int(entry["statusListIndex"])).first()
    now = now or timezone.now()
    if certificate is not None and certificate.revoked_at is not None:
        verdict = Verdict.REVOKED
    elif document.get("validUntil") and document["validUntil"] <= _when(now):
        verdict = Verdict.EXPIRED
    else:
        verdict = Verdict.VALID
    return Check(verdict, signature_valid=True, key_name=key.name, certificate=certificate)
