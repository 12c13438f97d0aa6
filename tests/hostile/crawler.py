"""A small crawler for the hostile-input suite: from a person's home page it follows every
link and form of ours, and feeds the payloads of payloads.yaml to every query-string
filter, URL converter and POST form it finds, recording every server error.

"Ours" is a URL whose view lives in one of our apps, or a Wagtail page (served by
wagtail.views.serve); Wagtail's and allauth's own admin screens are theirs to test.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urljoin, urlsplit

from django.db import connection
from django.urls import Resolver404, get_resolver, resolve

from . import payloads

OUR_APPS = ("people", "courses", "attitude", "quizzes", "scenarios", "certification")
# Query-string parameters our lists and filters read, tried on every page.
FILTER_PARAMS = ("q", "page", "equipo", "team", "status", "programme", "course", "dimension")
# Forms whose submission ends the session or changes the person's own sign-in.
SKIP_FORM_ACTIONS = ("/cuenta/logout/", "/cuenta/password/change/", "/cuenta/email/", "/i18n/")
# A small set for GET parameters and URL segments (the full list goes to every form).
SHORT = [
    "\0",
    "%00",
    "A" * 5001,
    "=1+1",
    "<script>alert(1)</script>",
    "\u202eelgoog",
    "Jose\u0301",
    "9999-12-31",
    "99999999999999999999",
    "-1",
    "0",
    "😀",
]


# What the Content-Security-Policy of the site blocks: event-handler attributes, style
# attributes and inline scripts without the request's nonce (JSON data blocks are fine).
INLINE = {
    "handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "style": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "script": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/(ld\+)?json)", re.I
    ),
}


def is_ours(path):
    try:
        match = resolve(path)
    except Resolver404:
        return False
    module = getattr(match.func, "__module__", "") or ""
    if module.startswith("wagtail.views") or module == "wagtail.views":
        return True
    view_class = getattr(match.func, "view_class", None)
    if view_class is not None:
        module = view_class.__module__
    return module.split(".")[0] in OUR_APPS


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # (name, type, value, options)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form, self._select, self._textarea = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(action=a.get("action") or "", method=(a.get("method") or "get"))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                # keep the first option of each radio group or checkbox list as a choice
                self._form.fields.append((a["name"], kind + "-option", a.get("value", "on"), []))
            else:
                self._form.fields.append((a["name"], kind, a.get("value", ""), []))
        elif tag == "button" and a.get("name"):
            self._form.fields.append((a["name"], "button", a.get("value", ""), []))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "textarea", self._textarea[1], []))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            self._form.fields.append((name, "select", options[0] if options else "", options))
            self._select = None


def parse(html):
    parser = _PageParser()
    parser.feed(html)
    return parser


TEXT_TYPES = {"text", "email", "search", "textarea", "url", "tel", "number", "date", "password"}


def _baseline(form):
    data, seen = {}, set()
    for name, kind, value, options in form.fields:
        if kind in {"submit", "button"}:
            continue
        if kind.endswith("-option"):
            if name not in seen:
                data[name] = value
        elif kind == "select":
            data[name] = next((o for o in options if o), value)
        elif kind == "file":
            continue
        else:
            data[name] = value or ("2030-01-01" if kind == "date" else "Texto de prueba")
        seen.add(name)
    buttons = [(n, v) for n, kind, v, _ in form.fields if kind == "button"]
    if buttons:
        data[buttons[0][0]] = buttons[0][1]
    return data


def hostile_variants(form):
    """One submission per payload (payloads.for_forms: all of them on PostgreSQL): every
    text-like field gets a payload, rotated so each field sees each payload once; choices
    (selects, radios, checkboxes, hidden fields) get a short payload too, every third time."""
    text_fields = [n for n, kind, _, _ in form.fields if kind in TEXT_TYPES]
    choice_fields = [
        n for n, kind, _, _ in form.fields if kind in {"select", "hidden"} or "-option" in kind
    ]
    all_payloads = payloads.for_forms(connection.vendor)
    for k in range(len(all_payloads)):
        data = _baseline(form)
        for i, name in enumerate(text_fields):
            data[name] = all_payloads[(k + i) % len(all_payloads)]
        if k % 3 == 0:
            for i, name in enumerate(choice_fields):
                if name != "csrfmiddlewaretoken":
                    data[name] = SHORT[(k + i) % len(SHORT)]
        yield data


@dataclass
class Report:
    errors: list = field(default_factory=list)
    requests: int = 0
    pages: set = field(default_factory=set)
    forms: set = field(default_factory=set)

    def record(self, method, url, outcome):
        self.errors.append(f"{method} {url[:160]!r}: {outcome}")


class Crawler:
    def __init__(self, client, report, *, max_pages=120):
        self.client, self.report, self.max_pages = client, report, max_pages
        self.seen_kinds = set()
        self._page_urls = None

    def request(self, method, url, data=None):
        self.report.requests += 1
        try:
            if method == "GET":
                response = self.client.get(url, data)
            else:
                response = self.client.post(url, data or {})
        except Exception as error:  # noqa: BLE001 (every exception is a server error here)
            self.report.record(method, url, f"{type(error).__name__}: {str(error)[:200]}")
            return None
        if response.status_code >= 500:
            self.report.record(method, url, response.status_code)
        return response

    def kind_of(self, path):
        """Pages of one URL pattern (or one Wagtail page type and sub-route) are tried once."""
        match = resolve(path)
        if not match.func.__module__.startswith("wagtail"):
            return (match.route, match.url_name)
        if self._page_urls is None:
            from wagtail.models import Page

            self._page_urls = {
                page.url: page.specific_class.__name__
                for page in Page.objects.live().defer_streamfields()
                if page.url
            }
        prefix = max((u for u in self._page_urls if path.startswith(u)), key=len, default="")
        rest = re.sub(r"[0-9]+|[A-Za-z0-9_-]{12,}", "#", path[len(prefix) :])
        return (self._page_urls.get(prefix), rest)

    def crawl(self, start_urls):
        queue, visited = list(start_urls), set()
        while queue and len(visited) < self.max_pages:
            url = queue.pop(0)
            path = urlsplit(url).path
            if url in visited or not is_ours(path):
                continue
            visited.add(url)
            response = self.request("GET", url)
            if response is None:
                continue
            if response.status_code in (301, 302) and response.get("Location"):
                queue.append(urljoin(url, response["Location"]))
                continue
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            self.report.pages.add(path)
            html = response.content.decode()
            if not path.startswith("/admin/"):
                for name, pattern in INLINE.items():
                    if pattern.search(html):
                        self.report.record("GET", url, f"inline {name} (blocked by the CSP)")
            page = parse(html)
            for href in page.links:
                target = urljoin(url, href)
                split = urlsplit(target)
                if split.netloc in ("", "testserver") and not split.path.startswith("/admin/"):
                    queue.append(split.path + (f"?{split.query}" if split.query else ""))
            kind = self.kind_of(path)
            if kind in self.seen_kinds:
                continue
            self.seen_kinds.add(kind)
            self.hostile_query(path, page)
            self.hostile_segments(path)
            for form in page.forms:
                queue.extend(self.hostile_form(url, form))
        return visited

    def hostile_query(self, path, page):
        names = set(FILTER_PARAMS)
        for form in page.forms:
            if form.method.lower() == "get":
                names.update(n for n, kind, _, _ in form.fields if kind not in {"submit"})
        for value in SHORT:
            self.request("GET", path, dict.fromkeys(names, value))

    def hostile_segments(self, path):
        """Each segment of the path replaced by each short payload (URL converters)."""
        parts = path.strip("/").split("/")
        for index, segment in enumerate(parts):
            if not re.fullmatch(r"[0-9]+|[A-Za-z0-9_-]{12,}", segment):
                continue
            for value in SHORT:
                mutated = parts.copy()
                mutated[index] = quote(value, safe="")
                self.request("GET", "/" + "/".join(mutated) + "/")

    def hostile_form(self, url, form):
        """POST every hostile variant of a form; return the pages its redirects lead to."""
        if form.method.lower() != "post":
            return []
        action = urljoin(url, form.action or url)
        action_path = urlsplit(action).path
        if action_path.startswith(SKIP_FORM_ACTIONS) or not is_ours(action_path):
            return []
        signature = (resolve(action_path).route, tuple(sorted(n for n, *_ in form.fields)))
        if signature in self.report.forms:
            return []
        self.report.forms.add(signature)
        following = []
        for data in hostile_variants(form):
            response = self.request("POST", action, data)
            if response is not None and response.status_code == 302:
                following.append(urljoin(action, response["Location"]))
        # and once with the form as the page offers it, to walk on (start a quiz, a run…)
        response = self.request("POST", action, _baseline(form))
        if response is not None and response.status_code == 302:
            following.append(urljoin(action, response["Location"]))
        return following


def every_route():
    """Every URL pattern of ours, as (route, pattern) pairs, for the converter sweep."""
    routes = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            else:
                routes.append(prefix + str(entry.pattern))

    walk(get_resolver().url_patterns)
    return routes


def converter_urls():
    """Every route with an int or str converter, each converter filled with each payload."""
    urls = []
    for route in every_route():
        if route.startswith(("admin/", "cuenta/", "^")) or "<" not in route:
            continue
        for value in SHORT:
            filled = re.sub(r"<(?:(\w+):)?\w+>", quote(value, safe=""), route)
            urls.append("/" + filled)
    return urls


def query(params):
    return "?" + urlencode(params)
