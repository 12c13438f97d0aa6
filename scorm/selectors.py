"""What the pages of SCORM steps show."""

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse

from courses.selectors import course_outline
from people.policy import can_reset_activity

from . import cmi
from .models import ScormAttempt


def step_position(page, outline):
    """The step's number in the course outline with its neighbours (None for a draft)."""
    index = next((i for i, s in enumerate(outline.steps) if s.step.pk == page.pk), None)
    if index is None:
        return {"step_number": None, "is_done": False, "previous_step": None, "next_step": None}
    steps = outline.steps
    return {
        "step_number": index + 1,
        "is_done": steps[index].done,
        "previous_step": steps[index - 1].step if index > 0 else None,
        "next_step": steps[index + 1].step if index + 1 < len(steps) else None,
    }


def player_context(page, request):
    """The learner's page of a SCORM step: the course outline around the player, and the
    run-time settings the glue script (site/static/js/scorm-player.js) reads — the version,
    the launch address, where to commit, and the CMI that resumes the current attempt.
    Opening it launches the package (scorm.services.launch); a preview launches nothing."""
    from .services import launch

    person = request.user
    package = page.package
    course = page.course
    preview = getattr(request, "is_preview", False)
    attempt = None if preview else launch(person=person, page=page)
    outline = course_outline(course, person)
    runtime = {
        "version": package.version,
        "launchUrl": reverse(
            "scorm:file", kwargs={"page_id": page.pk, "path": package.launch_path}
        ),
        "commitUrl": (
            reverse("scorm:commit", kwargs={"attempt_id": attempt.pk}) if attempt else ""
        ),
        "csrfToken": get_token(request),
        "autocommitSeconds": settings.SCORM_AUTOCOMMIT_SECONDS,
        "cmi": cmi.restore(
            attempt or ScormAttempt(version=package.version),
            learner_id=str(person.pk),
            learner_name=person.get_full_name(),
        ),
    }
    return {
        "may_reset": can_reset_activity(person, None),
        "course": course,
        "outline": outline,
        "attempt": attempt,
        "scorm_runtime": runtime,
        **step_position(page, outline),
    }
