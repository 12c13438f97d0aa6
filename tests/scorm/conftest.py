"""SCORM fixtures: the two test packages (tests/scorm/packages/), zipped at run time, stored
through the same service as the admin's upload, and courses whose step is one of them."""

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from scorm.models import ScormPackage, ScormPage
from scorm.services import store_package

PACKAGES = Path(__file__).parent / "packages"


def zip_folder(name, *, extra=None, skip=()):
    """The zip of tests/scorm/packages/<name>, with `extra` {path: bytes} added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((PACKAGES / name).rglob("*")):
            relative = path.relative_to(PACKAGES / name).as_posix()
            if path.is_file() and relative not in skip:
                archive.write(path, relative)
        for relative, data in (extra or {}).items():
            archive.writestr(relative, data)
    return buffer.getvalue()


def upload(data, name="paquete.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def store_test_package(name="scorm12_quiz", *, user=None, title=""):
    """One of the test packages, zipped and stored as the admin's upload stores it."""
    return store_package(
        package=ScormPackage(title=title),
        upload=upload(zip_folder(name), f"{name}.zip"),
        user=user,
    )


def add_scorm_step(course, name="scorm12_quiz", *, required=True):
    """A published SCORM step, the course's last, showing the test package `name`."""
    step = course.add_child(
        instance=ScormPage(
            title="Paquete de cortesía",
            slug="paquete",
            package=store_test_package(name),
            is_required=required,
        )
    )
    step.save_revision().publish()
    return ScormPage.objects.get(pk=step.pk)


@pytest.fixture
def package_factory(db):
    return store_test_package


@pytest.fixture
def scorm_course_factory(course_factory):
    """A published course whose steps are `lessons` lessons and then one SCORM step."""

    def make(name="scorm12_quiz", *, lessons=0, title=None, required=True):
        course = course_factory(title=title or f"Curso {name}", lessons=lessons)
        return course, add_scorm_step(course, name, required=required)

    return make
