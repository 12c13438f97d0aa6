from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, UpdateView

from . import services
from .forms import (
    ImportUploadForm,
    NotificationPreferencesForm,
    PersonEditForm,
    PersonForm,
    ScheduleReportForm,
    parse_id,
    search_text,
)
from .health import report as health_report
from .importing import plan_import, read_import
from .models import ImportStatus, Membership, OutgoingEmail, PeopleImport, Team, User, by_name
from .policy import (
    can_edit_person,
    can_manage_people,
    can_resend_emails,
    can_view_records,
    visible_people,
)


@never_cache
def health(request):
    """The database, the cache and the queue, each with its status; 503 only when the database
    does not answer (people.health says why)."""
    payload, status = health_report()
    return JsonResponse(payload, status=status)


def admin_login(request):
    """Wagtail's own sign-in page reads no password: it sends everyone (GET or POST) to the
    site's sign-in with `next`, so every sign-in passes allauth's rate limits."""
    next_url = request.GET.get("next") or reverse("wagtailadmin_home")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def home(request):
    """Send each person to the dashboard of their main role."""
    user = request.user
    if not user.is_authenticated:
        return redirect("account_login")
    if user.is_hr:
        return redirect("people:hr_home")
    if user.is_supervisor:
        return redirect("certification:team_dashboard")
    if user.is_editor and not user.is_agent:
        return redirect("wagtailadmin_home")
    return redirect("courses:my_learning")


class HRRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_manage_people(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PersonListView(HRRequiredMixin, ListView):
    template_name = "people/hr_home.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self):
        people = visible_people(self.request.user).prefetch_related(
            "groups",
            "supervised_teams",
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("team"),
                to_attr="current_memberships",
            ),
        )
        query = search_text(self.request.GET.get("q"))
        if query:
            people = people.filter(
                Q(full_name__icontains=query)
                | Q(email__icontains=query)
                | Q(employee_number__iexact=query)
            )
        team = parse_id(self.request.GET.get("equipo"))
        if team is not None:
            people = people.filter(memberships__team_id=team, memberships__ended_at__isnull=True)
        return people.order_by(*by_name())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            teams=Team.objects.all(),
            query=search_text(self.request.GET.get("q")),
            selected_team=self.request.GET.get("equipo", ""),
            querystring=params.urlencode(),
        )
        return context


class PersonDetailView(LoginRequiredMixin, DetailView):
    model = User
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        person = get_object_or_404(User, pk=self.kwargs["pk"])
        if not can_view_records(self.request.user, person):
            raise PermissionDenied
        return person

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_edit=can_edit_person(self.request.user, self.object),
            memberships=self.object.memberships.select_related("team"),
            supervised_teams=self.object.supervised_teams.all(),
            **kwargs,
        )


PERSON_EXISTS = {
    "email": gettext_lazy("Someone with this email already exists."),
    "employee_number": gettext_lazy("Someone else already has this employee number."),
}


class PersonCreateView(HRRequiredMixin, FormView):
    form_class = PersonForm
    template_name = "people/person_form.html"

    def form_valid(self, form):
        with transaction.atomic():
            if not form.first_submission(self.request.user):
                return redirect("people:hr_home")  # a repeated submit: created the first time
            try:
                person = services.create_person(**form.cleaned_data)
            except services.PersonExists as clash:  # added by a simultaneous request
                form.add_error(clash.field, PERSON_EXISTS[clash.field])
                return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was added and an invitation was sent to %(email)s.")
            % {"name": person.full_name, "email": person.email},
        )
        return redirect("people:person_detail", pk=person.pk)


class PersonUpdateView(HRRequiredMixin, UpdateView):
    model = User
    form_class = PersonEditForm
    template_name = "people/person_edit.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        if not can_edit_person(self.request.user, person):
            raise PermissionDenied
        return person

    def form_valid(self, form):
        services.update_person(person=self.object, **form.cleaned_data)
        messages.success(self.request, _("Changes saved."))
        return redirect("people:person_detail", pk=self.object.pk)


class ImportUploadView(HRRequiredMixin, FormView):
    form_class = ImportUploadForm
    template_name = "people/import_upload.html"

    def form_valid(self, form):
        people_import = PeopleImport.objects.create(
            uploaded_by=self.request.user,
            filename=form.cleaned_data["file"].name[:255],
            content=form.cleaned_data["text"],
            encoding=form.cleaned_data["encoding"],
        )
        return redirect("people:import_preview", pk=people_import.pk)


def _own_import(request, pk):
    if not can_manage_people(request.user):
        raise PermissionDenied
    return get_object_or_404(PeopleImport, pk=pk, uploaded_by=request.user)


