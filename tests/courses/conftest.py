import pytest

from courses.models import LessonPage


@pytest.fixture
def course(course_factory):
    return course_factory()


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))
