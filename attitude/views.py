from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from people.models import User
from people.policy import can_view_records

from . import charts
from .forms import SelfAssessmentForm
from .models import Axis, SelfRating, ServiceDimension
from .selectors import QUADRANTS, THRESHOLD, profile_for
from .services import save_self_assessment


def _render_profile(request, person):
    profile = profile_for(person)
    competence, treatment = profile.axes[Axis.COMPETENCE], profile.axes[Axis.TREATMENT]
    return render(
        request,
        "attitude/profile.html",
        {
            "person": person,
            "own": person.pk == request.user.pk,
            "profile": profile,
            "axes": [treatment, competence],
            "competence": competence,
            "treatment": treatment,
            "radar": charts.radar(profile.dimensions),
            "quadrant": charts.quadrant(
                competence.score, treatment.score, THRESHOLD, names=QUADRANTS
            ),
        },
    )


@login_required
def my_profile(request):
    return _render_profile(request, request.user)


@login_required
def person_profile(request, pk):
    """A person's profile, for whoever the access policy lets see their records."""
    person = get_object_or_404(User, pk=pk)
    if not can_view_records(request.user, person):
        raise PermissionDenied
    return _render_profile(request, person)


@login_required
def self_assessment(request):
    dimensions = list(ServiceDimension.objects.all())
    current = dict(
        SelfRating.objects.filter(person=request.user).values_list("dimension__slug", "rating")
    )
    form = SelfAssessmentForm(request.POST or None, dimensions=dimensions, initial_ratings=current)
    if request.method == "POST" and form.is_valid():
        save_self_assessment(person=request.user, ratings=form.cleaned_data)
        messages.success(request, _("Your self-assessment was saved."))
        return redirect("attitude:my_profile")
    return render(request, "attitude/self_assessment.html", {"form": form})
