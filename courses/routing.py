"""Wagtail's page routing in one or two queries instead of two per level of the tree.

Wagtail's `serve` finds the page by walking the tree one level at a time: for each part of
the path a query for the child and another for its specific form, and two more for the view
restrictions of the page and its ancestors (seven queries and ~30 ms for a lesson, issue 17).
`serve` below fetches every page the path can name (and the site root's ancestors) in one
query, with whether any of them carries a view restriction, walks that list with Wagtail's
own rules, fetches the chosen page in its specific form, and hands the result to Wagtail's
`serve` through the per-request cache Wagtail reads (`request._wagtail_route_for_request`),
so Wagtail's hooks and serving run unchanged. Where a path leads is cached until pages
change (courses/page_cache.py), so a warm route costs the chosen page's query alone.
Whenever the walk is unsure (a page type with its own `route`, no site) it leaves the
request to Wagtail's own routing.
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.http.request import split_domain_port

from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from . import page_cache

_ROUTES_WE_KNOW = (Page.route, RoutablePageMixin.route)

# The site answering each host and port, with its root page, shared by every process through
# the cache; forgotten when a site or a site's root page changes (signals below), and after
# SITES_TIMEOUT seconds at most (a lookup racing an edit can only be that stale).
SITES_KEY = "courses.routing.sites"
SITES_TIMEOUT = 300
SITES_MAX = 20  # hosts are checked against ALLOWED_HOSTS first; this bounds the entry anyway


def find_site(request):
    """Wagtail's `Site.find_for_request`, read from the cache instead of a query."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname, _port = split_domain_port(request.get_host())
    key = f"{hostname}:{request.get_port()}"
    sites = cache.get(SITES_KEY) or {}
    site = sites.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None and len(sites) < SITES_MAX:
            site.root_page  # noqa: B018 (loaded by Wagtail's select_related; kept with it)
            cache.set(SITES_KEY, {**sites, key: site}, SITES_TIMEOUT)
    request._wagtail_site = site
    return site


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _forget_sites(**kwargs):
    cache.delete(SITES_KEY)


@receiver(post_save)
@receiver(post_delete)
@receiver(post_page_move)
def _forget_sites_of_root(sender, instance, **kwargs):
    """A site's root page renamed, moved or deleted changes every URL of the site."""
    if isinstance(instance, Page):
        sites = cache.get(SITES_KEY) or {}
        if any(site.root_page_id == instance.pk for site in sites.values()):
            cache.delete(SITES_KEY)


def _answers_subpage(model, page, remaining):
    """Whether a routable page answers the remaining path itself (Wagtail asks a live
    routable page before its children)."""
    if not (issubclass(model, RoutablePageMixin) and page.live):
        return False
    path = "/" + "".join(f"{part}/" for part in remaining)
    try:
        model.get_resolver().resolve(path)
    except Http404:
        return False
    return True


def _chain(root, components):
    """The site root's ancestors, the root, and the pages named by each leading part of the
    path, shallowest first, each marked `restricted` when it (or the page it aliases) has a
    view restriction."""
    url_paths = [root.url_path]
    for part in components:
        url_paths.append(f"{url_paths[-1]}{part}/")
    ancestors = [root.path[:end] for end in range(root.steplen, len(root.path), root.steplen)]
    restrictions = PageViewRestriction.objects.filter
    return list(
        Page.objects.filter(
            Q(path__in=ancestors)
            | Q(url_path__in=url_paths, path__startswith=root.path, depth__gte=root.depth)
        )
        .annotate(
            restricted=Exists(restrictions(page=OuterRef("pk")))
            | Exists(restrictions(page=OuterRef("alias_of")))
        )
        .order_by("depth")
    )


ROUTE_TIMEOUT = 600


def _route_key(site, path):
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return f"courses.routing.route:{site.pk}:{digest}"


def _walk(site, components):
    """Where Wagtail's routing would stop for these path components: (the page's base
    row, its model, its parent's base row, how many components it consumed, whether a view
    restriction applies), or None when this walk cannot be sure."""
    root = site.root_page
    pages = _chain(root, components)
    by_url_path = {page.url_path: page for page in pages if page.path.startswith(root.path)}
    restricted = any(page.restricted for page in pages)
    node, parent, consumed = by_url_path.get(root.url_path), None, 0
    if node is None:
        return None
    while True:
        model = node.specific_class
        if model is None or model.route not in _ROUTES_WE_KNOW:
            return None
        remaining = components[consumed:]
        if not remaining or _answers_subpage(model, node, remaining):
            break
        child = by_url_path.get(f"{node.url_path}{remaining[0]}/")
        if child is None or child.depth != node.depth + 1:
            break  # Wagtail's own route() looks the child up and answers 404
        node, parent, consumed = child, node, consumed + 1
    return node.pk, model._meta.label, parent, consumed, restricted


def route(request, path):
    """The RouteResult Wagtail's routing would give for `path` (None for a 404): where
    the path leads comes from the cache (page_cache's generation) or from one query, and
    the page from one more; or False when this walk cannot be sure and Wagtail's routing
    should decide."""
    site = find_site(request)
    if site is None:
        return False
    components = [part for part in path.split("/") if part]
    key = _route_key(site, path)
    found = cache.get_many([key, page_cache.GENERATION_KEY])
    current = page_cache.generation(request, known=found.get(page_cache.GENERATION_KEY))
    cached = found.get(key)
    if cached and cached[0] == current:
        walk = cached[1]
    else:
        walk = _walk(site, components)
        if walk is None:
            return False
        cache.set(key, (current, walk), ROUTE_TIMEOUT)
    pk, label, parent, consumed, restricted = walk
    model = apps.get_model(label)
    page = model.objects.filter(pk=pk).first()
    if page is None:
        return False
    if parent is not None:
        page._cached_parent_obj = parent
    if not restricted:
        page._view_restrictions = PageViewRestriction.objects.none()
    try:
        return page.route(request, components[consumed:])
    except Http404:
        return None


def serve(request, path):
    """Wagtail's `serve`, routed by `route` above."""
    if not hasattr(request, "_wagtail_route_for_request"):
        result = route(request, path)
        if result is not False:
            request._wagtail_route_for_request = result
    return wagtail_views.serve(request, path)
