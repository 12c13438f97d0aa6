"""Create the four role groups and give them their permissions.

Agente and Supervisor get no model permissions: what they may see is decided by
people/policy.py. RRHH manages people and teams (teams through the Wagtail admin). Editor
edits every page, image and document; later apps grant their snippets in their own
migrations.
"""

from django.db import migrations

ADMIN_ACCESS = ("wagtailadmin", "admin", "access_admin")
HR_PERMISSIONS = [
    ADMIN_ACCESS,
    *[("people", "user", f"{action}_user") for action in ("add", "change", "view")],
    *[("people", "team", f"{action}_team") for action in ("add", "change", "view", "delete")],
    *[("people", "membership", f"{action}_membership") for action in ("view",)],
    *[("people", "peopleimport", f"{action}_peopleimport") for action in ("add", "view")],
]
EDITOR_PERMISSIONS = [ADMIN_ACCESS]
EDITOR_PAGE_PERMISSIONS = [
    "add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page",
]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "choose_document"),
]
ROLES = ["Agente", "Supervisor", "RRHH", "Editor"]


def get_permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    groups["RRHH"].permissions.add(*[get_permission(apps, *p) for p in HR_PERMISSIONS])
    groups["Editor"].permissions.add(*[get_permission(apps, *p) for p in EDITOR_PERMISSIONS])

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=groups["Editor"],
                page=root_page,
                permission=get_permission(apps, "wagtailcore", "page", codename),
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for spec in EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=groups["Editor"],
                collection=root_collection,
                permission=get_permission(apps, *spec),
            )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
