"""Two document collections under the root: «Documentos internos» (sign-in required, where
new uploads go) and «Documentos públicos»; documents already in the root become internal."""

from django.db import migrations

INTERNAL, PUBLIC = "Documentos internos", "Documentos públicos"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, 4 characters per level


def _step(number):
    text = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        text = ALPHABET[digit] + text
    return text


def _add_child(Collection, root, name):
    existing = Collection.objects.filter(name=name, depth=root.depth + 1).first()
    if existing:
        return existing
    last = (
        Collection.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-4:], 36) + 1 if last else 1
    child = Collection.objects.create(
        name=name, path=root.path + _step(number), depth=root.depth + 1, numchild=0
    )
    root.numchild += 1
    root.save(update_fields=["numchild"])
    return child


def create(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Document = apps.get_model("wagtaildocs", "Document")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    internal = _add_child(Collection, root, INTERNAL)
    _add_child(Collection, Collection.objects.get(pk=root.pk), PUBLIC)
    if not Restriction.objects.filter(collection=internal).exists():
        Restriction.objects.create(collection=internal, restriction_type="login", password="")
    Document.objects.filter(collection=root).update(collection=internal)


def remove(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Document = apps.get_model("wagtaildocs", "Document")
    root = Collection.objects.filter(depth=1).first()
    for name in (INTERNAL, PUBLIC):
        for collection in Collection.objects.filter(name=name, depth=2):
            Document.objects.filter(collection=collection).update(collection=root)
            collection.delete()
            root.numchild -= 1
    if root is not None:
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0010_add_submitted_form"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create, remove)]
