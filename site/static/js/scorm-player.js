// The SCORM player of a course step: scorm-again's run-time API (static/scorm-again/), set up
// from the settings the page carries (#scorm-runtime, written by scorm.selectors), then the
// package opened in the frame. The package finds the API the standard way, on its parent
// window: window.API (SCORM 1.2) or window.API_1484_11 (SCORM 2004).
(function () {
    "use strict";
    var source = document.getElementById("scorm-runtime");
    var frame = document.querySelector("[data-scorm-frame]");
    var status = document.querySelector("[data-scorm-status]");
    if (!source || !frame || !window.Scorm12API) {
        return;
    }
    var runtime = JSON.parse(source.textContent);
    var settings = {
        lmsCommitUrl: runtime.commitUrl || false,
        dataCommitFormat: "json",
        autocommit: Boolean(runtime.commitUrl),
        autocommitSeconds: runtime.autocommitSeconds,
        xhrHeaders: {"X-CSRFToken": runtime.csrfToken},
        fetchMode: "same-origin",
        // The commit sent by LMSFinish/Terminate carries ?terminate=true: the server adds
        // that session's time to the attempt's total then.
        terminateCommitParam: "terminate",
        logLevel: 4
    };
    var is12 = runtime.version === "1.2";
    var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    api.loadFromJSON(runtime.cmi);
    if (is12) {
        window.API = api;
    } else {
        window.API_1484_11 = api;
    }
    var finished = is12 ? "LMSFinish" : "Terminate";
    api.on(finished, function () {
        if (status) {
            status.textContent = status.getAttribute("data-saved") || "";
        }
    });
    frame.src = runtime.launchUrl;
})();
