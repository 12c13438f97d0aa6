"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa §3.3).

Signing: the proof configuration (the proof without proofValue, under the document's
@context) and the document without its proof are each canonicalised with RDFC-1.0 (pyld's
URDNA2015, which is the same algorithm) into N-Quads and hashed with SHA-256; the Ed25519
signature of hash(proof config) + hash(document) is the proofValue, multibase base58btc
("z…"). Verification recomputes both hashes and checks the signature with the key the
proof's verificationMethod names. Canonicalisation loads contexts only from the bundle."""

import hashlib

from cryptography.exceptions import InvalidSignature
from pyld import jsonld

from .contexts import offline_loader
from .keys import b58decode, b58encode

CRYPTOSUITE = "eddsa-rdfc-2022"


def canonical(document) -> str:
    """The document's RDFC-1.0 canonical N-Quads."""
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": offline_loader,
        },
    )


def _hash_data(unsecured, proof_config):
    return (
        hashlib.sha256(canonical(proof_config).encode()).digest()
        + hashlib.sha256(canonical(unsecured).encode()).digest()
    )


def sign(document, *, private_key, verification_method, created):
    """`document` with an eddsa-rdfc-2022 DataIntegrityProof (assertionMethod) made now
    (`created`, an XML Schema dateTime string) by `private_key`."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(
        _hash_data(unsecured, {"@context": unsecured["@context"], **options})
    )
    return {**unsecured, "proof": {**options, "proofValue": "z" + b58encode(signature)}}


def verify(document, public_keys) -> bool:
    """Whether `document`'s proof is an eddsa-rdfc-2022 proof by one of `public_keys`
    ({verificationMethod id: Ed25519PublicKey}) over exactly this document."""
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    public_key = public_keys.get(proof.get("verificationMethod"))
    value = proof.get("proofValue", "")
    if public_key is None or not isinstance(value, str) or not value.startswith("z"):
        return False
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        signature = b58decode(value[1:])
        public_key.verify(
            signature, _hash_data(unsecured, {"@context": unsecured["@context"], **options})
        )
    except (InvalidSignature, ValueError, TypeError, KeyError, RecursionError, jsonld.JsonLdError):
        return False
    return True
