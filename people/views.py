from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, UpdateView

from . import services
from .forms import (
    ImportUploadForm,
    NotificationPreferencesForm,
    PersonEditForm,
    PersonForm,
    parse_id,
    search_text,
)
from .importing import plan_import, read_import
from .models import Membership, PeopleImport, Team, User
from .policy import can_manage_people, can_view_records, visible_people


@never_cache
def health(request):
    """200 when the database answers, 503 when it does not; for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
        return people.order_by("full_name", "email")

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
            can_edit=can_manage_people(self.request.user),
            memberships=self.object.memberships.select_related("team"),
            supervised_teams=self.object.supervised_teams.all(),
            **kwargs,
        )


class PersonCreateView(HRRequiredMixin, FormView):
    form_class = PersonForm
    template_name = "people/person_form.html"

    def form_valid(self, form):
        with transaction.atomic():
            if not form.first_submission(self.request.user):
                return redirect("people:hr_home")  # a repeated submit: created the first time
            person = services.create_person(**form.cleaned_data)
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
    people_import = _own_import(request, pk)
    plan = None
    if people_import.confirmed_at is None:
        plan = plan_import(read_import(people_import.content))
    return render(
        request,
        "people/import_preview.html",
        {"people_import": people_import, "plan": plan},
    )


@login_required
@require_POST
def import_confirm(request, pk):
    people_import = _own_import(request, pk)
    try:
        done = services.confirm_import(people_import=people_import, by=request.user)
    except services.AlreadyConfirmed:
        messages.info(request, _("This file had already been imported."))
    else:
        messages.success(
            request,
            _(
                "Import finished: %(created)d people added (invitations sent), "
                "%(updated)d updated, %(unchanged)d unchanged, %(skipped)d rows skipped."
            )
            % done.summary,
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
