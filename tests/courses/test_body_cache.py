"""Lesson bodies come from a cache per published revision and language: an editor's publish
shows at once, English and Spanish never mix, a preview never enters the cache, and one
learner's reflection is never shown to another."""

import re

from django.conf import settings
from django.template import Context
from django.utils import translation
from django.utils.translation import gettext

import pytest

from courses.models import LessonPage, Reflection
from courses.page_cache import render_body

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def _publish_text(lesson, text):
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body[0] = ("text", f"<p>{text}</p>")  # a RichText block from its source
    lesson.save_revision().publish()


def test_an_editors_publish_shows_at_the_next_view(client, agent, course):
    lesson = lessons_of(course)[0]
    client.force_login(agent)
    assert "servicio servicio" in client.get(lesson.url).content.decode()  # now cached
    _publish_text(lesson, "Texto nuevo del editor.")
    html = client.get(lesson.url).content.decode()
    assert "Texto nuevo del editor." in html and "servicio servicio" not in html


def test_a_preview_neither_reads_nor_fills_the_cache(rf, agent, course):
    lesson = lessons_of(course)[0]
    client_context = {"request": rf.get(lesson.url), "page": lesson}
    client_context["request"].user = agent
    render_body(lesson, Context(client_context))  # the published body, now cached
    draft = LessonPage.objects.get(pk=lesson.pk)
    draft.body[0] = ("text", "<p>Borrador sin publicar.</p>")
    draft = draft.save_revision().as_object()
    preview = rf.get(lesson.url)
    preview.user, preview.is_preview = agent, True
    assert "Borrador sin publicar." in render_body(draft, Context({"request": preview}))
    published = render_body(LessonPage.objects.get(pk=lesson.pk), Context(client_context))
    assert "Borrador sin publicar." not in published and "servicio servicio" in published


def test_english_and_spanish_never_mix(client, agent, course):
    lesson = lessons_of(course)[0]
    with translation.override("es"):
        in_spanish = gettext("Check what you learned")
    assert in_spanish != "Check what you learned"
    client.force_login(agent)
    spanish = client.get(lesson.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(lesson.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish_again = client.get(lesson.url).content.decode()
    assert in_spanish in spanish and "Check what you learned" not in spanish
    assert "Check what you learned" in english and in_spanish not in english
    assert spanish_again == spanish.replace(_token(spanish), _token(spanish_again))


def test_one_learners_reflection_is_never_shown_to_another(client, agent, teammate, course):
    lesson = lessons_of(course)[0]
    block = next(b for b in lesson.body if b.block_type == "reflection")
    Reflection.objects.create(
        person=agent, lesson=lesson, block_id=block.id, text="Mi respuesta privada."
    )
    client.force_login(agent)
    assert "Mi respuesta privada." in client.get(lesson.url).content.decode()
    client.force_login(teammate)
    html = client.get(lesson.url).content.decode()
    assert "Mi respuesta privada." not in html
    assert f'action="{lesson.url}reflexion/{block.id}/"' in html  # their own form, live


def _token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _body(html):
    body = html[html.index('<div class="lesson__body">') : html.index('<footer class="lesson')]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_the_cached_body_is_the_body_rendered_afresh(client, agent, course):
    lesson = lessons_of(course)[0]
    client.force_login(agent)
    afresh = client.get(lesson.url).content.decode()
    cached = client.get(lesson.url).content.decode()
    assert _body(cached) == _body(afresh)
    assert "Ideas clave" in _body(cached) and "reflexion" in _body(cached)
