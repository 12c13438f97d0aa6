"""What a learner sees around a lesson: the confirmation of a saved reflection where the
reflection is, the kind of each step in the outline, the outline beside the lesson, and new
content in a course they had already finished."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Enrolment, LessonPage, StepCompletion
from courses.services import complete_step
from tests.conftest import lesson_body

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def test_the_saved_reflection_is_confirmed_at_the_reflection(client, agent, course):
    lesson = lessons_of(course)[0]
    block = next(b for b in lesson.body if b.block_type == "reflection")
    client.force_login(agent)
    response = client.post(
        f"{lesson.url}reflexion/{block.id}/", {"text": "Saludaría antes."}, follow=True
    )
    html = response.content.decode()
    section = html[html.index(f'id="reflexion-{block.id}"') :]
    section = section[: section.index("</section>")]
    assert "Tu respuesta se ha guardado" in section
    assert 'role="status"' in section
    assert html.count("Tu respuesta se ha guardado") == 1  # not also at the top of the page


def test_the_outline_names_each_kind_of_step(client, agent, course):
    client.force_login(agent)
    html = client.get(course.url).content.decode()
    assert html.count('class="outline__kind">Lección</span>') == 3


def test_a_lesson_shows_the_course_outline_beside_it(client, agent, course):
    first, second, _ = lessons_of(course)
    client.force_login(agent)
    html = client.get(second.url).content.decode()
    aside = html[html.index('<aside class="lesson__outline"') :]
    aside = aside[: aside.index("</aside>")]
    assert first.title in aside and 'aria-current="step"' in aside
    assert aside.index(first.title) < aside.index('aria-current="step"')


def test_new_content_in_a_finished_course_is_announced_not_a_reopened_course(client, agent, course):
    for lesson in lessons_of(course):
        complete_step(person=agent, step=lesson)
    enrolment = Enrolment.objects.get(person=agent, course=course)
    assert enrolment.completed_at
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=timezone.now() - timedelta(days=3)
    )
    new = course.add_child(
        instance=LessonPage(title="Novedades del protocolo", slug="novedades", body=lesson_body())
    )
    new.save_revision().publish()

    client.force_login(agent)
    outline = client.get(course.url).content.decode()
    assert "Has completado este curso." in outline
    assert "Nuevo contenido desde que terminaste: 1 paso." in outline
    new_item = outline[outline.index("Novedades del protocolo") :]
    assert '<span class="badge badge--new">Nuevo</span>' in new_item[: new_item.index("</li>")]
    assert "100 %" in outline

    mine = client.get(reverse("courses:my_learning")).content.decode()
    card = mine[mine.index(course.title) :]
    card = card[: card.index("</li>")]
    assert "Completado" in card and "1 paso nuevo" in card and "100 %" in card

    complete_step(person=agent, step=new)
    assert StepCompletion.objects.filter(person=agent, step=new).exists()
    assert "Nuevo contenido" not in client.get(course.url).content.decode()
