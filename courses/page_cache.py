"""What is cached of published pages: their routes (courses/routing.py) and the rendered
bodies of lessons, per page, published revision and language.

A lesson's blocks look the same to every learner except its reflections (the learner's own
answer and the form's CSRF token), so every other block's HTML is rendered once per
published revision and language and read from the cache after that. What a block shows can
also depend on other content (a linked page's address, an image's rendition, a document),
so any save, publish, unpublish, move or deletion of a page, any change of a view
restriction, and any change of an image, document or site starts a new generation of the
cache: the next view routes and renders afresh. Previews are never cached, nor read from
the cache. Entries also expire after a day (routes after ten minutes), for changes made
behind the ORM's back.
"""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.safestring import mark_safe

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "courses.page_cache.generation"
TIMEOUT = 60 * 60 * 24
PERSONAL_BLOCKS = {"reflection"}  # rendered for each request: they show the learner's own


def _deployed_version():
    """A digest of the block templates and the message catalogues: a deploy that changes how
    blocks look, or what they say, never meets the HTML the previous one cached."""
    files = sorted((Path(__file__).parent / "templates" / "courses" / "blocks").glob("*.html"))
    for locale in settings.LOCALE_PATHS:
        files += sorted(Path(locale).glob("*/LC_MESSAGES/django.mo"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


VERSION = _deployed_version()


def generation(request=None, known=None):
    """The current generation of cached page content, read once per request (`known`: the
    value just read along with something else)."""
    current = getattr(request, "_courses_cache_generation", None) or known
    if current is None:
        current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        current = cache.get(GENERATION_KEY)
    if request is not None:
        request._courses_cache_generation = current
    return current


def new_generation(**kwargs):
    """Forget every cached body, now and once the change is committed (a view between the
    two could otherwise cache what it read before the commit)."""

    def renew():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def _render_block(block, context):
    return block.render_as_block(context={**context.flatten(), "block_id": block.id})


def render_body(page, context):
    """The HTML of `page.body` as `{% include_block block with block_id=block.id %}` for
    each block would give, the shared blocks from the cache."""
    request = context.get("request")
    if getattr(request, "is_preview", False) or not page.live_revision_id:
        return mark_safe("".join(_render_block(block, context) for block in page.body))  # noqa: S308
    key = ":".join(
        (
            "courses.body",
            VERSION,
            generation(request),
            str(page.pk),
            str(page.live_revision_id),
            translation.get_language() or "",
        )
    )
    fragments = cache.get(key)
    if fragments is None:
        fragments = [
            None if block.block_type in PERSONAL_BLOCKS else str(_render_block(block, context))
            for block in page.body
        ]
        cache.set(key, fragments, TIMEOUT)
    # The fragments are the blocks' own rendered (escaped) HTML, as include_block gives.
    return mark_safe(  # noqa: S308
        "".join(
            html if html is not None else str(_render_block(page.body[i], context))
            for i, html in enumerate(fragments)
        )
    )


page_published.connect(new_generation, dispatch_uid="courses_page_cache_published")
page_unpublished.connect(new_generation, dispatch_uid="courses_page_cache_unpublished")
post_page_move.connect(new_generation, dispatch_uid="courses_page_cache_moved")


@receiver(post_save, dispatch_uid="courses_page_cache_saved")
@receiver(post_delete, dispatch_uid="courses_page_cache_deleted")
def _content_changed(sender, **kwargs):
    changes_pages = (Page, PageViewRestriction, Site, get_image_model(), get_document_model())
    if issubclass(sender, changes_pages):
        new_generation()
