"""Reading and checking a SCORM zip before anything of it is stored.

The rules, each with its own error (in the editor's language, Spanish first):
- the upload is a zip file, no bigger than SCORM_MAX_UPLOAD_MB;
- it holds at most SCORM_MAX_FILES files, and their declared sizes add up to at most
  SCORM_MAX_UNPACKED_MB (unpacking counts the bytes again: a zip may lie about its sizes);
- no member may leave the package's folder: no "..", no absolute path or drive letter, no
  backslash, no symbolic link;
- `imsmanifest.xml` is at the root, is well-formed XML (read with defusedxml: no entities,
  no external references) and names a schema version we run: SCORM 1.2, or SCORM 2004 3rd or
  4th edition;
- the launch file — the resource of the first item of the default organisation — is in the
  zip.
"""

import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .models import ScormVersion

MANIFEST = "imsmanifest.xml"
MB = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")

# The schema versions packages declare (metadata/schemaversion), as we store them.
SCHEMA_VERSIONS = {
    "1.2": ScormVersion.SCORM_12,
    "2004 3rd edition": ScormVersion.SCORM_2004_3,
    "cam 1.3": ScormVersion.SCORM_2004_3,
    "2004 4th edition": ScormVersion.SCORM_2004_4,
}


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    unpacked_bytes: int
    files: int

    @classmethod
    def from_settings(cls):
        return cls(
            upload_bytes=int(settings.SCORM_MAX_UPLOAD_MB * MB),
            unpacked_bytes=int(settings.SCORM_MAX_UNPACKED_MB * MB),
            files=int(settings.SCORM_MAX_FILES),
        )


@dataclass(frozen=True)
class PackageInfo:
    version: str
    title: str
    launch_path: str
    size: int  # declared unpacked bytes
    files: list  # the file members' names


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _child(element, name):
    found = _children(element, name)
    return found[0] if found else None


def unsafe_member(info):
    """Why a zip member could escape the package's folder, or None when it is safe."""
    name = info.filename
    if "\\" in name:
        return "backslash"
    if name.startswith("/") or _DRIVE.match(name):
        return "absolute"
    if ".." in name.split("/"):
        return "parent"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symlink"
    return None


def inspect(upload, limits=None):
    """Check the zip `upload` (a file object) against every rule above and describe it.
    Raises ValidationError with the first rule broken."""
    limits = limits or Limits.from_settings()
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > limits.upload_bytes:
        raise ValidationError(
            _("The package is %(size)s MB; the largest allowed is %(limit)s MB."),
            code="too_large",
            params={"size": round(size / MB, 1), "limit": round(limits.upload_bytes / MB, 1)},
        )
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise ValidationError(
            _("This file is not a zip file. A SCORM package is a .zip file."), code="not_zip"
        )
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(
            _("This zip file is damaged and cannot be read."), code="not_zip"
        ) from error
    for info in members:
        if unsafe_member(info):
            raise ValidationError(
                _(
                    "The package contains a file whose path leaves its folder (%(name)s): "
                    "paths with “..”, absolute paths, backslashes and links are not allowed."
                ),
                code="unsafe_path",
                params={"name": info.filename[:200]},
            )
    files = [info for info in members if not info.is_dir()]
    if len(files) > limits.files:
        raise ValidationError(
            _("The package has %(count)s files; the most allowed is %(limit)s."),
            code="too_many_files",
            params={"count": len(files), "limit": limits.files},
        )
    declared = sum(info.file_size for info in files)
    if declared > limits.unpacked_bytes:
        raise ValidationError(
            _("Unpacked, the package would take %(size)s MB; the most allowed is %(limit)s MB."),
            code="too_large_unpacked",
            params={
                "size": round(declared / MB, 1),
                "limit": round(limits.unpacked_bytes / MB, 1),
            },
        )
    names = {info.filename for info in files}
    if MANIFEST not in names:
        raise ValidationError(
            _(
                "The package has no imsmanifest.xml at its top level. Export the course from "
                "your authoring tool as a SCORM package, without putting it in another folder."
            ),
            code="no_manifest",
        )
    manifest_info = archive.getinfo(MANIFEST)
    if manifest_info.file_size > min(limits.unpacked_bytes, 5 * MB):
        raise ValidationError(_("imsmanifest.xml is too large."), code="manifest_too_large")
    try:
        root = ElementTree.fromstring(archive.read(MANIFEST))
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise ValidationError(
            _("imsmanifest.xml is not valid XML and cannot be read."), code="bad_manifest"
        ) from error
    version = _version(root)
    title, launch = _launch(root)
    launch = launch.split("?", 1)[0].split("#", 1)[0]
    launch = posixpath.normpath(launch) if launch else ""
    if not launch or launch.startswith(("../", "/")) or launch not in names:
        raise ValidationError(
            _(
                "The launch file named in imsmanifest.xml (%(href)s) is not in the package: "
                "the first item of the default organisation must point to a resource whose "
                "file is in the zip."
            ),
            code="no_launch_file",
            params={"href": launch or "—"},
        )
    return PackageInfo(
        version=version,
        title=title,
        launch_path=launch,
        size=declared,
        files=sorted(names),
    )


def _version(root):
    metadata = _child(root, "metadata")
    declared = ""
    if metadata is not None:
        element = _child(metadata, "schemaversion")
        declared = (element.text or "").strip() if element is not None else ""
    version = SCHEMA_VERSIONS.get(declared.lower())
    if version is None:
        raise ValidationError(
            _(
                "imsmanifest.xml declares the schema version “%(version)s”, which we do not run. "
                "Supported versions: SCORM 1.2, SCORM 2004 3rd edition and 4th edition."
            ),
            code="unknown_version",
            params={"version": declared[:50] or "—"},
        )
    return version


def _first_item_with_resource(element):
    for item in _children(element, "item"):
        if item.get("identifierref"):
            return item
        found = _first_item_with_resource(item)
        if found is not None:
            return found
    return None


def _launch(root):
    """The title of the default organisation and the href of its first item's resource."""
    organizations = _child(root, "organizations")
    organization = None
    title = ""
    if organizations is not None:
        candidates = _children(organizations, "organization")
        default = organizations.get("default")
        organization = next(
            (o for o in candidates if o.get("identifier") == default),
            candidates[0] if candidates else None,
        )
    item = None
    if organization is not None:
        title_element = _child(organization, "title")
        title = (title_element.text or "").strip() if title_element is not None else ""
        item = _first_item_with_resource(organization)
    href = ""
    resources = _child(root, "resources")
    if item is not None and resources is not None:
        base = resources.get("{http://www.w3.org/XML/1998/namespace}base") or ""
        for resource in _children(resources, "resource"):
            if resource.get("identifier") == item.get("identifierref"):
                resource_base = resource.get("{http://www.w3.org/XML/1998/namespace}base") or ""
                if resource.get("href"):
                    href = base + resource_base + resource.get("href")
                break
    return title, href
