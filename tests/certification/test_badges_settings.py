"""The badge key in production, loaded in a fresh process as a server would: without
BADGE_SIGNING_KEY the badges are off; a key that is not an
Ed25519 key, or BADGES_ENABLED=true without a key, stops start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
import django
from django.conf import settings
django.setup()
from certification.credentials.keys import current_key
print(json.dumps({
    "enabled": settings.BADGES_ENABLED,
    "key": current_key().name if settings.BADGES_ENABLED else None,
}))
"""
BASE = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "b" * 20 + "-production-secret-for-badge-tests-" + "c" * 20,
    "ALLOWED_HOSTS": "actitud.example.com",
}
SEED = "cHJvZHVjdGlvbi1iYWRnZS1rZXktZm9yLXRlc3RzISE="


def run(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **BASE, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_a_badge_key_runs_with_badges_off():
    result = run("-c", PROBE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"enabled": False, "key": None}


def test_the_deploy_check_refuses_a_previous_public_key_it_cannot_read():
    check = run(
        "manage.py", "check", "--deploy", BADGE_SIGNING_KEY=SEED, BADGE_PREVIOUS_PUBLIC_KEYS="zNope"
    )
    assert check.returncode != 0
    assert "certification.E002" in check.stdout + check.stderr


def test_production_with_a_badge_key_signs_with_it():
    result = run("-c", PROBE, BADGE_SIGNING_KEY=SEED)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["enabled"] is True
    assert json.loads(result.stdout)["key"].startswith("key-")


def test_production_refuses_a_badge_key_that_is_not_an_ed25519_key():
    result = run("-c", PROBE, BADGE_SIGNING_KEY="c2hvcnQ=")
    assert result.returncode != 0
    assert "BADGE_SIGNING_KEY is not an Ed25519 key" in result.stderr


def test_production_refuses_badges_enabled_without_a_key():
    result = run("-c", PROBE, BADGES_ENABLED="true")
    assert result.returncode != 0
    assert "BADGE_SIGNING_KEY must be set" in result.stderr