@login_required
def import_preview(request, pk):
    """The preview of an uploaded file; once confirmed, the import's progress (the page
    reloads itself while it runs) and then its result."""
    people_import = _own_import(request, pk)
    plan = None
    if people_import.status in (ImportStatus.PREVIEW, ImportStatus.FAILED):
        plan = plan_import(read_import(people_import.content))
    in_progress = people_import.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    return render(
        request,
        "people/import_preview.html",
        {
            "people_import": people_import,
            "plan": plan,
            "in_progress": in_progress,
            "rows_done": services.import_progress(people_import),
        },
    )


@login_required
@require_POST
def import_confirm(request, pk):
    people_import = _own_import(request, pk)
    try:
        services.confirm_import(people_import=people_import, by=request.user)
    except services.AlreadyConfirmed:
        messages.info(request, _("This file had already been imported."))
        return redirect(reverse("people:import_preview", kwargs={"pk": pk}))
    done = PeopleImport.objects.get(pk=pk)  # the task queue may have applied it already
    if done.status == ImportStatus.DONE:
        messages.success(
            request,
            _("Import finished: %(summary)s.") % {"summary": done.summary_text()},
        )
    return redirect(reverse("people:import_preview", kwargs={"pk": pk}))


@login_required
def notification_preferences(request):
    """Reminders can be turned off; assignments themselves always arrive."""
    data = request.POST if request.method == "POST" else None  # an unticked box posts nothing
    form = NotificationPreferencesForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were saved."))
        return redirect("people:notifications")
    return render(request, "people/notifications.html", {"form": form})


class FailedEmailListView(LoginRequiredMixin, ListView):
    """The emails that could not be sent after every attempt, newest first, for HR."""

    template_name = "people/failed_emails.html"
    context_object_name = "emails"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_resend_emails(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return OutgoingEmail.objects.failed().defer("body", "html_body")


@login_required
def resend_emails(request):
    """Confirm, then send again one email (?correo=<id>) or every one not sent (?todos=1)."""
    if not can_resend_emails(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    emails = OutgoingEmail.objects.failed()
    everything = source.get("todos") == "1"
    if not everything:
        email_id = source.get("correo", "")
        emails = emails.filter(pk=int(email_id)) if email_id.isdigit() else emails.none()
    if request.method == "POST":
        count = services.resend_emails(emails=emails)
        messages.success(
            request,
            ngettext(
                "%(count)d email is queued to be sent again.",
                "%(count)d emails are queued to be sent again.",
                count,
            )
            % {"count": count},
        )
        return redirect("people:failed_emails")
    count = emails.count()
    shown = list(emails.defer("body", "html_body")[:20])
    return render(
        request,
        "people/resend_emails.html",
        {
            "everything": everything,
            "count": count,
            "emails": shown,
            "more": count - len(shown),
            "email_id": source.get("correo", ""),
        },
    )


def _report_kind_or_404(key):
    from .reports import report_kind

    kind = report_kind(key)
    if kind is None:
        raise Http404
    return kind


@login_required
def schedule_report(request, kind):
    """“Recibir por correo”: save the export page's report with the filters in the URL, to get
    it by email weekly or monthly. Only reports the person may see; filters the report's form
    rejects are refused with a page saying so."""
    from . import reports

    kind = _report_kind_or_404(kind)
    if not kind.allowed(request.user):
        raise PermissionDenied
    filters = reports.clean_filters(kind, request.GET, request.user)
    if filters is None:
        return render(request, "people/scheduled_report_invalid.html", {"kind": kind}, status=400)
    form = ScheduleReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reports.schedule_report(
            owner=request.user,
            kind=kind,
            filters=filters,
            frequency=form.cleaned_data["frequency"],
        )
        messages.success(request, _("Saved: you will receive this report by email."))
        return redirect("people:scheduled_reports")
    return render(
        request,
        "people/scheduled_report_form.html",
        {
            "kind": kind,
            "form": form,
            "filters": reports.describe_filters(kind, filters, request.user),
            "live_path": reports.live_path(kind, filters),
            "querystring": urlencode(filters),
        },
    )


@login_required
def scheduled_reports(request):
    """The reports I receive by email, newest first, each with its filters and a link to
    its live view."""
    from .models import ScheduledReport
    from .reports import describe_reports

    page = Paginator(ScheduledReport.objects.filter(owner=request.user), 25).get_page(
        request.GET.get("page")
    )
    page.object_list = describe_reports(page.object_list, request.user)
    return render(request, "people/scheduled_reports.html", {"page_obj": page})


@login_required
def delete_scheduled_report(request, pk):
    """Stop receiving one of my scheduled reports, after a confirmation; another person's
    report is not found."""
    from .models import ScheduledReport
    from .reports import delete_scheduled_report, describe_reports

    report = get_object_or_404(ScheduledReport, pk=pk, owner=request.user)
    if request.method == "POST":
        delete_scheduled_report(report=report, owner=request.user)
        messages.success(request, _("You will no longer receive that report."))
        return redirect("people:scheduled_reports")
    (described,) = describe_reports([report], request.user)
    return render(request, "people/scheduled_report_delete.html", {"item": described})
