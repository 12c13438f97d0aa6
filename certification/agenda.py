"""The calendar: due dates of assignments and expiry dates of certificates, for the calendar
pages and the private iCalendar feed, read in a fixed number of queries whatever the number
of people or dates."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import icalendar

from courses.models import Assignment, AssignmentStatus
from people.policy import calendar_people

from .models import Certificate, CertificateStatus, Retake

FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 400


class EventKind:
    DUE = "due"
    EXPIRY = "expiry"
    RETAKE = "retake"


@dataclass
class Event:
    """One dated thing on a calendar: a course due (`status` an AssignmentStatus), a quiz or
    role-play to repeat by a date (a retake not yet done), or a certificate expiring
    (`status` a CertificateStatus)."""

    day: date
    kind: str
    title: str
    person: object
    own: bool
    status: str
    uid: str
    course: object = None
    step: object = None

    @property
    def label(self):
        """What the event says, in the active language: "Vence: Conceptos" or "Caduca el
        certificado: Atención telefónica"."""
        if self.kind == EventKind.DUE:
            return _("Due: %(course)s") % {"course": self.title}
        if self.kind == EventKind.RETAKE:
            return _("Repeat: %(step)s") % {"step": self.title}
        return _("Certificate expires: %(programme)s") % {"programme": self.title}

    @property
    def status_label(self):
        if self.kind == EventKind.DUE:
            return AssignmentStatus(self.status).label
        if self.kind == EventKind.RETAKE:
            return _("to repeat")
        return CertificateStatus(self.status).label

    def url(self, request=None):
        """Where the event leads: the course; for a certificate, the person's certificates (a
        supervisor's team member: the agent's page)."""
        if self.kind == EventKind.DUE:
            return self.course.get_url(request)
        if self.kind == EventKind.RETAKE:
            return self.step.get_url(request)
        if self.own:
            return reverse("certification:mine")
        return reverse("certification:agent_detail", args=[self.person.pk])


def events_between(viewer, start, end, today=None):
    """Every due date and certificate expiry from `start` to `end` (both included) of the
    people whose calendar `viewer` sees (people.policy.calendar_people): active assignments
    with their derived status, retakes not done yet (Retake.objects.open()) that have a due
    date, and certificates that were not revoked. By date, then by person. Three queries."""
    today = today or timezone.localdate()
    people = calendar_people(viewer).values("pk")
    assignments = (
        Assignment.objects.active()
        .filter(person__in=people, due_on__gte=start, due_on__lte=end, course__live=True)
        .with_status(today)
        .select_related("person", "course")
    )
    # An expiry belongs to the day it falls on in the site's time zone.
    zone = timezone.get_current_timezone()
    certificates = (
        Certificate.objects.filter(
            person__in=people,
            revoked_at__isnull=True,
            expires_at__gte=datetime.combine(start, datetime.min.time(), zone),
            expires_at__lt=datetime.combine(end + timedelta(days=1), datetime.min.time(), zone),
        )
        .with_status()
        .select_related("person", "programme")
    )
    events = [
        Event(
            day=a.due_on,
            kind=EventKind.DUE,
            title=a.course.title,
            person=a.person,
            own=a.person_id == viewer.pk,
            status=a.status,
            uid=f"assignment-{a.pk}@actitud",
            course=a.course,
        )
        for a in assignments
    ]
    events += [
        Event(
            day=timezone.localtime(c.expires_at, zone).date(),
            kind=EventKind.EXPIRY,
            title=c.programme.name,
            person=c.person,
            own=c.person_id == viewer.pk,
            status=c.status,
            uid=f"certificate-{c.pk}@actitud",
        )
        for c in certificates
    ]
    retakes = (
        Retake.objects.open()
        .filter(person__in=people, due_on__gte=start, due_on__lte=end, step__live=True)
        .select_related("person", "step")
    )
    events += [
        Event(
            day=r.due_on,
            kind=EventKind.RETAKE,
            title=r.step.title,
            person=r.person,
            own=r.person_id == viewer.pk,
            status="open",
            uid=f"retake-{r.pk}@actitud",
            step=r.step,
        )
        for r in retakes
    ]
    events.sort(key=lambda e: (e.day, not e.own, str(e.person), e.kind, e.title))
    return events


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    events: list


MAX_EVENTS_IN_A_DAY = 3  # the month grid shows this many; the rest are in the list view


def month_grid(viewer, year, month, today=None):
    """The weeks of a month (Monday first, with the days of the neighbouring months that
    complete them), each day with its events."""
    today = today or timezone.localdate()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    events = events_between(viewer, weeks[0][0], weeks[-1][-1], today)
    by_day = {}
    for event in events:
        by_day.setdefault(event.day, []).append(event)
    return [
        [Day(d, d.month == month, d == today, by_day.get(d, [])) for d in week] for week in weeks
    ]


def month_bounds(year, month):
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def ical_feed(feed, *, build_url, now=None):
    """The person's calendar as iCalendar (RFC 5545) for a feed link: all-day events from
    FEED_PAST_DAYS ago to FEED_FUTURE_DAYS ahead, each with a stable UID (so a calendar app
    updates an event whose date moves) and a link back to the site. `build_url` makes an
    absolute URL of a path."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    person = feed.person
    events = events_between(
        person,
        today - timedelta(days=FEED_PAST_DAYS),
        today + timedelta(days=FEED_FUTURE_DAYS),
        today,
    )
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Actitud//Calendar//ES")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Actitud · %(name)s") % {"name": person.get_full_name()})
    cal.add("x-wr-timezone", str(timezone.get_current_timezone()))
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", event.uid)
        entry.add("dtstamp", now)
        entry.add("dtstart", event.day)
        entry.add("dtend", event.day + timedelta(days=1))
        summary = event.label if event.own else f"{event.person} · {event.label}"
        entry.add("summary", summary)
        entry.add("description", event.status_label)
        entry.add("url", build_url(event.url()))
        entry.add("transp", "TRANSPARENT")
        cal.add_component(entry)
    return cal.to_ical()
