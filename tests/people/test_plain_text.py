"""Free text is stored as the text the person typed, with tags stripped and nothing
unescaped into markup; templates escape it on the way out."""

from django.urls import reverse

import pytest

from certification.models import CoachingNote
from courses.models import Reflection
from people.text import plain_text
from tests.courses.conftest import lessons_of
from tests.courses.test_reflections import reflection_url


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("&#60;script&#62;", "&#60;script&#62;"),
        ("a < b & c", "a < b & c"),
        ("3 > 2 && 1 < 2", "3 > 2 && 1 < 2"),
        ("<b>Negrita</b> y &amp; sola", "Negrita y &amp; sola"),
        ("<script>alert(1)</script>Hola", "alert(1)Hola"),
        ("<<script>script>alert(1)<</script>/script>", "alert(1)"),
        ("<img src=x onerror=alert(1)>Fin", "Fin"),
        ("Con\x00 nulo", "Con nulo"),
        ("  Línea 1\nLínea 2  ", "Línea 1\nLínea 2"),
    ],
)
def test_what_is_stored_is_the_typed_text_without_tags(typed, stored):
    assert plain_text(typed, 100) == stored


def test_cleaning_twice_changes_nothing():
    for typed in ["<<b>b>x<</b>/b>", "&amp;lt;", "a <b", "<scr<script>ipt>x"]:
        once = plain_text(typed, 100)
        assert plain_text(once, 100) == once
        assert "<b>" not in once and "<script" not in once


@pytest.mark.django_db
def test_a_typed_entity_round_trips_as_literal_text(client, agent, supervisor):
    client.force_login(supervisor)
    url = reverse("certification:agent_detail", args=[agent.pk])
    client.post(url, {"text": "Escribió &lt;script&gt; y a < b & c"})
    assert CoachingNote.objects.get().text == "Escribió &lt;script&gt; y a < b & c"
    html = client.get(url).content.decode()
    assert "Escribió &amp;lt;script&amp;gt; y a &lt; b &amp; c" in html
    assert "<script>" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_a_reflection_keeps_entities_as_typed(client, agent, course_factory):
    lesson = lessons_of(course_factory())[0]
    url, block_id = reflection_url(lesson)
    client.force_login(agent)
    client.post(url, {"text": "Nunca &lt;script&gt;, siempre a < b & c"})
    saved = Reflection.objects.get(person=agent, lesson=lesson, block_id=block_id)
    assert saved.text == "Nunca &lt;script&gt;, siempre a < b & c"
    assert (
        "Nunca &amp;lt;script&amp;gt;, siempre a &lt; b &amp; c"
        in client.get(lesson.url).content.decode()
    )
