"""The public badge documents: issuer profile, achievements, status lists, and a
certificate's credential (for whoever has its code, like the verification page)."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from people.middleware import private_no_store

from ..models import Certificate, Programme
from . import documents

JSON_LD = "application/ld+json"


def _require_badges():
    if not settings.BADGES_ENABLED:
        raise Http404


def _json_ld(document, *, seconds=300):
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=JSON_LD
    )
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in browsers and wallets
    if seconds:
        response["Cache-Control"] = f"public, max-age={seconds}"
    return response


@require_GET
def issuer(request):
    """The issuer profile and its public keys (current and previous)."""
    _require_badges()
    return _json_ld(documents.issuer_profile())


@require_GET
def achievement(request, pk):
    """What a programme certifies and its criteria, in Spanish."""
    _require_badges()
    return _json_ld(documents.achievement_document(get_object_or_404(Programme, pk=pk)))


@require_GET
def status_list(request, number):
    """The signed revocation list: never cached downstream for long, so a revoke shows."""
    _require_badges()
    if number > Certificate.objects.count() // documents.status.LIST_SIZE + 1:
        raise Http404
    return _json_ld(documents.status_list(number), seconds=60)


@require_GET
@private_no_store
def credential(request, code):
    """The certificate's OpenBadgeCredential, as a download, for anyone with its code (the
    code is what the verification page needs too, and the same per-IP limit applies).
    Revoked and expired certificates have one as well: a verifier reads them as such."""
    from ..views import _noindex, _over_verify_limit

    _require_badges()
    if _over_verify_limit(request):
        response = HttpResponse(status=429)
        response["Retry-After"] = "60"
        return response
    certificate = get_object_or_404(
        Certificate.objects.select_related("person", "programme"), code=code
    )
    response = _json_ld(documents.credential(certificate), seconds=0)
    response["Content-Disposition"] = f'attachment; filename="credencial-{code}.json"'
    return _noindex(response)


MAX_UPLOAD_BYTES = 64 * 1024


def _read_upload(upload):
    """The uploaded credential as a JSON object, or None when it is not one (or too big)."""
    if upload is None or upload.size > MAX_UPLOAD_BYTES:
        return None
    try:
        document = json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return document if isinstance(document, dict) and "@context" in document else None


@private_no_store
def check_file(request):
    """Public: anyone checks a credential file they were given (at most 64 KB): the verdict
    (valid, revoked, expired, or tampered when its signature does not hold) as a verifier
    would give it, and, for a signed one, whose credential it is. Rate-limited like the
    verification page; nothing is kept."""
    from django.shortcuts import render

    from ..views import _noindex, _over_verify_limit

    _require_badges()
    context, status_code = {}, 200
    if request.method == "POST":
        if _over_verify_limit(request):
            response = render(request, "certification/verify_limited.html", status=429)
            response["Retry-After"] = "60"
            return _noindex(response)
        document = _read_upload(request.FILES.get("credential"))
        if document is None:
            context["unreadable"], status_code = True, 400
        else:
            context["result"] = documents.check(document)
            context["document"] = document
    return _noindex(
        render(request, "certification/credential_check.html", context, status=status_code)
    )
