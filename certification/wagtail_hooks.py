from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Programme


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "success"
    menu_label = _("Certification programmes")
    menu_order = 340
    add_to_admin_menu = True
    list_display = ["name", "validity_months", BooleanColumn("is_active")]


register_snippet(ProgrammeViewSet)


def _certificate_entries(query):
    from django.db.models import Q

    from courses.audit import audit_values

    from .models import CertificateEvent

    events = CertificateEvent.objects.all()
    if query:
        events = events.filter(
            Q(certificate__person__full_name__icontains=query)
            | Q(certificate__person__email__icontains=query)
            | Q(certificate__programme__name__icontains=query)
            | Q(actor__full_name__icontains=query)
        )
    return audit_values(
        events,
        source="certificates",
        at="at",
        actor="actor__full_name",
        action="action",
        person="certificate__person__full_name",
        subject="certificate__programme__name",
        detail="detail",
        ref="certificate__code",
    )


@hooks.register("register_audit_log_source")
def certificate_audit_source():
    """Certificate events (issued, revoked with the reason, reissued, expired) in HR's audit
    log, each linked to the certificate's page."""
    from courses.audit import AuditSource

    from .models import CertificateEvent

    return AuditSource(
        key="certificates",
        label=_("Certificates"),
        actions=dict(CertificateEvent.Action.choices),
        entries=_certificate_entries,
        link=lambda code: reverse("certification:hr_detail", args=[code]),
        person="certificate__person",
    )


@hooks.register("register_report_kind")
def certificates_report():
    """HR's certificates list as a scheduled report."""
    from people.policy import can_manage_people
    from people.reports import ReportKind

    from .forms import CertificateFilterForm
    from .views import filtered_certificates

    return ReportKind(
        key="certificates",
        label=_("Certificates"),
        view_name="certification:hr_list",
        export_name="certification:hr_export",
        form=lambda data, viewer: CertificateFilterForm(data),
        allowed=can_manage_people,
        count=lambda viewer, form: filtered_certificates(form.data)[1].count(),
    )


@hooks.register("register_report_kind")
def progress_matrix_report():
    """The person × requirement matrix (HR everyone, supervisors their teams) as a scheduled
    report; without a programme in the filters, the one the page shows first."""
    from people.reports import ReportKind

    from .matrix import MatrixFilterForm, can_view_matrix, matrix_rows

    def count(viewer, form):
        filters = dict(form.cleaned_data)
        if not filters.get("programme"):
            filters["programme"] = Programme.objects.order_by("-is_active", "name").first()
        if not filters["programme"]:
            return 0
        return matrix_rows(viewer, filters)[1].count()

    return ReportKind(
        key="progress_matrix",
        label=_("Progress toward certification"),
        view_name="certification:progress_matrix",
        export_name="certification:progress_matrix_export",
        form=lambda data, viewer: MatrixFilterForm(data, viewer=viewer),
        allowed=can_view_matrix,
        count=count,
    )
