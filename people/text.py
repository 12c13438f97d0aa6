"""Free text typed by people (reflections, coaching notes) is kept as plain text."""

import html

import bleach


def plain_text(text, max_length):
    """The text with any markup removed (bleach), entities decoded, trimmed, and cut to
    `max_length` characters."""
    return html.unescape(bleach.clean(text or "", tags=[], strip=True)).strip()[:max_length]
