"""Every rule an uploaded SCORM zip must pass, each with its own error, before anything of it
is stored."""

import io
import stat
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

import pytest

from scorm.manifest import MB, Limits, inspect
from scorm.models import ScormPackage, ScormVersion
from scorm.services import store_package, unpack
from tests.scorm.conftest import PACKAGES, upload, zip_folder

pytestmark = pytest.mark.django_db

MANIFEST_12 = (PACKAGES / "scorm12_quiz" / "imsmanifest.xml").read_text(encoding="utf-8")


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            if isinstance(data, zipfile.ZipInfo):
                archive.writestr(data, b"x")
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def error_code(data, limits=None):
    with pytest.raises(ValidationError) as caught:
        inspect(upload(data), limits)
    return caught.value.code


def test_the_two_test_packages_pass_and_are_described():
    info = inspect(upload(zip_folder("scorm12_quiz")))
    assert info.version == ScormVersion.SCORM_12
    assert info.launch_path == "index.html"
    assert info.title == "Cuestionario de cortesía (SCORM 1.2)"
    info = inspect(upload(zip_folder("scorm2004_quiz")))
    assert info.version == ScormVersion.SCORM_2004_4


def test_2004_third_edition_is_recognised():
    manifest = MANIFEST_12.replace("<schemaversion>1.2", "<schemaversion>2004 3rd Edition")
    data = zipped({"imsmanifest.xml": manifest, "index.html": "<html></html>"})
    assert inspect(upload(data)).version == ScormVersion.SCORM_2004_3


def test_a_file_that_is_not_a_zip_is_refused():
    assert error_code(b"%PDF-1.4 not a zip at all") == "not_zip"


def test_a_zip_without_manifest_is_refused():
    assert error_code(zip_folder("scorm12_quiz", skip={"imsmanifest.xml"})) == "no_manifest"


def test_a_manifest_in_a_subfolder_is_not_found():
    data = zipped({"curso/imsmanifest.xml": MANIFEST_12, "curso/index.html": "x"})
    assert error_code(data) == "no_manifest"


def test_a_manifest_that_is_not_xml_is_refused():
    assert error_code(zipped({"imsmanifest.xml": "<manifest><oops", "index.html": "x"})) == (
        "bad_manifest"
    )


def test_a_manifest_with_entities_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<manifest>&b;</manifest>"
    )
    assert error_code(zipped({"imsmanifest.xml": bomb, "index.html": "x"})) == "bad_manifest"


@pytest.mark.parametrize("declared", ["2004 2nd Edition", "CAM 1.2", "", "1.3"])
def test_an_unknown_schema_version_is_refused(declared):
    manifest = MANIFEST_12.replace("<schemaversion>1.2", f"<schemaversion>{declared}")
    data = zipped({"imsmanifest.xml": manifest, "index.html": "x"})
    assert error_code(data) == "unknown_version"


def test_a_missing_launch_file_is_refused():
    assert error_code(zip_folder("scorm12_quiz", skip={"index.html"})) == "no_launch_file"


def test_a_manifest_whose_first_item_has_no_resource_is_refused():
    manifest = MANIFEST_12.replace('identifierref="res-quiz"', 'identifierref="nowhere"')
    assert error_code(zipped({"imsmanifest.xml": manifest, "index.html": "x"})) == (
        "no_launch_file"
    )


def test_the_default_organisation_decides_the_launch_file():
    manifest = MANIFEST_12.replace(
        '<organizations default="org-quiz">',
        '<organizations default="org-quiz"><organization identifier="other"><title>Otra</title>'
        '<item identifier="i2" identifierref="res-other"><title>x</title></item></organization>',
    ).replace(
        "<resources>",
        '<resources><resource identifier="res-other" type="webcontent" href="other.html"/>',
    )
    data = zipped({"imsmanifest.xml": manifest, "index.html": "x"})
    assert inspect(upload(data)).launch_path == "index.html"


