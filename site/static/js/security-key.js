// A security key that did not answer (cancelled, timed out, unknown key): allauth's WebAuthn
// script announces it as an "allauth.error" event; show the page's own message, in its
// alert region, instead of a console error the person never sees.
(function () {
  document.addEventListener("allauth.error", function (event) {
    const message = document.getElementById("security-key-error");
    if (!message) {
      return;
    }
    event.preventDefault();
    message.hidden = false;
  });
})();
