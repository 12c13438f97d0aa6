from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from allauth.account.adapter import get_adapter

from people.forms import filters_querystring
from people.middleware import private_no_store
from people.models import Membership
from people.policy import can_manage_people, can_view_records

from . import exports, services
from .credentials import documents as badges
from .forms import CertificateFilterForm, RevokeForm
from .models import Certificate
from .pdf import render_certificate


def _over_verify_limit(request):
    """The public verification page answers at most CERTIFICATE_VERIFY_LIMIT lookups per
    client IP (as allauth sees it, proxies included) each minute, so codes cannot be
    guessed by brute force; counted in the shared cache."""
    ip = get_adapter(request).get_client_ip(request)
    key = f"certificate-verify:{ip}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count > settings.CERTIFICATE_VERIFY_LIMIT


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@private_no_store
def verify(request, code):
    """Public: the holder's name, the programme, the dates and a verdict (valid, expired or
    not valid; for a reissue, that a newer certificate replaces it, never its code) — nothing
    else; and the certificate's Open Badges credential to download, with what its signature
    and status say, checked here as a verifier would (credentials.documents.check). An
    unknown code gets a page saying so, with a 404 status. Never indexed by search engines,
    and rate-limited per IP."""
    if _over_verify_limit(request):
        response = render(request, "certification/verify_limited.html", status=429)
        response["Retry-After"] = "60"
        return _noindex(response)
    certificate = (
        Certificate.objects.select_related("person", "programme")
        .with_status()
        .filter(code=code)
        .first()
    )
    if certificate is None:
        return _noindex(
            render(request, "certification/verify_unknown.html", {"code": code}, status=404)
        )
    replaced = certificate.revoked_at is not None and certificate.is_replaced_by_a_valid_one()
    badge = badges.check(badges.credential(certificate)) if settings.BADGES_ENABLED else None
    return _noindex(
        render(
            request,
            "certification/verify.html",
            {"certificate": certificate, "replaced": replaced, "badge": badge},
        )
    )


@login_required
def my_certificates(request):
    """My certificates, and for each programme (the active ones, and any other I hold a
    certificate of) what I have done and what I still need, with links to it."""
    certificates = list(
        Certificate.objects.filter(person=request.user).with_status().select_related("programme")
    )
    return render(
        request,
        "certification/mine.html",
        {
            "certificates": certificates,
            "standings": services.standings(request.user, certificates),
            "badges_enabled": settings.BADGES_ENABLED,
        },
    )


@login_required
def certificate_pdf(request, code):
    certificate = get_object_or_404(
        Certificate.objects.select_related("person", "programme"), code=code
    )
    if not can_view_records(request.user, certificate.person):
        raise PermissionDenied
    response = HttpResponse(render_certificate(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificado-{code}.pdf"'
    return response


def _require_hr(user):
    if not can_manage_people(user):
        raise PermissionDenied


def filtered_certificates(data):
    """The certificates matching HR's filters, with status and current team, newest first."""
    form = CertificateFilterForm(data or None)
    now = timezone.now()
    certificates = (
        Certificate.objects.with_status(now)
        .select_related("person", "programme")
        # The primary key breaks ties (a reissue keeps its dates), so no certificate is
        # shown on two pages or on none; the index on issued_at serves the order.
        .order_by("-issued_at", "-pk")
    )
    if form.is_valid():
        filters = form.cleaned_data
        if filters["programme"]:
            certificates = certificates.filter(programme=filters["programme"])
        if filters["team"]:
            members = Membership.objects.current().filter(team=filters["team"])
            certificates = certificates.filter(person__in=members.values("person"))
        if filters["status"]:
            certificates = certificates.in_status(filters["status"], now)
        if filters["issued_from"]:
            certificates = certificates.filter(issued_at__date__gte=filters["issued_from"])
        if filters["issued_to"]:
            certificates = certificates.filter(issued_at__date__lte=filters["issued_to"])
        if filters["q"]:
            certificates = certificates.filter(
                Q(person__full_name__icontains=filters["q"])
                | Q(person__email__icontains=filters["q"])
            )
    return form, certificates


@login_required
def hr_certificates(request):
    _require_hr(request.user)
    form, certificates = filtered_certificates(request.GET)
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certification/hr_list.html",
        {"form": form, "page_obj": page, "querystring": filters_querystring(request)},
    )


@login_required
def revoke(request, code):
    """Revoking asks for a reason and a confirmation."""
    _require_hr(request.user)
    certificate = get_object_or_404(
        Certificate.objects.select_related("person", "programme"), code=code
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and certificate.revoked_at is None:
        try:
            services.revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.NotValid:
            messages.info(request, _("The certificate had already been revoked."))
        else:
            messages.success(request, _("The certificate was revoked."))
        return redirect("certification:hr_detail", code=certificate.code)
    return render(request, "certification/revoke.html", {"form": form, "certificate": certificate})


@login_required
def hr_export(request, fmt):
    """The rows the filters in the URL select, as CSV or XLSX."""
    _require_hr(request.user)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    _, certificates = filtered_certificates(request.GET)
    name = f"certificados-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        return exports.xlsx_response(certificates, name)
    return exports.csv_response(certificates, name)


@login_required
def hr_certificate(request, code):
    """HR: one certificate — its facts, its status, its history (issued, revoked with the
    reason, reissued, expired, with who and when) and its actions."""
    _require_hr(request.user)
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "person", "programme", "replaces", "revoked_by"
        ).with_status(),
        code=code,
    )
    return render(
        request,
        "certification/hr_detail.html",
        {
            "certificate": certificate,
            "replacement": Certificate.objects.filter(replaces=certificate).first(),
            "events": certificate.history(),
        },
    )


@login_required
def reissue(request, code):
    """HR reissues a certificate after a confirmation: a valid one always (its old code then
    shows as revoked), a revoked one when `services.reissue_blockers` finds nothing — the
    page says why not otherwise. The form carries the state HR confirmed, so a reissue of a
    valid certificate that someone revoked meanwhile is refused, not turned into another."""
    _require_hr(request.user)
    certificate = get_object_or_404(
        Certificate.objects.select_related("person", "programme").with_status(), code=code
    )
    revoked = certificate.revoked_at is not None
    if request.method == "POST":
        try:
            if request.POST.get("revoked") == "1":
                new = services.reissue_revoked(certificate=certificate, actor=request.user)
            else:
                new = services.reissue(certificate=certificate, actor=request.user)
        except services.NotValid:
            messages.error(
                request, _("The certificate had already been revoked; it was not reissued.")
            )
        except services.CannotReissue as refused:
            messages.error(request, _("It was not reissued: %(why)s") % {"why": refused})
        else:
            messages.success(
                request, _("The certificate was reissued with code %(code)s.") % {"code": new.code}
            )
            return redirect("certification:hr_detail", code=new.code)
        return redirect("certification:hr_detail", code=certificate.code)
    blockers = services.reissue_blockers(certificate) if revoked else []
    return render(
        request,
        "certification/reissue.html",
        {"certificate": certificate, "revoked": revoked, "blockers": blockers},
    )
