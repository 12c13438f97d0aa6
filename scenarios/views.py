"""Thin views behind the scenario page's routes: plain form posts, then a redirect."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import graph as scenario_graph
from .blocks import MOODS
from .map import scenario_map
from .models import Run, ScenarioPage
from .selectors import dimension_feedback, offered_choices, transcript
from .services import (
    AlreadyTaken,
    ChoiceRefused,
    NoOpenRun,
    choose_for,
    go_back,
    start_run,
)


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
    """The scenario page's own choice route (older pages and tabs)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _choose(request, scenario.pk, scenario)


@require_POST
def choose_in(request, scenario_id):
    """Take the posted choice: a plain URL outside Wagtail's page routing (the choice is the
    hot path of a role-play); the run, found by person and scenario, names the page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _choose(request, scenario_id)


def _choose(request, scenario_id, scenario=None):
    try:
        run = choose_for(
            person=request.user, scenario_id=scenario_id, token=request.POST.get("choice", "")
        )
    except NoOpenRun:
        scenario = scenario or get_object_or_404(ScenarioPage.objects.live(), pk=scenario_id)
        last = Run.objects.filter(person=request.user, scenario=scenario).last()
        return _after(scenario, last) if last else redirect(scenario.url)
    except (AlreadyTaken, ChoiceRefused) as refusal:
        if not isinstance(refusal, AlreadyTaken):
            messages.error(
                request, _("That answer is not open at this point of the conversation any more.")
            )
        page = scenario or ScenarioPage(pk=scenario_id, url_path=_page_path(scenario_id))
        return redirect(_route(page, "play"))
    # The page's address from its url_path alone: no page is loaded for a choice.
    return _after(scenario or ScenarioPage(pk=scenario_id, url_path=run.page_path), run)


def _page_path(scenario_id):
    return ScenarioPage.objects.filter(pk=scenario_id).values_list("url_path", flat=True).get()


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
