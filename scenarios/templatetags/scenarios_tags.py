from django import template

register = template.Library()


@register.filter
def quoted(text):
    """The agent's words between «guillemets», once: role-play choices are usually written
    already quoted, so only text that is not gets them added."""
    text = (text or "").strip()
    if text.startswith("«") and text.endswith("»"):
        return text
    return f"«{text}»"
