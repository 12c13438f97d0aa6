"""xAPI 1.0.3 statements built from the course lifecycle's events (courses.lifecycle).

One event makes one statement, whose id is the event's stable UUID. The rules:

- Verbs are ADL's: a start is `attempted` (`launched` for a SCORM package); a graded quiz answer
  is `answered`; a role-play decision is `responded`; an ending is `passed`, `failed` or
  `completed` as the outcome says; a SCORM commit is `progressed`.
- The actor is an account on the site (homePage: SITE_URL, name: the person's opaque
  UUID, xapi.queue.actor_name); the email (`mbox`) and name replace the account only when
  the organisation opts in (XAPI_ACTOR_EMAIL).
- Activities have stable IRIs under <SITE_URL>/xapi/activities/, by primary key and author-set
  key, never by slug or title: quiz/<pk>, quiz/<pk>/question/<id>, scenario/<pk>,
  scenario/<pk>/line/<key>, lesson/<pk>, scorm/<pk>, course/<pk>.
- Context: the event's registration, the course as parent (and, for a question or a
  role-play line, its quiz or role-play as grouping), platform "Actitud", the site's language.
- Extensions (the evidence per service dimension, a critical choice, a role-play's ending) are
  IRIs under <SITE_URL>/xapi/extensions/.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from courses.lifecycle import Kind, Status

ADL_VERB = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITY = "http://adlnet.gov/expapi/activities/"
VERSION = "1.0.3"
PLATFORM = "Actitud"
LANGUAGES = ("es", "en")

# The xAPI activity type of each step type (courses.lifecycle.step_type).
STEP_ACTIVITY_TYPES = {
    "quiz": "assessment",
    "scenario": "simulation",
    "lesson": "lesson",
    "scorm": "module",
}
FINISHED_VERBS = {Status.PASSED: "passed", Status.FAILED: "failed", Status.COMPLETED: "completed"}


def base_url():
    """The site's root URL, as every absolute link the site writes (SITE_URL)."""
    return settings.SITE_URL.rstrip("/")


def activity_iri(kind, pk, *rest):
    """The stable IRI of an activity: <SITE_URL>/xapi/activities/<kind>/<pk>[/<rest>…]."""
    parts = [kind, str(pk), *(str(part) for part in rest)]
    return f"{base_url()}/xapi/activities/" + "/".join(parts)


def extension_iri(name):
    return f"{base_url()}/xapi/extensions/{name}"


def verb_for(event):
    """The ADL verb of an event (see the module docstring)."""
    if event.kind == Kind.STARTED:
        return "launched" if event.step_type == "scorm" else "attempted"
    if event.kind == Kind.PROGRESSED:
        return {"quiz": "answered", "scenario": "responded"}.get(event.step_type, "progressed")
    return FINISHED_VERBS[event.outcome.status]


def _in_languages(text):
    """A language map of a translatable text: {"es": …, "en": …}."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(text() if callable(text) else text)
    return result


def _same_in_languages(text):
    """Content is written in one language (Spanish): its text stands for every language."""
    return dict.fromkeys(LANGUAGES, text or "")


def iso_duration(duration):
    """An ISO 8601 duration (PT…H…M…S) from a timedelta, to the hundredth of a second."""
    total = round(duration.total_seconds(), 2)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{int(hours)}H"
    if minutes:
        text += f"{int(minutes)}M"
    seconds = round(seconds, 2)
    text += f"{int(seconds)}S" if seconds == int(seconds) else f"{seconds:.2f}S"
    return text


def _score(scaled):
    """The xAPI score of a 0..1 score: scaled, and the same as raw between min 0 and max 1."""
    scaled = round(min(max(float(scaled), 0.0), 1.0), 4)
    return {"scaled": scaled, "raw": scaled, "min": 0, "max": 1}


def _activity(iri, activity_type, name, description=None, **definition):
    result = {
        "objectType": "Activity",
        "id": iri,
        "definition": {"type": ADL_ACTIVITY + activity_type, "name": name, **definition},
    }
    if description:
        result["definition"]["description"] = description
    return result


def course_activity(course_id, title):
    return _activity(
        activity_iri("course", course_id),
        "course",
        _same_in_languages(title),
        _in_languages(lambda: _("A course on the Actitud training platform")),
    )


def step_activity(event, title):
    descriptions = {
        "quiz": lambda: _("A quiz on service attitude"),
        "scenario": lambda: _("A role-play with a customer"),
        "lesson": lambda: _("A lesson of a course"),
        "scorm": lambda: _("A SCORM package of a course"),
    }
    return _activity(
        activity_iri(event.step_type, event.step_id),
        STEP_ACTIVITY_TYPES[event.step_type],
        _same_in_languages(title),
        _in_languages(descriptions[event.step_type]),
    )


def actor(person, account_name):
    """The person as an xAPI agent: an account on the site named by an opaque id; with the
    organisation's opt-in (XAPI_ACTOR_EMAIL, and then `person` is given) their email and
    name instead (an agent has exactly one identifier)."""
    if settings.XAPI_ACTOR_EMAIL:
        return {
            "objectType": "Agent",
            "name": person.full_name or person.email,
            "mbox": f"mailto:{person.email}",
        }
    return {"objectType": "Agent", "account": {"homePage": base_url(), "name": str(account_name)}}


def _question_object(event, quiz_iri):
    """A quiz question as a cmi.interaction: "choice" (one id, or several for a
    multiple-choice question) with its choices; a rating question (each option rated 1..4)
    as "matching" of its options (source) to the ratings (target)."""
    detail = event.detail
    choices = [
        {"id": str(choice["id"]), "description": _same_in_languages(choice.get("text", ""))}
        for choice in detail.get("choices", [])
    ]
    if detail.get("interaction") == "likert":
        definition = {"interactionType": "matching", "source": choices}
        definition["target"] = [
            {"id": str(n), "description": _same_in_languages(str(n))} for n in range(1, 5)
        ]
    else:
        definition = {"interactionType": "choice", "choices": choices}
    if not choices:
        definition.pop("choices", None)
        definition.pop("source", None)
    return _activity(
        f"{quiz_iri}/question/{detail['question_id']}",
        "cmi.interaction",
        _same_in_languages(detail.get("question", "")),
        _in_languages(lambda: _("A question of a quiz")),
        **definition,
    )


def _response(detail):
    """The response in the cmi.interaction format: choice ids joined by "[,]"; a rating
    question's as "option[.]rating" pairs joined by "[,]"."""
    response = detail.get("response")
    if response is None:
        return None
    if isinstance(response, dict):
        return "[,]".join(f"{option}[.]{rating}" for option, rating in response.items())
    if isinstance(response, list | tuple):
        return "[,]".join(str(item) for item in response)
    return str(response)


