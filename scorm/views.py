"""The package's files, the CMI endpoint the run-time commits to, and HR's reset."""

import json
import logging
import mimetypes
import posixpath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from people.policy import can_reset_activity

from . import services
from .cmi import CmiError
from .models import ScormAttempt, ScormPage

log = logging.getLogger(__name__)

# Types the standard library may not know, or may guess differently on another machine.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".mp4": "video/mp4",
    ".mp3": "audio/mpeg",
    ".webm": "video/webm",
    ".vtt": "text/vtt",
    ".txt": "text/plain; charset=utf-8",
}


def content_type(path):
    extension = posixpath.splitext(path)[1].lower()
    guessed = mimetypes.guess_type(path)[0]
    return CONTENT_TYPES.get(extension) or guessed or "application/octet-stream"


def confined(path):
    """The package-relative path `path` names, or None when it would leave the package's
    folder (or is not a plain relative path)."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    normal = posixpath.normpath(path)
    if normal in (".", "..") or normal.startswith("../") or normal.startswith("/"):
        return None
    return normal


def package_policy(response):
    """Package files run under their own Content-Security-Policy
    (settings.CONTENT_SECURITY_POLICY_SCORM): inline script and style allowed, as packages
    exported by authoring tools need, but everything from this site only, framed only by
    it. Enforced or report-only as the site's policy is."""
    directives = settings.CONTENT_SECURITY_POLICY_SCORM["DIRECTIVES"]
    if settings.CONTENT_SECURITY_POLICY:
        response._csp_config = directives
    if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
        response._csp_config_ro = directives
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _openable_step(request, page_id):
    """A SCORM step the person may open: published in a published course, or any step for
    someone who may edit it (the editor's preview)."""
    page = get_object_or_404(ScormPage.objects.select_related("package"), pk=page_id)
    if page.live and page.get_parent().live:
        return page
    if page.permissions_for_user(request.user).can_edit():
        return page
    raise Http404


@login_required
@xframe_options_sameorigin
def package_file(request, page_id, path):
    """A file of the step's package, from the site's own origin."""
    page = _openable_step(request, page_id)
    relative = confined(path)
    if relative is None:
        raise Http404
    name = page.package.storage_name(relative)
    if not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type(relative))
    return package_policy(response)


def _failure(status, code):
    return JsonResponse({"result": "false", "errorCode": code}, status=status)


@require_POST
def commit(request, attempt_id):
    """scorm-again's commits (LMSCommit/Commit, autocommits, LMSFinish/Terminate) for the
    person's own current attempt: JSON of at most SCORM_MAX_COMMIT_KB, within the standard
    (scorm.cmi), or 400."""
    if not request.user.is_authenticated:
        return _failure(401, 101)
    if len(request.body) > settings.SCORM_MAX_COMMIT_KB * 1024:
        return _failure(413, 101)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _failure(400, 101)
    try:
        services.commit(
            attempt_id=attempt_id,
            person=request.user,
            payload=payload,
            terminate=request.GET.get("terminate") == "true",
        )
    except ScormAttempt.DoesNotExist:
        return _failure(404, 101)
    except CmiError as error:
        log.info("SCORM commit refused for attempt %s: %s", attempt_id, error)
        return _failure(400, 101)
    return JsonResponse({"result": "true", "errorCode": 0})


def _attempt_for_reset(request, attempt_id):
    attempt = get_object_or_404(
        ScormAttempt.objects.current().select_related("person", "page"), pk=attempt_id
    )
    if not can_reset_activity(request.user, attempt.person):
        raise PermissionDenied
    return attempt


@login_required
def reset_attempt(request, attempt_id):
    """HR confirms, then resets a person's data for a SCORM step (scorm.services.reset)."""
    attempt = _attempt_for_reset(request, attempt_id)
    if request.method == "POST":
        services.reset(attempt=attempt, by=request.user)
        messages.success(
            request,
            _("%(person)s’s data for “%(step)s” was reset: their next launch starts anew.")
            % {"person": attempt.person, "step": attempt.page.title},
        )
        return redirect("scorm:attempts", page_id=attempt.page_id)
    return render(request, "scorm/reset_confirm.html", {"attempt": attempt})


@login_required
def attempts(request, page_id):
    """HR's list of the current attempts of a SCORM step, each with its reset action."""
    if not can_reset_activity(request.user, None):
        raise PermissionDenied
    page = get_object_or_404(ScormPage, pk=page_id)
    rows = (
        ScormAttempt.objects.current()
        .filter(page=page)
        .select_related("person")
        .order_by("person__full_name", "person__email")
    )
    return render(request, "scorm/attempts.html", {"page": page, "attempts": rows})
