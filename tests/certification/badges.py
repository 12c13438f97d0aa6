"""Helpers of the badge tests: the documents a verifier fetches from the site, and the
independent verifier (Digital Bazaar's libraries under Node, tests/certification/
badge_verifier.mjs), run once for a whole batch of credentials."""

import json
import shutil
import subprocess
from pathlib import Path

from django.test import Client

from certification.credentials import documents

SCRIPT = Path(__file__).resolve().parent / "badge_verifier.mjs"


def fetched(url, client=None):
    """A document as the site serves it at `url` (through its own view)."""
    response = (client or Client()).get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


def site_documents(credential):
    """What a verifier fetches for `credential`: the issuer profile (with its keys) and the
    status list its credentialStatus points to, as the site serves them now."""
    status_url = credential["credentialStatus"]["statusListCredential"]
    return {
        documents.issuer_url(): fetched(documents.issuer_url()),
        status_url: fetched(status_url),
    }


def verify_independently(checks):
    """{name: {"verified", "error", "status": {"checked", "revoked", "error"}}} for each
    check {"name", "credential", "documents", "now"?}, in one Node run."""
    node = shutil.which("node")
    assert node, "Node (v20) runs the independent verifier"
    run = subprocess.run(  # noqa: S603 (our script, our node)
        [node, str(SCRIPT)],
        input=json.dumps({"checks": checks}),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=SCRIPT.parent,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
