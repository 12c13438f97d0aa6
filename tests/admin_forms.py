"""Reading Wagtail's editor pages in tests."""

from bs4 import BeautifulSoup


def form_autosaves(html):
    """Whether the editor form on this admin page carries Wagtail's autosave controller."""
    form = BeautifulSoup(html, "html.parser").select_one("form[data-edit-form]")
    assert form is not None, "no editor form on the page"
    return "w-autosave" in form.get("data-controller", "").split() or form.has_attr(
        "data-w-autosave-interval-value"
    )
