"""The calendar pages (a month and a list of its dates), the private feed link's page, and
the feed itself, which a calendar app reads with the link's token and no session."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from people.middleware import private_no_store

from . import agenda
from .models import CalendarFeed

FIRST_YEAR, LAST_YEAR = 2000, 2100
NEW_LINK_SESSION_KEY = "calendar_feed_token"  # session key: the new link, shown once


def _month(year, month):
    """The first day of the asked month; 404 for a month that does not exist or is outside
    the years a calendar can show."""
    if year is None:
        return timezone.localdate().replace(day=1)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404
    return date(year, month, 1)


def _neighbours(first):
    previous = (first.year - 1, 12) if first.month == 1 else (first.year, first.month - 1)
    following = (first.year + 1, 1) if first.month == 12 else (first.year, first.month + 1)
    return (
        previous if previous[0] >= FIRST_YEAR else None,
        following if following[0] <= LAST_YEAR else None,
    )


def _common(request, first):
    previous, following = _neighbours(first)
    return {
        "month": first,
        "previous": previous,
        "following": following,
        "team_view": request.user.is_supervisor,
        "this_month": timezone.localdate().replace(day=1),
    }


@login_required
def month(request, year=None, month=None):
    """A month of due dates and certificate expiries: mine, and my teams' if I supervise."""
    first = _month(year, month)
    today = timezone.localdate()
    weeks = agenda.month_grid(request.user, first.year, first.month, today)
    for week in weeks:
        for day in week:
            day.shown = day.events[: agenda.MAX_EVENTS_IN_A_DAY]
            day.more = len(day.events) - len(day.shown)
    context = _common(request, first)
    context.update(
        {
            "weeks": weeks,
            "weekdays": [(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
            "has_events": any(d.events for week in weeks for d in week if d.in_month),
        }
    )
    return render(request, "certification/calendar_month.html", context)


@login_required
def month_list(request, year, month):
    """The same dates as the month view, as a list (a table), fifty to a page."""
    first = _month(year, month)
    start, end = agenda.month_bounds(first.year, first.month)
    events = agenda.events_between(request.user, start, end)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = _common(request, first)
    context["page_obj"] = page
    return render(request, "certification/calendar_list.html", context)


def _feed_url(request, token):
    return request.build_absolute_uri(reverse("certification:calendar_feed", args=[token]))


@login_required
@require_http_methods(["GET", "POST"])
def subscription(request):
    """My private feed link: made on request (POST) and shown once, right after; afterwards
    only the date it was made, with a way to revoke it or replace it."""
    active = CalendarFeed.objects.active().filter(person=request.user).first()
    if request.method == "POST":
        if active is not None:  # replacing a working link is confirmed on its own page
            return redirect("certification:calendar_revoke")
        _feed, token = CalendarFeed.objects.renew(
            person=request.user, language=translation.get_language()
        )
        request.session[NEW_LINK_SESSION_KEY] = token
        return redirect("certification:calendar_subscription")
    token = request.session.pop(NEW_LINK_SESSION_KEY, None)
    url = _feed_url(request, token) if token and active else None
    return render(
        request,
        "certification/calendar_subscription.html",
        {
            "feed": active,
            "feed_url": url,
            "webcal_url": url and "webcal://" + url.split("://", 1)[1],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request):
    """Confirm, then revoke my feed link ("revoke" stops it; "renew" also makes a new one)."""
    active = CalendarFeed.objects.active().filter(person=request.user).first()
    if active is None:
        return redirect("certification:calendar_subscription")
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            _feed, token = CalendarFeed.objects.renew(
                person=request.user, language=translation.get_language()
            )
            request.session[NEW_LINK_SESSION_KEY] = token
            messages.success(request, _("The old link no longer works. Here is the new one."))
        else:
            CalendarFeed.objects.revoke(person=request.user)
            messages.success(request, _("The link no longer works."))
        return redirect("certification:calendar_subscription")
    return render(request, "certification/calendar_revoke.html", {"feed": active})


@private_no_store
def feed(request, token):
    """The iCalendar feed of a link: no sign-in, only the token; a revoked or unknown token
    (or a deactivated account) is not found. Written in the language the link was made in."""
    calendar_feed = CalendarFeed.objects.for_token(token)
    if calendar_feed is None:
        raise Http404
    CalendarFeed.objects.filter(pk=calendar_feed.pk).update(last_read_at=timezone.now())
    with translation.override(calendar_feed.language):
        body = agenda.ical_feed(calendar_feed, build_url=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="actitud.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
