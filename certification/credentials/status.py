"""Revocation through a W3C Bitstring Status List.

Each certificate gets a stable index the first time it is issued as a credential
(`Certificate.status_index`, allocated once, in order, never reused); index i is bit
i % LIST_SIZE of list i // LIST_SIZE. A bit is set exactly when the certificate is revoked:
the list is read from `revoked_at`, so `services.revoke()` and a reissue (which revokes the
old certificate) set it in the same transaction. A signed list is kept in the cache under
its own contents (and the signing key), so a changed list is never served from there."""

import base64
import gzip

from django.db import IntegrityError, transaction
from django.db.models import Max

LIST_SIZE = 131072  # bits: 16 KiB, the specification's minimum, for herd privacy
CACHE_KEY = "badges:status-list:{number}:{key}:{digest}"


def index_of(certificate):
    """The certificate's index in the status lists, allocated the first time (the next
    free one; the unique column settles a race, and the loser takes the following one)."""
    from ..models import Certificate

    while certificate.status_index is None:
        last = Certificate.objects.aggregate(n=Max("status_index"))["n"]
        try:
            with transaction.atomic():
                Certificate.objects.filter(pk=certificate.pk, status_index__isnull=True).update(
                    status_index=0 if last is None else last + 1
                )
        except IntegrityError:
            continue
        certificate.refresh_from_db(fields=["status_index"])
    return certificate.status_index


def revoked_indexes(number):
    """The indexes of list `number` whose certificates are revoked."""
    from ..models import Certificate

    start = number * LIST_SIZE
    return Certificate.objects.filter(
        revoked_at__isnull=False, status_index__gte=start, status_index__lt=start + LIST_SIZE
    ).values_list("status_index", flat=True)


def encoded_list(indexes, number=0):
    """The list's encodedList: GZIP of the bitstring (index 0 is the first byte's highest
    bit), base64url without padding, multibase prefix "u"."""
    bits = bytearray(LIST_SIZE // 8)
    for index in indexes:
        position = index - number * LIST_SIZE
        bits[position // 8] |= 0x80 >> (position % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def is_set(encoded, position):
    """Whether bit `position` of an encodedList is set (for reading a list back)."""
    packed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    bits = gzip.decompress(packed)
    return bool(bits[position // 8] & (0x80 >> (position % 8)))
