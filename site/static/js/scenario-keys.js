// Scenario editor: "Leads to" offers the keys of the scenario's customer lines and endings.
// One <datalist id="scenario-keys"> is filled from the key fields on the page each time a
// "Leads to" field gets focus, so blocks added, renamed or removed meanwhile are included.
// It only suggests: the field stays free text and the server's graph check is the rule.
(() => {
  const LIST_ID = "scenario-keys";

  const datalist = () => {
    let list = document.getElementById(LIST_ID);
    if (!list) {
      list = document.createElement("datalist");
      list.id = LIST_ID;
      document.body.append(list);
    }
    return list;
  };

  // The first words of what the block with this key says, to tell keys apart in the list.
  const firstWords = (keyInput) => {
    let block = keyInput.parentElement;
    while (block && !block.querySelector("textarea")) block = block.parentElement;
    const text = block ? block.querySelector("textarea").value.trim() : "";
    const words = text.split(/\s+/).filter(Boolean);
    return words.length > 6 ? `${words.slice(0, 6).join(" ")}…` : words.join(" ");
  };

  const refresh = () => {
    const list = datalist();
    const seen = new Set();
    const options = [];
    for (const input of document.querySelectorAll("input[data-scenario-key]")) {
      const key = input.value.trim();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const option = document.createElement("option");
      option.value = key;
      const words = firstWords(input);
      if (words) option.label = `${key} — ${words}`;
      options.push(option);
    }
    list.replaceChildren(...options);
  };

  document.addEventListener("focusin", (event) => {
    if (event.target.matches && event.target.matches("input[data-scenario-next]")) refresh();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
