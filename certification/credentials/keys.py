"""The badge signing key and the public keys the issuer publishes.

BADGE_SIGNING_KEY is the Ed25519 private key: its 32-byte seed in base64 (standard or
URL-safe), or a PEM "PRIVATE KEY". Each key is named by its public key: `key-` and the first
16 hex digits of the SHA-256 of the raw public key, so an id never needs configuring and
never changes for a key. BADGE_PREVIOUS_PUBLIC_KEYS lists the public keys of retired signing
keys (their Multikey `publicKeyMultibase`, z6Mk…): they stay in the issuer profile, so the
credentials they signed still verify."""

import base64
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, as a varint
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet), leading zero bytes kept as "1"."""
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = _B58[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def multibase_public(public_key: Ed25519PublicKey) -> str:
    """The Multikey publicKeyMultibase: "z" + base58btc(0xed01 + the 32 raw bytes)."""
    return "z" + b58encode(ED25519_PUB_PREFIX + raw_public(public_key))


def public_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("a Multikey publicKeyMultibase starts with z (base58btc)")
    data = b58decode(value[1:])
    if not data.startswith(ED25519_PUB_PREFIX) or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def key_name(public_key: Ed25519PublicKey) -> str:
    return "key-" + hashlib.sha256(raw_public(public_key)).hexdigest()[:16]


def private_from_setting(value: str) -> Ed25519PrivateKey:
    """A PEM private key, or the 32-byte seed in base64."""
    value = value.strip()
    if value.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(value.encode(), password=None)
        except (TypeError, ValueError, UnsupportedAlgorithm) as error:
            raise ValueError(f"the PEM key cannot be read ({error})") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the PEM key is not an Ed25519 key")
        return key
    padded = value + "=" * (-len(value) % 4)
    try:
        seed = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except ValueError:
        raise ValueError("neither a PEM key nor a base64 seed") from None
    if len(seed) != 32:
        raise ValueError("an Ed25519 seed is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


@dataclass(frozen=True)
class PublishedKey:
    name: str
    multibase: str
    public_key: Ed25519PublicKey


def signing_key() -> Ed25519PrivateKey:
    """The key that signs new credentials (ImproperlyConfigured when it is missing or
    unreadable: badges cannot be issued then)."""
    value = getattr(settings, "BADGE_SIGNING_KEY", "")
    if not value:
        raise ImproperlyConfigured("BADGE_SIGNING_KEY is not set: badges cannot be signed.")
    try:
        return private_from_setting(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"BADGE_SIGNING_KEY is not an Ed25519 key: {error}") from None


def _published(public_key):
    return PublishedKey(key_name(public_key), multibase_public(public_key), public_key)


def current_key() -> PublishedKey:
    return _published(signing_key().public_key())


def published_keys() -> list[PublishedKey]:
    """The current public key first, then every previous one (each once)."""
    keys = [current_key()]
    for value in getattr(settings, "BADGE_PREVIOUS_PUBLIC_KEYS", []):
        key = _published(public_from_multibase(value.strip()))
        if key.name not in {k.name for k in keys}:
            keys.append(key)
    return keys


def generate_seed() -> str:
    """A new BADGE_SIGNING_KEY value (base64 seed), for `manage.py badge_key`."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()
