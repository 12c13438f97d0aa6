"""Free text typed by people (reflections, coaching notes) is kept as plain text."""

import html

import bleach

# Characters no text of ours stores: NUL (PostgreSQL refuses it in text) and the other C0
# controls except tab and line breaks.
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def plain_text(text, max_length):
    """The text as typed with any tags removed, trimmed and cut to `max_length` characters.

    Only markup is removed: everything else, including what looks like an entity
    (`&lt;script&gt;`) and a bare `<` or `&`, is stored exactly as typed, so the stored value
    is text and templates escape it on output. `&` is escaped before bleach so that its
    escaping, undone afterwards, never decodes an entity the person typed; cleaning repeats
    until nothing changes, so tags hidden inside tags (`<<b>b>`) cannot reassemble."""
    text = (text or "").translate(_CONTROL)
    for _ in range(10):
        cleaned = html.unescape(bleach.clean(text.replace("&", "&amp;"), tags=[], strip=True))
        if cleaned == text:
            break
        text = cleaned
    return text.strip()[:max_length]