@pytest.mark.parametrize(
    "name",
    ["../evil.html", "a/../../evil.html", "/etc/evil.html", "C:/evil.html", "a\\..\\evil.html"],
)
def test_a_path_leaving_the_package_is_refused(name):
    data = zip_folder("scorm12_quiz", extra={name: b"x"})
    assert error_code(data) == "unsafe_path"


def test_a_symbolic_link_is_refused():
    link = zipfile.ZipInfo("enlace")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    data = zip_folder("scorm12_quiz", extra={})
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    assert error_code(buffer.getvalue()) == "unsafe_path"


def test_an_oversized_upload_is_refused():
    limits = Limits(upload_bytes=1000, unpacked_bytes=10 * MB, files=100)
    data = zip_folder("scorm12_quiz", extra={"relleno.bin": bytes(range(256)) * 40})
    assert error_code(data, limits) == "too_large"


def test_the_declared_unpacked_size_is_limited():
    limits = Limits(upload_bytes=10 * MB, unpacked_bytes=100_000, files=100)
    data = zip_folder("scorm12_quiz", extra={"ceros.bin": bytes(200_000)})
    assert error_code(data, limits) == "too_large_unpacked"


def test_the_number_of_files_is_limited():
    limits = Limits(upload_bytes=10 * MB, unpacked_bytes=10 * MB, files=5)
    data = zip_folder("scorm12_quiz", extra={f"f{n}.txt": b"x" for n in range(5)})
    assert error_code(data, limits) == "too_many_files"


def test_a_zip_that_lies_about_its_sizes_is_stopped_while_unpacking():
    """A zip bomb declaring small sizes passes the check of declared sizes; unpacking stops
    at what it declared, says the zip is damaged, and removes what it wrote."""
    data = bytearray(zip_folder("scorm12_quiz", extra={"bomba.bin": bytes(300_000)}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("bomba.bin")
    data[info.header_offset + 22 : info.header_offset + 26] = (10).to_bytes(4, "little")
    header = bytes(data).rfind(b"bomba.bin") - 46  # its central directory entry
    assert bytes(data)[header : header + 4] == b"PK\x01\x02"
    data[header + 24 : header + 28] = (10).to_bytes(4, "little")
    assert inspect(upload(bytes(data))).size < 10_000  # the lie passes the declared check
    with pytest.raises(ValidationError) as caught:
        store_package(package=ScormPackage(title="Bomba"), upload=upload(bytes(data)))
    assert caught.value.code == "not_zip"
    assert ScormPackage.objects.count() == 0
    assert _all_files() == []


def test_unpacking_counts_the_bytes_it_writes():
    """Past the unpacked limit while writing, unpacking stops and removes what it wrote."""
    data = zip_folder("scorm12_quiz", extra={"ceros.bin": bytes(300_000)})
    info = inspect(upload(data))
    limits = Limits(upload_bytes=10 * MB, unpacked_bytes=100_000, files=100)
    with pytest.raises(ValidationError) as caught:
        unpack(upload=upload(data), info=info, limits=limits)
    assert caught.value.code == "too_large_unpacked"
    assert _all_files() == []


def _all_files():
    if not default_storage.exists("scorm"):
        return []
    found = []
    stack = ["scorm"]
    while stack:
        folder = stack.pop()
        dirs, files = default_storage.listdir(folder)
        found += [f"{folder}/{f}" for f in files]
        stack += [f"{folder}/{d}" for d in dirs]
    return found


def test_a_good_package_is_unpacked_under_its_own_folder(editor):
    package = store_package(
        package=ScormPackage(), upload=upload(zip_folder("scorm12_quiz")), user=editor
    )
    assert package.unpack_dir.startswith("scorm/") and len(package.unpack_dir) == 38
    assert package.title == "Cuestionario de cortesía (SCORM 1.2)"
    assert package.uploaded_by == editor and package.file_count == 4
    assert default_storage.exists(package.storage_name("index.html"))
    assert default_storage.exists(package.storage_name("quiz.js"))
