"""Course content kept in the repository as YAML, one file per lesson.

Layout: `courses/content/<NN>-<course-slug>/course.yaml` and, beside it, one
`<NN>-<lesson-slug>.yaml` per lesson, in the order of their file names. `load_courses()`
reads them; `problems()` lists what breaks our content rules, so a test can fail on it.
The loader that turns them into Wagtail pages lives in `courses/demo.py`.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"

DIMENSIONS = {
    "seguridad",
    "credibilidad",
    "comunicacion",
    "comprension-del-cliente",
    "accesibilidad",
    "cortesia",
    "profesionalismo",
    "capacidad-de-respuesta",
    "fiabilidad",
    "elementos-tangibles",
}
BLOCK_FIELDS = {
    "text": None,  # a Markdown string
    "key_points": {"title", "points"},
    "do_dont": {"title", "do", "dont"},
    "callout": {"kind", "title", "text"},
    "quote": {"text", "attribution"},
    "moment_of_truth": {"title", "situation", "good_response", "poor_response", "why"},
    "reflection": {"prompt"},
    "self_check": {"question", "answer"},
}
MIN_PROSE_WORDS = 250
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)


def count_words(text):
    return len(WORD.findall(text or ""))


@dataclass
class LessonSource:
    path: Path
    title: str
    slug: str
    summary: str
    estimated_minutes: int
    objectives: list
    body: list  # [{"type": ..., "value": ...}]

    @property
    def prose_words(self):
        """Words of running prose: the text blocks only, not lists, examples or checks."""
        return sum(count_words(block["value"]) for block in self.body if block["type"] == "text")

    def block_types(self):
        return [block["type"] for block in self.body]


@dataclass
class CourseSource:
    path: Path
    title: str
    slug: str
    summary: str
    estimated_minutes: int
    objectives: list
    dimensions: list
    lessons: list = field(default_factory=list)


def _read(path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _common(path, data):
    """The fields a course and a lesson file share, with safe defaults."""
    return {
        "path": path,
        "title": data.get("title", ""),
        "slug": data.get("slug", ""),
        "summary": data.get("summary", ""),
        "estimated_minutes": int(data.get("estimated_minutes") or 0),
        "objectives": list(data.get("objectives") or []),
    }


def load_course(directory):
    data = _read(directory / "course.yaml")
    course = CourseSource(**_common(directory, data), dimensions=list(data.get("dimensions") or []))
    for path in sorted(directory.glob("*.yaml")):
        if path.name != "course.yaml":
            lesson = _read(path)
            course.lessons.append(
                LessonSource(**_common(path, lesson), body=list(lesson.get("body") or []))
            )
    return course


def load_courses(content_dir=CONTENT_DIR):
    return [load_course(d) for d in sorted(content_dir.iterdir()) if (d / "course.yaml").exists()]


def lesson_problems(lesson):
    """What keeps a lesson from meeting our content rules: 2–4 learning objectives, at least
    250 words of prose, a call-centre or counter example (a moment of truth), a key-points
    block, and a self-check as the last block."""
    where = lesson.path.name
    found = []
    if not lesson.title or not lesson.slug or not lesson.summary:
        found.append(f"{where}: title, slug and summary are required")
    if not 2 <= len(lesson.objectives) <= 4:
        found.append(f"{where}: {len(lesson.objectives)} objectives (2 to 4 wanted)")
    if lesson.prose_words < MIN_PROSE_WORDS:
        found.append(f"{where}: {lesson.prose_words} words of prose ({MIN_PROSE_WORDS} wanted)")
    if not 3 <= lesson.estimated_minutes <= 60:
        found.append(f"{where}: estimated_minutes must be between 3 and 60")
    types = lesson.block_types()
    for kind in ("moment_of_truth", "key_points"):
        if kind not in types:
            found.append(f"{where}: no {kind} block")
    if not types or types[-1] != "self_check":
        found.append(f"{where}: the last block must be a self_check")
    for index, block in enumerate(lesson.body):
        kind, value = block.get("type"), block.get("value")
        if kind not in BLOCK_FIELDS:
            found.append(f"{where}: block {index + 1} has unknown type {kind!r}")
        elif BLOCK_FIELDS[kind] is None:
            if not isinstance(value, str) or not value.strip():
                found.append(f"{where}: block {index + 1} ({kind}) needs text")
        elif not isinstance(value, dict) or set(value) - BLOCK_FIELDS[kind]:
            found.append(f"{where}: block {index + 1} ({kind}) takes {sorted(BLOCK_FIELDS[kind])}")
    return found


def course_problems(course, min_lessons=1):
    where = course.path.name
    found = []
    if not course.title or not course.slug or not course.summary:
        found.append(f"{where}/course.yaml: title, slug and summary are required")
    if not 2 <= len(course.objectives) <= 6:
        found.append(f"{where}/course.yaml: 2 to 6 objectives wanted")
    unknown = set(course.dimensions) - DIMENSIONS
    if unknown or not course.dimensions:
        found.append(f"{where}/course.yaml: dimensions must be among {sorted(DIMENSIONS)}")
    if len(course.lessons) < min_lessons:
        found.append(f"{where}: {len(course.lessons)} lessons ({min_lessons} wanted)")
    slugs = [lesson.slug for lesson in course.lessons]
    if len(slugs) != len(set(slugs)):
        found.append(f"{where}: two lessons share a slug")
    for lesson in course.lessons:
        found.extend(lesson_problems(lesson))
    return found


if __name__ == "__main__":  # python -m courses.content [course folder …]: check the courses
    import sys

    courses = [load_course(Path(arg)) for arg in sys.argv[1:]] or load_courses()
    problems = [p for course in courses for p in course_problems(course)]
    for course in courses:
        words = sum(lesson.prose_words for lesson in course.lessons)
        sys.stdout.write(f"{course.path.name}: {len(course.lessons)} lessons, {words} words\n")
    sys.stdout.write("\n".join(problems) + ("\n" if problems else "no problems\n"))
    sys.exit(1 if problems else 0)
