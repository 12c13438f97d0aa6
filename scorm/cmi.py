"""The CMI data a package commits, checked and read into the values the LMS keeps.

scorm-again posts the whole CMI object as JSON: `{"cmi": {"core": {...}, "suspend_data": ...}}`
for SCORM 1.2 and `{"cmi": {"completion_status": ..., "success_status": ..., ...}}` for 2004.
Anything that is not that shape, or breaks a limit of the standard (suspend_data up to 4,096
characters in 1.2 and 64,000 in 2004; location up to 255 and 1,000), is refused.

How a package's report becomes the outcome of the course step (`outcome()`):
- SCORM 1.2 `cmi.core.lesson_status`: "passed" → PASSED, "failed" → FAILED, "completed" →
  COMPLETED (a package without a mastery score just says it is done); "incomplete",
  "browsed" and "not attempted" are not an ending.
- SCORM 2004: `success_status` decides when it is known ("passed" → PASSED, "failed" →
  FAILED); otherwise `completion_status` "completed" → COMPLETED; anything else is no ending.
PASSED and COMPLETED complete the step (courses.lifecycle.Status.COUNTING); FAILED ends the
attempt without completing it, and the next launch starts a new attempt.
The score is `score.scaled` (2004, clamped to 0..1), else raw within min..max, else raw/100
(1.2 scores are 0..100 unless the package says otherwise).
"""

import math
import re
from dataclasses import asdict, dataclass
from datetime import timedelta

from courses.lifecycle import Outcome, Status

MAX_SUSPEND_DATA = {"1.2": 4_096, "2004": 64_000}
MAX_LOCATION = {"1.2": 255, "2004": 1_000}
LESSON_STATUSES = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted", ""}
COMPLETION_STATUSES = {"completed", "incomplete", "not attempted", "unknown", ""}
SUCCESS_STATUSES = {"passed", "failed", "unknown", ""}
EXITS = {"time-out", "suspend", "logout", "normal", ""}
# SCORM 1.2 CMITimespan (HHHH:MM:SS.SS) and SCORM 2004 timeinterval (ISO 8601 duration).
TIMESPAN_12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
TIMESPAN_2004 = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)


class CmiError(ValueError):
    """The committed data is not CMI we accept; the message says why (for the log)."""


@dataclass(frozen=True)
class CmiReport:
    lesson_status: str = ""
    completion_status: str = ""
    success_status: str = ""
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    score_scaled: float | None = None
    suspend_data: str = ""
    location: str = ""
    exit: str = ""
    session_seconds: float = 0.0

    def as_fields(self):
        fields = asdict(self)
        fields.pop("session_seconds")
        return fields


def family(version):
    """ "1.2" or "2004" for a ScormVersion value."""
    return "1.2" if version == "1.2" else "2004"


def _text(container, key, *, limit=255, allowed=None):
    value = container.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise CmiError(f"{key} is not text")
    if len(value) > limit:
        raise CmiError(f"{key} is longer than {limit} characters")
    if allowed is not None and value not in allowed:
        raise CmiError(f"{key} has an unknown value")
    return value


def _number(container, key, *, low=None, high=None):
    value = container.get(key, "")
    if value in ("", None):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise CmiError(f"score.{key} is not a number")
    try:
        number = float(value)
    except ValueError as error:
        raise CmiError(f"score.{key} is not a number") from error
    if (
        not math.isfinite(number)
        or (low is not None and number < low)
        or (high is not None and number > high)
    ):
        raise CmiError(f"score.{key} is out of range")
    return number


def _object(container, key):
    value = container.get(key, {})
    if value in ("", None):
        return {}
    if not isinstance(value, dict):
        raise CmiError(f"{key} is not an object")
    return value


def seconds(timespan, version):
    """A session or total time in seconds; "" is none."""
    if not timespan:
        return 0.0
    if family(version) == "1.2":
        match = TIMESPAN_12.match(timespan)
        if not match:
            raise CmiError("session_time is not a CMITimespan")
        hours, minutes, secs, fraction = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + int(secs) + float(fraction or 0)
    match = TIMESPAN_2004.match(timespan)
    if not match or timespan in ("P", "PT") or timespan.endswith("T"):
        raise CmiError("session_time is not an ISO 8601 duration")
    years, months, days, hours, minutes, secs = (float(g or 0) for g in match.groups())
    return (((years * 365 + months * 30 + days) * 24 + hours) * 60 + minutes) * 60 + secs


def timespan(total, version):
    """`total` seconds as the version's time format (for cmi.core.total_time / cmi.total_time)."""
    total = max(0.0, float(total))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if family(version) == "1.2":
        return f"{int(hours):04d}:{int(minutes):02d}:{secs:05.2f}"
    return f"PT{int(hours)}H{int(minutes)}M{secs:.2f}S"


