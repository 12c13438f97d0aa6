"""The progress matrix: person × requirement of one programme, for HR (everyone) and
supervisors (their teams), with filters, sorting, pagination and an export of the same rows.
Every cell is computed by the database (progress.with_standing): a page costs the same
queries for 10 people or 10,000."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.forms import IdChoiceField, filters_querystring
from people.models import Membership, Role, User, by_name
from people.policy import manageable_teams, visible_people

from .models import Programme
from .progress import requirements_of, with_standing

PER_PAGE = 50


class MatrixStatus:
    """The status filter's values: certified (a valid certificate), ready (every requirement
    met, no valid certificate yet) and missing (something is missing, no valid
    certificate)."""

    CERTIFIED = "certified"
    READY = "ready"
    MISSING = "missing"
    choices = [
        (CERTIFIED, gettext_lazy("Certified")),
        (READY, gettext_lazy("Everything met, not certified")),
        (MISSING, gettext_lazy("Something missing")),
    ]


# Sort keys → order_by() before the name, which breaks ties.
SORTS = {
    "most_missing": (gettext_lazy("Most missing first"), ["-missing"]),
    "least_missing": (gettext_lazy("Least missing first"), ["missing"]),
    "name": (gettext_lazy("Name"), []),
}


class MatrixFilterForm(forms.Form):
    programme = IdChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.all(),
        required=False,
        empty_label=None,
    )
    team = IdChoiceField(
        label=gettext_lazy("Team"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All teams"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any"))] + MatrixStatus.choices,
        required=False,
    )
    expires_by = forms.DateField(
        label=gettext_lazy("Valid certificate expiring by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        required=False,
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = manageable_teams(viewer).order_by("name")


def can_view_matrix(viewer):
    return viewer.is_authenticated and (viewer.is_hr or viewer.is_supervisor)


def matrix_rows(viewer, filters, now=None):
    """The programme's requirements and the people in the matrix: the active agents the
    viewer may see (people.policy), narrowed by the filters, each annotated with their
    standing; sorted by how much is missing (most first, unless asked otherwise), then name."""
    now = now or timezone.now()
    programme = filters["programme"]
    items = requirements_of(programme)
    agent_role = Group.objects.filter(name=Role.AGENT).values_list("pk", flat=True).first()
    people = User.objects.filter(
        pk__in=visible_people(viewer).values("pk"), groups=agent_role, is_active=True
    ).exclude(pk=viewer.pk)
    if filters.get("team"):
        members = Membership.objects.current().filter(team=filters["team"])
        people = people.filter(pk__in=members.values("person"))
    people = with_standing(people, programme, items, now)
    status = filters.get("status")
    if status == MatrixStatus.CERTIFIED:
        people = people.filter(certified_until__isnull=False)
    elif status == MatrixStatus.READY:
        people = people.filter(certified_until__isnull=True, missing=0)
    elif status == MatrixStatus.MISSING:
        people = people.filter(certified_until__isnull=True, missing__gt=0)
    if filters.get("expires_by"):
        people = people.filter(certified_until__date__lte=filters["expires_by"])
    _label, order = SORTS[filters.get("sort") or "most_missing"]
    return items, people.order_by(*order, *by_name())


def _filters(request):
    """The form and its cleaned filters (none when they are not valid), with the first
    programme when none is chosen; None for the filters when there is no programme at all."""
    form = MatrixFilterForm(request.GET or None, viewer=request.user)
    filters = dict(form.cleaned_data) if form.is_bound and form.is_valid() else {}
    if not filters.get("programme"):
        filters["programme"] = Programme.objects.order_by("-is_active", "name").first()
    return form, (filters if filters["programme"] else None)


@login_required
def progress_matrix(request):
    """HR: everyone; a supervisor: the agents of their teams. Invalid filters show their
    errors above the unfiltered matrix."""
    if not can_view_matrix(request.user):
        raise PermissionDenied
    form, filters = _filters(request)
    context = {"form": form, "filters": filters}
    if filters:
        items, people = matrix_rows(request.user, filters)
        page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
        for person in page.object_list:
            person.cells = [getattr(person, item.key) for item in items]
        context.update(
            items=items,
            page_obj=page,
            programme=filters["programme"],
            querystring=filters_querystring(request),
        )
    return render(request, "certification/progress_matrix.html", context)


@login_required
def progress_matrix_export(request, fmt):
    """The matrix's rows for the same filters (every page), as CSV or XLSX."""
    from people.spreadsheets import Column, export_response

    if not can_view_matrix(request.user):
        raise PermissionDenied
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    form, filters = _filters(request)
    if not filters:
        raise Http404
    if form.is_bound and not form.is_valid():
        # Never the whole organisation for filters that did not apply: the page says why.
        return redirect(f"{reverse('certification:progress_matrix')}?{request.GET.urlencode()}")
    items, people = matrix_rows(request.user, filters)
    done, missing = _("done"), _("missing")
    columns = [
        Column(_("Person"), width=28),
        Column(_("Email"), width=30),
        Column(_("Employee number")),
        Column(_("Team"), width=20),
        *(Column(item.heading, width=max(12, min(len(item.heading) + 2, 40))) for item in items),
        Column(_("Requirements missing"), kind="number"),
        Column(_("Certified until"), kind="date"),
    ]
    keys = [item.key for item in items]
    values = people.values_list(
        "full_name", "email", "employee_number", "team_name", *keys, "missing", "certified_until"
    )

    def rows():
        for row in values.iterator(chunk_size=2000):
            cells = row[4 : 4 + len(keys)]
            yield (
                *row[:4],
                *(done if met else missing for met in cells),
                *row[4 + len(keys) :],
            )

    name = f"matriz-{filters['programme'].pk}-{timezone.localdate().isoformat()}"
    return export_response(
        fmt=fmt, filename=name, columns=columns, rows=rows(), sheet_title=_("Progress")
    )
