"""Editors' documents are internal unless published on purpose.

A data migration (people 0005) creates two collections under the root: «Documentos
internos», whose view restriction asks for sign-in, and «Documentos públicos», without one.
Documents are served through Wagtail's view (WAGTAILDOCS_SERVE_METHOD = "serve_view"), which
enforces the restriction."""

from wagtail.documents.forms import BaseDocumentForm
from wagtail.models import Collection

INTERNAL_COLLECTION = "Documentos internos"
PUBLIC_COLLECTION = "Documentos públicos"


class DocumentForm(BaseDocumentForm):
    """A new document left in the root collection (what the upload screens offer first)
    goes into «Documentos internos»; making one public means choosing «Documentos públicos»
    (or another collection without a restriction) when uploading or editing it."""

    def save(self, commit=True):
        adding = self.instance._state.adding
        document = super().save(commit=False)
        if adding and (document.collection_id is None or document.collection.is_root()):
            internal = Collection.objects.filter(name=INTERNAL_COLLECTION).first()
            if internal is not None:
                document.collection = internal
        if commit:
            document.save()
            self.save_m2m()
        return document
