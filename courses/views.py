from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_learning(request):
    """“Mi aprendizaje”: the learner's dashboard. Courses and assignments arrive with the
    courses and assignments issues."""
    return render(request, "courses/my_learning.html")
