"""The use cases of SCORM steps: storing an uploaded package, launching it, saving what it
commits, and HR's reset of a person's data."""

import logging
import uuid
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import lifecycle
from courses.services import record_visit

from . import cmi
from .manifest import MB, Limits, inspect
from .models import ScormAttempt

log = logging.getLogger(__name__)


class _Budget:
    """The bytes still allowed while unpacking; a zip's declared sizes are not trusted."""

    def __init__(self, limit):
        self.left = limit
        self.limit = limit

    def spend(self, count):
        self.left -= count
        if self.left < 0:
            raise ValidationError(
                _("Unpacked, the package takes more than %(limit)s MB, the most allowed."),
                code="too_large_unpacked",
                params={"limit": round(self.limit / MB, 1)},
            )


class _CountingReader:
    """A zip member read in chunks, each chunk charged to the budget."""

    def __init__(self, member, budget):
        self.member = member
        self.budget = budget

    def read(self, size=-1):
        chunk = self.member.read(size if size and size > 0 else 64 * 1024)
        self.budget.spend(len(chunk))
        return chunk


def unpack(*, upload, info, limits=None, storage=None):
    """Write every file of the checked zip `upload` under a new folder scorm/<uuid>/ of the
    media storage, counting the bytes as they are written: past the limit, what was written
    is removed and ValidationError raised. Returns (folder, bytes written)."""
    limits = limits or Limits.from_settings()
    storage = storage or default_storage
    folder = f"scorm/{uuid.uuid4().hex}"
    budget = _Budget(limits.unpacked_bytes)
    written = []
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > limits.files:
                raise ValidationError(_("The package has too many files."), code="too_many_files")
            for member in members:
                written.append(f"{folder}/{member.filename}")
                with archive.open(member) as source:
                    written[-1] = storage.save(
                        written[-1], File(_CountingReader(source, budget), name=member.filename)
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        _remove(storage, written)
        raise ValidationError(
            _("This zip file is damaged and cannot be read."), code="not_zip"
        ) from error
    except BaseException:
        _remove(storage, written)
        raise
    return folder, budget.limit - budget.left


def _remove(storage, names):
    for name in names:
        if storage.exists(name):
            storage.delete(name)


def store_package(*, package, upload, user=None, limits=None):
    """A package is stored only once it passes every check of scorm.manifest and unpacks
    within the limits; its version, title (when none was given) and launch file come from
    its manifest. `package` is saved."""
    info = inspect(upload, limits)
    folder, size = unpack(upload=upload, info=info, limits=limits)
    package.version = info.version
    package.launch_path = info.launch_path
    package.unpack_dir = folder
    package.size = size
    package.file_count = len(info.files)
    package.title = package.title or info.title or upload.name
    if user is not None and user.is_authenticated:
        package.uploaded_by = user
    package.uploaded_at = timezone.now()
    package.save()
    return package


def _detail(attempt, **extra):
    detail = {"attempt_id": attempt.pk}
    if cmi.family(attempt.version) == "1.2":
        detail["lesson_status"] = attempt.lesson_status
    else:
        detail["completion_status"] = attempt.completion_status
        detail["success_status"] = attempt.success_status
    detail.update(
        score_raw=attempt.score_raw,
        score_scaled=attempt.score_scaled,
        location=attempt.location,
        **extra,
    )
    return detail


@transaction.atomic
def launch(*, person, page):
    """Opening a SCORM step enrols the person and continues their current attempt; a new
    attempt starts (and the lifecycle hears it started) when there is none, or when the
    current one ended failed. Returns the attempt."""
    record_visit(person=person, course=page.course, step=page)
    current = (
        ScormAttempt.objects.current().select_for_update().filter(person=person, page=page).first()
    )
    if current is not None and current.outcome != lifecycle.Status.FAILED:
        return current
    number = 1
    if current is not None:
        current.closed_at = timezone.now()
        current.save(update_fields=["closed_at"])
    last = ScormAttempt.objects.filter(person=person, page=page).order_by("-number").first()
    if last is not None:
        number = last.number + 1
    attempt = ScormAttempt.objects.create(
        person=person, page=page, number=number, version=page.package.version
    )
    lifecycle.start(
        person=person,
        step=page,
        key=attempt.event_key("launched"),
        registration=attempt.registration,
        detail={"attempt_id": attempt.pk},
    )
    return attempt


@transaction.atomic
def commit(*, attempt_id, person, payload, terminate=False):
    """Save what the package committed into the person's own current attempt (raises
    ScormAttempt.DoesNotExist for any other, and CmiError for data outside the standard).
    A terminating commit adds its session time to the attempt's total. When the package
    first reports an ending (scorm.cmi.outcome), the lifecycle finishes the attempt — once:
    later commits only save data. A change of status is reported as progress."""
    attempt = (
        ScormAttempt.objects.current()
        .select_for_update()
        .select_related("page")
        .get(pk=attempt_id, person=person)
    )
    report = cmi.read(payload, attempt.version)
    before = (attempt.lesson_status, attempt.completion_status, attempt.success_status)
    for field, value in report.as_fields().items():
        setattr(attempt, field, value)
    total = attempt.total_seconds + report.session_seconds
    if terminate:
        attempt.total_seconds = total
    attempt.cmi = payload["cmi"]
    attempt.commits += 1
    attempt.updated_at = timezone.now()
    ending = None
    if attempt.finished_at is None:
        ending = cmi.outcome(report, attempt.version, total_seconds=total)
    if ending is not None:
        attempt.finished_at = attempt.updated_at
        attempt.outcome = ending.status
    attempt.save()
    page = attempt.page
    after = (attempt.lesson_status, attempt.completion_status, attempt.success_status)
    if after != before:
        lifecycle.progress(
            person=person,
            step=page,
            key=attempt.event_key(f"saved:{attempt.commits}"),
            registration=attempt.registration,
            detail=_detail(attempt),
        )
    if ending is not None:
        lifecycle.finish(
            person=person,
            step=page,
            key=attempt.event_key("finished"),
            registration=attempt.registration,
            outcome=ending,
            detail=_detail(attempt),
        )
    return attempt


@transaction.atomic
def reset(*, attempt, by):
    """HR's reset: the person's current attempt is closed and kept as history, with who reset
    it and when; their next launch starts a new attempt from the beginning. A step already
    completed stays completed (the course record is not rewritten)."""
    attempt = ScormAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.closed_at is not None:
        return attempt
    attempt.closed_at = timezone.now()
    attempt.reset_by = by
    attempt.save(update_fields=["closed_at", "reset_by"])
    log.info(
        "SCORM data reset: attempt %s of person %s on step %s by %s",
        attempt.pk,
        attempt.person_id,
        attempt.page_id,
        by.pk,
    )
    return attempt
