from django import template

from ..page_cache import render_body

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_body(context, page):
    """The lesson's blocks, each as `include_block` renders it; the ones every learner sees
    alike come from the cache (courses/page_cache.py)."""
    return render_body(page, context)
