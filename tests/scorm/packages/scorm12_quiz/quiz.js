// A SCORM 1.2 quiz: finds the LMS's API on a parent window (the standard search), keeps the
// answers in cmi.suspend_data and the next question in cmi.core.lesson_location after each
// answer (LMSCommit), and at the end reports the score and passed/failed, then LMSFinish.
(function () {
  "use strict";
  function findAPI(win) {
    for (var tries = 0; win && tries < 8; tries++) {
      if (win.API) { return win.API; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window.parent) || (window.opener && findAPI(window.opener));
  var started = Date.now();
  var questions = window.QUESTIONS;
  var answers = [];
  function $(id) { return document.getElementById(id); }
  function timespan(ms) {
    var s = Math.round(ms / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return "00" + two(h) + ":" + two(m) + ":" + two(s);
  }
  function save() {
    api.LMSSetValue("cmi.suspend_data", JSON.stringify({answers: answers}));
    api.LMSSetValue("cmi.core.lesson_location", String(answers.length));
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSSetValue("cmi.core.session_time", timespan(Date.now() - started));
    api.LMSCommit("");
  }
  function show(index) {
    var question = questions[index];
    $("progress").textContent = "Pregunta " + (index + 1) + " de " + questions.length;
    $("question").textContent = question.text;
    var options = $("options");
    options.textContent = "";
    question.options.forEach(function (text, n) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "option";
      input.value = String(n);
      input.required = true;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + text));
      var line = document.createElement("div");
      line.appendChild(label);
      options.appendChild(line);
    });
  }
  function finish() {
    var right = answers.filter(function (a, n) { return a === questions[n].answer; }).length;
    var score = Math.round((100 * right) / questions.length);
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.score.raw", String(score));
    api.LMSSetValue("cmi.core.lesson_status", score >= 50 ? "passed" : "failed");
    api.LMSSetValue("cmi.suspend_data", JSON.stringify({answers: answers}));
    api.LMSSetValue("cmi.core.lesson_location", String(answers.length));
    api.LMSSetValue("cmi.core.exit", "");
    api.LMSSetValue("cmi.core.session_time", timespan(Date.now() - started));
    api.LMSCommit("");
    api.LMSFinish("");
    $("quiz").hidden = true;
    $("progress").textContent = "";
    $("result").textContent = "Has terminado. Tu puntuación: " + score + " de 100.";
  }
  if (!api) {
    $("result").textContent = "No se encuentra la plataforma de formación (API SCORM).";
    $("quiz").hidden = true;
    return;
  }
  api.LMSInitialize("");
  var saved = api.LMSGetValue("cmi.suspend_data");
  if (saved) {
    try { answers = JSON.parse(saved).answers || []; } catch (e) { answers = []; }
  }
  if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  }
  $("quiz").addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = document.querySelector("input[name=option]:checked");
    if (!chosen) { return; }
    answers.push(Number(chosen.value));
    if (answers.length >= questions.length) {
      finish();
    } else {
      save();
      show(answers.length);
    }
  });
  if (answers.length >= questions.length) {
    finish();
  } else {
    show(answers.length);
  }
})();
