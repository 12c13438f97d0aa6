"""The four courses, loaded from courses/content/ into the page tree.

Idempotent: a course or lesson is created when missing and otherwise left as editors made it;
`seed(overwrite=True)` (seed_demo --overwrite-content) replaces it with the repository text
as a new published revision.
"""

from django.db import transaction

from wagtail.models import Site

import markdown

from attitude.models import ServiceDimension

from .content import load_courses
from .models import CatalogPage, CoursePage, LessonPage

CATALOG = {"title": "Cursos", "slug": "cursos"}


def rich_text(source):
    """Markdown from the content files, as the HTML Wagtail's rich text stores."""
    html = markdown.markdown(source.strip())
    for markdown_tag, wagtail_tag in (("strong", "b"), ("em", "i")):
        html = html.replace(f"<{markdown_tag}>", f"<{wagtail_tag}>")
        html = html.replace(f"</{markdown_tag}>", f"</{wagtail_tag}>")
    return html


def stream(blocks):
    return [
        {"type": block["type"], "value": rich_text(block["value"])}
        if block["type"] == "text"
        else {"type": block["type"], "value": block["value"]}
        for block in blocks
    ]


def objectives(items):
    return [{"type": "objective", "value": item} for item in items]


def catalog_page():
    catalog = CatalogPage.objects.first()
    if catalog is None:
        root = Site.objects.get(is_default_site=True).root_page
        catalog = root.add_child(instance=CatalogPage(**CATALOG))
        catalog.save_revision().publish()
    return catalog


def _place(parent, model, slug, fields, overwrite):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None and not overwrite:
        return page
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    return page


@transaction.atomic
def seed(*, overwrite=False, **options):
    """Load every course and lesson in courses/content/."""
    catalog = catalog_page()
    dimensions = {d.slug: d for d in ServiceDimension.objects.all()}
    for source in load_courses():
        course = CoursePage.objects.child_of(catalog).filter(slug=source.slug).first()
        if course is None or overwrite:
            fields = {
                "title": source.title,
                "summary": source.summary,
                "estimated_minutes": source.estimated_minutes,
                "objectives": objectives(source.objectives),
            }
            if course is None:
                course = catalog.add_child(instance=CoursePage(slug=source.slug, **fields))
            else:
                for name, value in fields.items():
                    setattr(course, name, value)
            course.dimensions = [dimensions[slug] for slug in source.dimensions]
            course.save_revision().publish()
        for lesson in source.lessons:
            _place(
                course,
                LessonPage,
                lesson.slug,
                {
                    "title": lesson.title,
                    "summary": lesson.summary,
                    "estimated_minutes": lesson.estimated_minutes,
                    "objectives": objectives(lesson.objectives),
                    "body": stream(lesson.body),
                },
                overwrite,
            )
    assign_demo_courses()
    return []


DEMO_ASSIGNMENTS = [
    # team, course slug, due in N days (negative: already overdue), note
    ("Equipo Norte", "conceptos-de-servicio", 14, "Es la base de todo lo demás."),
    (
        "Equipo Sur",
        "personalidades-de-clientes",
        -5,
        "Repasad las personalidades antes de la campaña.",
    ),
    ("Mostrador Centro", "diez-mandamientos", 30, "Es la base de todo lo demás."),
]


def assign_demo_courses():
    """Each team's supervisor assigns it a course, one of them already overdue, unless the
    team has it already; no emails are sent for demo data."""
    from datetime import timedelta

    from django.utils import timezone

    from people.models import Team

    from .models import TeamAssignment
    from .services import assign_course

    for team_name, slug, days, note in DEMO_ASSIGNMENTS:
        team = Team.objects.filter(name=team_name).first()
        course = CoursePage.objects.filter(slug=slug).first()
        supervisor = team.supervisors.first() if team else None
        if not (team and course and supervisor):
            continue
        if TeamAssignment.objects.filter(team=team, course=course).exists():
            continue
        assign_course(
            actor=supervisor,
            course=course,
            team=team,
            due_on=timezone.localdate() + timedelta(days=days),
            note=note,
            notify=False,
        )
