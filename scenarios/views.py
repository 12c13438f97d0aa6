"""Thin views behind the scenario page's routes: plain form posts, then a redirect."""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import graph as scenario_graph
from .blocks import MOODS
from .map import scenario_map
from .models import Run
from .selectors import dimension_feedback, offered_choices, transcript
from .services import AlreadyTaken, ChoiceRefused, choose_offered, go_back, start_run


def _route(scenario, name, *args):
    return scenario.url + scenario.reverse_subpage(name, args=args)


def _open_run(request, scenario):
    return Run.objects.filter(
        person=request.user, scenario=scenario, finished_at__isnull=True
    ).first()


def _after(scenario, run):
    if run.is_finished:
        return redirect(_route(scenario, "result", run.number))
    return redirect(_route(scenario, "play"))


def start(request, scenario):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _after(scenario, start_run(person=request.user, scenario=scenario))


def play(request, scenario):
    run = _open_run(request, scenario)
    if run is None:
        return redirect(scenario.url)
    line = run.graph["lines"][run.current_key]
    return TemplateResponse(
        request,
        "scenarios/play.html",
        {
            "page": scenario,
            "scenario": scenario,
            "run": run,
            "line": line,
            "choices": offered_choices(run),
            "mood": dict(MOODS).get(line["mood"], line["mood"]),
            "transcript": transcript(run),
            "can_go_back": run.snapshot.get("allow_back") and run.steps.exists(),
        },
    )


def choose(request, scenario):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    run = _open_run(request, scenario)
    if run is None:
        last = Run.objects.filter(person=request.user, scenario=scenario).last()
        return _after(scenario, last) if last else redirect(scenario.url)
    try:
        run = choose_offered(run=run, token=request.POST.get("choice", ""))
    except AlreadyTaken:
        return redirect(_route(scenario, "play"))
    except ChoiceRefused:
        messages.error(
            request, _("That answer is not open at this point of the conversation any more.")
        )
        return redirect(_route(scenario, "play"))
    return _after(scenario, run)


def back(request, scenario):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    run = _open_run(request, scenario)
    if run is not None:
        try:
            go_back(run=run, turn=request.POST.get("turn", ""))
        except ChoiceRefused:
            if run.snapshot.get("allow_back"):
                messages.error(
                    request, _("The conversation had already moved on; this is where it stands.")
                )
            else:
                messages.error(request, _("This role-play does not allow going back."))
    return redirect(_route(scenario, "play"))


def result(request, scenario, number):
    """The agent's own finished run: outcome, debrief, per-dimension feedback, what to do
    with this personality, and the map of the path taken beside the best path."""
    run = Run.objects.filter(person=request.user, scenario=scenario, number=number).first()
    if run is None:
        raise Http404
    if not run.is_finished:
        return redirect(_route(scenario, "play"))
    graph = run.graph
    entries = transcript(run)
    taken = [(entry["step"].line_key, entry["step"].choice_index) for entry in entries]
    return TemplateResponse(
        request,
        "scenarios/result.html",
        {
            "page": scenario,
            "scenario": scenario,
            "course": scenario.course,
            "run": run,
            "ending": graph["endings"].get(run.ending_key),
            "critical_entry": next((e for e in entries if e["choice"].get("critical")), None),
            "transcript": entries,
            "dimensions": dimension_feedback(run),
            "personality": run.snapshot["personality"],
            "map": scenario_map(graph, taken=taken, best=scenario_graph.best_path(graph)),
        },
    )