def read(payload, version):
    """Check a commit's JSON `payload` against the version's data model and limits, and read
    the values the LMS keeps. Raises CmiError."""
    if not isinstance(payload, dict):
        raise CmiError("the commit is not a JSON object")
    cmi = payload.get("cmi")
    if not isinstance(cmi, dict):
        raise CmiError("the commit has no cmi object")
    kind = family(version)
    suspend = _text(cmi, "suspend_data", limit=MAX_SUSPEND_DATA[kind])
    if kind == "1.2":
        core = _object(cmi, "core")
        score = _object(core, "score")
        return CmiReport(
            lesson_status=_text(core, "lesson_status", allowed=LESSON_STATUSES),
            score_raw=_number(score, "raw", low=0, high=100) if score else None,
            score_min=_number(score, "min", low=0, high=100) if score else None,
            score_max=_number(score, "max", low=0, high=100) if score else None,
            suspend_data=suspend,
            location=_text(core, "lesson_location", limit=MAX_LOCATION[kind]),
            exit=_text(core, "exit", allowed=EXITS),
            session_seconds=seconds(_text(core, "session_time", limit=20), version),
        )
    score = _object(cmi, "score")
    return CmiReport(
        completion_status=_text(cmi, "completion_status", allowed=COMPLETION_STATUSES),
        success_status=_text(cmi, "success_status", allowed=SUCCESS_STATUSES),
        score_raw=_number(score, "raw"),
        score_min=_number(score, "min"),
        score_max=_number(score, "max"),
        score_scaled=_number(score, "scaled", low=-1, high=1),
        suspend_data=suspend,
        location=_text(cmi, "location", limit=MAX_LOCATION[kind]),
        exit=_text(cmi, "exit", allowed=EXITS),
        session_seconds=seconds(_text(cmi, "session_time", limit=40), version),
    )


def scaled_score(report):
    """The score as 0..1, or None when the package reported none."""
    if report.score_scaled is not None:
        return min(1.0, max(0.0, report.score_scaled))
    if report.score_raw is None:
        return None
    low = report.score_min if report.score_min is not None else 0.0
    high = report.score_max if report.score_max is not None else 100.0
    if high <= low:
        return None
    return min(1.0, max(0.0, (report.score_raw - low) / (high - low)))


def ending_status(report, version):
    """The Status the report ends the attempt with, or None while it goes on (see above)."""
    if family(version) == "1.2":
        return {
            "passed": Status.PASSED,
            "failed": Status.FAILED,
            "completed": Status.COMPLETED,
        }.get(report.lesson_status)
    if report.success_status == "passed":
        return Status.PASSED
    if report.success_status == "failed":
        return Status.FAILED
    if report.completion_status == "completed":
        return Status.COMPLETED
    return None


def outcome(report, version, *, total_seconds):
    """The attempt's Outcome when the report ends it, else None; the duration is the
    attempt's total time, this session included."""
    status = ending_status(report, version)
    if status is None:
        return None
    return Outcome(
        status=status, score=scaled_score(report), duration=timedelta(seconds=total_seconds)
    )


def restore(attempt, *, learner_id, learner_name):
    """The CMI to load into the run-time before the package starts: who the learner is, and,
    on a later launch, where they were (entry "resume" when they left suspended)."""
    kind = family(attempt.version)
    resume = bool(attempt.commits) and (attempt.exit == "suspend" or bool(attempt.suspend_data))
    if kind == "1.2":
        core = {
            "student_id": learner_id,
            "student_name": learner_name,
            "entry": "resume" if resume else "ab-initio",
        }
        if attempt.commits:
            core["lesson_location"] = attempt.location
            core["total_time"] = timespan(attempt.total_seconds, attempt.version)
            if attempt.lesson_status:
                core["lesson_status"] = attempt.lesson_status
            if attempt.score_raw is not None:
                core["score"] = {
                    key: _plain(value)
                    for key, value in (
                        ("raw", attempt.score_raw),
                        ("min", attempt.score_min),
                        ("max", attempt.score_max),
                    )
                    if value is not None
                }
        data = {"core": core}
        if attempt.suspend_data:
            data["suspend_data"] = attempt.suspend_data
        return data
    data = {
        "learner_id": learner_id,
        "learner_name": learner_name,
        "entry": "resume" if resume else "ab-initio",
    }
    if attempt.commits:
        data["location"] = attempt.location
        data["total_time"] = timespan(attempt.total_seconds, attempt.version)
        for key in ("completion_status", "success_status"):
            if getattr(attempt, key):
                data[key] = getattr(attempt, key)
        score = {
            key: _plain(value)
            for key, value in (
                ("scaled", attempt.score_scaled),
                ("raw", attempt.score_raw),
                ("min", attempt.score_min),
                ("max", attempt.score_max),
            )
            if value is not None
        }
        if score:
            data["score"] = score
    if attempt.suspend_data:
        data["suspend_data"] = attempt.suspend_data
    return data


def _plain(number):
    return str(int(number)) if float(number).is_integer() else str(number)
