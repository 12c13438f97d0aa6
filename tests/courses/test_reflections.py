"""A learner's reflections are cleaned and private."""

import pytest

from courses.models import Reflection

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def reflection_url(lesson):
    block = next(block for block in lesson.body if block.block_type == "reflection")
    return f"{lesson.url}reflexion/{block.id}/", block.id


def test_a_reflection_is_saved_cleaned_and_shown_to_its_author(client, agent, course):
    lesson = lessons_of(course)[0]
    url, block_id = reflection_url(lesson)
    client.force_login(agent)
    response = client.post(url, {"text": "Saludaría <script>alert(1)</script>antes & después"})
    assert response.status_code == 302
    saved = Reflection.objects.get(person=agent, lesson=lesson, block_id=block_id)
    assert "<script>" not in saved.text and "antes & después" in saved.text
    html = client.get(lesson.url).content.decode()
    assert "antes &amp; después" in html
    assert "<script>alert" not in html


def test_nobody_else_sees_a_reflection(client, agent, teammate, supervisor, hr, course):
    lesson = lessons_of(course)[0]
    url, _ = reflection_url(lesson)
    client.force_login(agent)
    client.post(url, {"text": "Mi respuesta privada"})
    for other in (teammate, supervisor, hr):
        client.force_login(other)
        assert "Mi respuesta privada" not in client.get(lesson.url).content.decode()


def test_an_empty_answer_removes_the_reflection(client, agent, course):
    lesson = lessons_of(course)[0]
    url, _ = reflection_url(lesson)
    client.force_login(agent)
    client.post(url, {"text": "Algo"})
    client.post(url, {"text": "   "})
    assert not Reflection.objects.exists()


def test_an_unknown_prompt_is_ignored(client, agent, course):
    lesson = lessons_of(course)[0]
    client.force_login(agent)
    client.post(f"{lesson.url}reflexion/00000000-0000-0000-0000-000000000000/", {"text": "x"})
    assert not Reflection.objects.exists()
