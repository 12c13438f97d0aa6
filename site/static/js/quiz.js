// Quiz enhancements: save each answer as it changes, and count down the time left.
// Without JavaScript the buttons save the answer on every step, so nothing depends on this.

const form = document.querySelector("form[data-autosave]");
if (form) {
  const status = form.querySelector("[data-autosave-status]");
  const say = (text) => { if (status) status.textContent = text; };
  const messages = document.documentElement.lang.startsWith("es")
    ? { saving: "Guardando…", saved: "Respuesta guardada.", failed: "No se pudo guardar; se guardará al continuar." }
    : { saving: "Saving…", saved: "Answer saved.", failed: "Could not save; it will be saved when you continue." };
  let pending = null;
  form.addEventListener("change", () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      say(messages.saving);
      try {
        const response = await fetch(form.dataset.autosave, {
          method: "POST",
          body: new FormData(form),
          headers: { "X-Requested-With": "fetch" },
          credentials: "same-origin",
        });
        const data = await response.json();
        if (data.closed) {
          // Submitted meanwhile (the timer, another tab): this answer was refused, not lost
          // silently. Say so and show the way to the result.
          say(data.message || messages.failed);
          if (status && data.redirect) {
            const link = document.createElement("a");
            link.href = data.redirect;
            link.textContent = data.link || data.redirect;
            status.append(" ", link);
          }
          return;
        }
        say(data.saved ? messages.saved : messages.failed);
      } catch {
        say(messages.failed);
      }
    }, 250);
  });
}

const timer = document.querySelector(".quiz-timer[data-seconds]");
if (timer) {
  const text = timer.querySelector("[data-timer-text]");
  const end = Date.now() + Number(timer.dataset.seconds) * 1000;
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    text.textContent = `${minutes}:${String(left % 60).padStart(2, "0")}`;
    if (left === 0) {
      // Time is up: save what is on the page and submit; the server enforces it anyway.
      const target = document.querySelector("form[data-timer-submit]");
      if (target) {
        const action = document.createElement("input");
        Object.assign(action, { type: "hidden", name: "action", value: "submit" });
        target.append(action);
        target.submit();
      }
      return;
    }
    setTimeout(tick, 1000);
  };
  tick();
}
