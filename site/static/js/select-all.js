// <select-all name="people">: a "select all" checkbox for the checkboxes of that name in
// the same form. It stays hidden without JavaScript (each checkbox still works on its own);
// it is a real checkbox with a label, so Space toggles it from the keyboard.
class SelectAll extends HTMLElement {
  connectedCallback() {
    const form = this.closest("form");
    const box = this.querySelector("input[type=checkbox]");
    if (!form || !box) return;
    const items = () => [...form.querySelectorAll(`input[type=checkbox][name="${this.getAttribute("name")}"]`)];
    const sync = () => {
      const all = items();
      const ticked = all.filter((item) => item.checked).length;
      box.checked = all.length > 0 && ticked === all.length;
      box.indeterminate = ticked > 0 && ticked < all.length;
    };
    box.addEventListener("change", () => {
      for (const item of items()) item.checked = box.checked;
    });
    form.addEventListener("change", (event) => {
      if (event.target !== box) sync();
    });
    sync();
    this.hidden = false;
  }
}
customElements.define("select-all", SelectAll);
