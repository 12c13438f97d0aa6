"""Client personalities (with avatars we draw ourselves) and the role-plays, from
scenarios/content/. Idempotent like the courses: created when missing, otherwise left as
editors made them unless `seed(overwrite=True)`. Scenarios go into the personalities course,
before its quiz.
"""

import io
import random

from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.images import get_image_model

from PIL import Image, ImageDraw

from courses.demo import _place
from courses.models import CoursePage
from people.models import Role, User

from .content import load_personalities, load_scenarios
from .models import ClientPersonality, Run, ScenarioPage
from .services import choose, start_run

COURSE = "personalidades-de-clientes"
FRESH_AGENT = "lucia.fernandez@actitud.demo"
# Brows (inner end up or down) and mouth (curve) per personality: a drawn face, no photos.
EXPRESSIONS = {
    "agresivo": (-10, -14),
    "quejumbroso": (8, -8),
    "dominante": (-6, -2),
    "ofensivo": (-12, -12),
    "pregunton": (10, 4),
    "callado": (0, 0),
    "miedoso": (14, -6),
    "simpatico": (4, 16),
    "irritado": (-8, -10),
}


def draw_avatar(color, brows, mouth, size=256):
    """A round face on the personality's colour: eyebrows and mouth give the mood."""
    image = Image.new("RGB", (size, size), color)
    pen = ImageDraw.Draw(image)
    pen.ellipse((48, 40, 208, 216), fill="#f3d9c4", outline="#3e2c23", width=4)
    for x in (98, 158):
        pen.ellipse((x - 10, 110, x + 10, 130), fill="#3e2c23")
    pen.line((80, 98 + brows, 112, 98), fill="#3e2c23", width=6)
    pen.line((144, 98, 176, 98 + brows), fill="#3e2c23", width=6)
    top = 168 - max(mouth, 0)
    box = (96, top - abs(mouth), 160, top + abs(mouth) + 1)
    if mouth > 0:
        pen.arc(box, 20, 160, fill="#7a2e2e", width=6)
    elif mouth < 0:
        pen.arc((96, 168, 160, 168 + 2 * abs(mouth) + 1), 200, 340, fill="#7a2e2e", width=6)
    else:
        pen.line((104, 172, 152, 172), fill="#7a2e2e", width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer


def _avatar(personality):
    brows, mouth = EXPRESSIONS.get(personality.slug, (0, 4))
    buffer = draw_avatar(personality.color, brows, mouth)
    return get_image_model().objects.create(
        title=f"Avatar: {personality.name}",
        file=ImageFile(buffer, name=f"avatar-{personality.slug}.png"),
    )


def _personality(source, overwrite):
    personality = ClientPersonality.objects.filter(slug=source["slug"]).first()
    if personality is None or overwrite:
        personality = personality or ClientPersonality(slug=source["slug"])
        personality.name = source["name"]
        personality.description = source["description"]
        personality.recognise = source["recognise"]
        personality.do = "\n".join(source["do"])
        personality.dont = "\n".join(source["dont"])
        personality.color = source.get("color", "#0b5c7a")
        personality.save()
        personality.save_revision()
    if personality.avatar is None:
        personality.avatar = _avatar(personality)
        personality.save(update_fields=["avatar"])
    return personality


def graph_stream(source):
    """The YAML's lines and endings as the StreamField's raw value."""
    stream = [
        {
            "type": "line",
            "value": {
                "key": line["key"],
                "mood": line["mood"],
                "text": line["text"],
                "choices": [
                    {
                        "key": choice.get("key", ""),
                        "text": choice["text"],
                        "feedback": choice.get("feedback", ""),
                        "next": choice.get("next", ""),
                        "critical": bool(choice.get("critical")),
                        "critical_reason": choice.get("critical_reason", ""),
                        "weights": [
                            {"dimension": slug, "weight": str(weight)}
                            for slug, weight in (choice.get("weights") or {}).items()
                        ],
                    }
                    for choice in line["choices"]
                ],
            },
        }
        for line in source["lines"]
    ]
    stream += [
        {
            "type": "ending",
            "value": {
                "key": ending["key"],
                "outcome": ending["outcome"],
                "text": ending.get("text", ""),
                "debrief": ending["debrief"],
            },
        }
        for ending in source["endings"]
    ]
    return stream


@transaction.atomic
def seed(*, overwrite=False, **options):
    personalities = {p["slug"]: _personality(p, overwrite) for p in load_personalities()}
    course = CoursePage.objects.filter(slug=COURSE).first()
    if course is None or not personalities:
        return []
    for source in load_scenarios():
        fields = {
            "title": source["title"],
            "summary": source["summary"],
            "personality": personalities[source["personality"]],
            "channel": source["channel"],
            "situation": source["situation"],
            "allow_back": bool(source.get("allow_back")),
            "estimated_minutes": source.get("estimated_minutes", 10),
            "graph": graph_stream(source),
        }
        existing = ScenarioPage.objects.child_of(course).filter(slug=source["slug"]).first()
        if existing is None:
            quiz = (
                course.get_children()
                .filter(content_type__app_label="quizzes")
                .order_by("path")
                .first()
            )
            if quiz is not None:
                page = quiz.add_sibling(
                    pos="left", instance=ScenarioPage(slug=source["slug"], **fields)
                )
                page.save_revision().publish()
                continue
        _place(course, ScenarioPage, source["slug"], fields, overwrite)
    simulate_runs()
    return []


def simulate_runs():
    """Give the demo agents (but one) a run of each role-play, choosing well or poorly by a
    fixed made-up ability, so analytics and profiles have something to show."""
    rng = random.Random(2027)
    scenarios = list(ScenarioPage.objects.live().order_by("path"))
    agents = User.objects.with_role(Role.AGENT).exclude(email=FRESH_AGENT).order_by("email")
    for agent in agents:
        ability = rng.uniform(0.4, 0.95)
        for scenario in scenarios:
            if Run.objects.filter(person=agent, scenario=scenario).exists():
                continue
            run = start_run(person=agent, scenario=scenario)
            for _ in range(30):
                if run.is_finished:
                    break
                line = run.graph["lines"][run.current_key]
                safe = [c for c in line["choices"] if not c.get("critical")] or line["choices"]
                ranked = sorted(
                    safe, key=lambda c: sum((c.get("weights") or {}).values()), reverse=True
                )
                pick = ranked[0] if rng.random() < ability else rng.choice(line["choices"])
                run = choose(run=run, line_key=run.current_key, choice_key=pick["key"])
