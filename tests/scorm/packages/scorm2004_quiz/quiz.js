// A SCORM 2004 quiz: finds API_1484_11 on a parent window (the standard search), keeps the
// answers in cmi.suspend_data and the next question in cmi.location after each answer
// (Commit), and at the end reports the scaled score, completed and passed/failed, then
// Terminate.
(function () {
  "use strict";
  function findAPI(win) {
    for (var tries = 0; win && tries < 8; tries++) {
      if (win.API_1484_11) { return win.API_1484_11; }
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
  function duration(ms) {
    return "PT" + Math.round(ms / 1000) + "S";
  }
  function remember() {
    api.SetValue("cmi.suspend_data", JSON.stringify({answers: answers}));
    api.SetValue("cmi.location", String(answers.length));
    api.SetValue("cmi.session_time", duration(Date.now() - started));
  }
  function save() {
    remember();
    api.SetValue("cmi.exit", "suspend");
    api.Commit("");
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
    var scaled = right / questions.length;
    api.SetValue("cmi.score.min", "0");
    api.SetValue("cmi.score.max", String(questions.length));
    api.SetValue("cmi.score.raw", String(right));
    api.SetValue("cmi.score.scaled", scaled.toFixed(2));
    api.SetValue("cmi.completion_status", "completed");
    api.SetValue("cmi.success_status", scaled >= 0.5 ? "passed" : "failed");
    remember();
    api.SetValue("cmi.exit", "normal");
    api.Commit("");
    api.Terminate("");
    $("quiz").hidden = true;
    $("progress").textContent = "";
    $("result").textContent =
      "Has terminado. Tu puntuación: " + right + " de " + questions.length + ".";
  }
  if (!api) {
    $("result").textContent = "No se encuentra la plataforma de formación (API SCORM 2004).";
    $("quiz").hidden = true;
    return;
  }
  api.Initialize("");
  var saved = api.GetValue("cmi.suspend_data");
  if (saved) {
    try { answers = JSON.parse(saved).answers || []; } catch (e) { answers = []; }
  }
  api.SetValue("cmi.completion_status", "incomplete");
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
