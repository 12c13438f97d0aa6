from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import learner_courses, percent, search_course_content


@login_required
def my_learning(request):
    """“Mi aprendizaje”: the courses in progress first, then the rest of the catalogue.
    Assignments will come first of all once they exist."""
    courses = list(learner_courses(request.user))
    for course in courses:
        course.progress = percent(course.done_steps, course.required_steps)
    in_progress = [c for c in courses if c.started_at and not c.completed_at]
    others = [c for c in courses if c not in in_progress]
    return render(
        request, "courses/my_learning.html", {"in_progress": in_progress, "others": others}
    )


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    page = None
    if query:
        page = Paginator(search_course_content(query), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/search.html",
        {"query": query, "page_obj": page, "querystring": f"q={query}" if query else ""},
    )
