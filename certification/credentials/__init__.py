"""Open Badges 3.0 credentials for certificates.

Every certificate can be had as an OpenBadgeCredential (a W3C Verifiable Credential 2.0 in
JSON-LD) signed with a Data Integrity proof, cryptosuite eddsa-rdfc-2022, by the Ed25519 key
in BADGE_SIGNING_KEY. The issuer profile (which also publishes the public keys), the
achievement of each programme and the revocation status list (a Bitstring Status List
credential, signed too) are served at stable URLs under /insignias/.

- `contexts`: the JSON-LD contexts, bundled; a document loader that never fetches.
- `keys`: the signing key and the published public keys (rotation).
- `proof`: eddsa-rdfc-2022 proofs (sign and verify).
- `status`: each certificate's stable index in the status list; the list itself.
- `documents`: the credential, issuer profile, achievement and status list documents.
"""