def _evidence_extensions(detail):
    extensions = {}
    if "evidence" in detail:
        extensions[extension_iri("evidence")] = {
            str(k): round(float(v), 4) for k, v in (detail.get("evidence") or {}).items()
        }
    if "critical" in detail:
        extensions[extension_iri("critical")] = bool(detail["critical"])
    return extensions


def _answer_result(detail):
    result = {}
    if detail.get("score") is not None:
        result["score"] = _score(detail["score"])
    if detail.get("success") is not None:
        result["success"] = bool(detail["success"])
    response = _response(detail)
    if response is not None:
        result["response"] = response
    if detail.get("duration") is not None:
        result["duration"] = iso_duration(detail["duration"])
    if extensions := _evidence_extensions(detail):
        result["extensions"] = extensions
    return result


def _line_object(event, scenario_iri):
    detail = event.detail
    choice_key = str(detail.get("choice_key", ""))
    return _activity(
        f"{scenario_iri}/line/{detail['line_key']}",
        "cmi.interaction",
        _same_in_languages(detail.get("line", "")),
        _in_languages(lambda: _("A moment of a role-play where the agent chooses what to say")),
        interactionType="choice",
        choices=[{"id": choice_key, "description": _same_in_languages(detail.get("choice", ""))}],
    )


def _decision_result(detail):
    result = {"response": str(detail.get("choice_key", ""))}
    if detail.get("score") is not None:
        result["score"] = _score(detail["score"])
    result["extensions"] = _evidence_extensions({"evidence": {}, "critical": False, **detail})
    return result


def _finish_result(event):
    outcome = event.outcome
    result = {"completion": True}
    if outcome.status != Status.COMPLETED:
        result["success"] = outcome.status == Status.PASSED
    if outcome.score is not None:
        result["score"] = _score(outcome.score)
    if outcome.duration is not None:
        result["duration"] = iso_duration(outcome.duration)
    detail = event.detail
    extensions = {}
    if event.step_type == "scenario" and detail.get("ending_key") is not None:
        extensions[extension_iri("ending")] = {
            "key": str(detail["ending_key"]),
            "title": detail.get("ending", ""),
            "outcome": detail.get("outcome", ""),
        }
    if "critical" in detail:
        extensions[extension_iri("critical")] = bool(detail["critical"])
    if "critical_count" in detail:
        extensions[extension_iri("critical-count")] = int(detail["critical_count"])
    if extensions:
        result["extensions"] = extensions
    return result


def build(event, *, person, account_name, titles):
    """The xAPI statement of `event` (a courses.lifecycle.ActivityEvent), as a dict.
    `titles` maps the step's and the course's page ids to their titles."""
    verb = verb_for(event)
    step = step_activity(event, titles.get(event.step_id, ""))
    course = course_activity(event.course_id, titles.get(event.course_id, ""))
    context_activities = {"parent": [course]}
    result = None
    if event.kind == Kind.PROGRESSED and event.step_type == "quiz":
        target = _question_object(event, step["id"])
        context_activities["grouping"] = [step]
        result = _answer_result(event.detail)
    elif event.kind == Kind.PROGRESSED and event.step_type == "scenario":
        target = _line_object(event, step["id"])
        context_activities["grouping"] = [step]
        result = _decision_result(event.detail)
    elif event.kind == Kind.FINISHED:
        target = step
        result = _finish_result(event)
    else:
        target = step
    statement = {
        "id": str(event.uuid),
        "actor": actor(person, account_name),
        "verb": {"id": ADL_VERB + verb, "display": {"en-US": verb}},
        "object": target,
        "context": {
            "registration": str(event.registration),
            "contextActivities": context_activities,
            "platform": PLATFORM,
            "language": settings.LANGUAGE_CODE,
        },
        "timestamp": event.at.isoformat(),
        "version": VERSION,
    }
    if result:
        statement["result"] = result
    return statement
