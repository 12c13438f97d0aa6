"""The site's URLs with the floor in front: a bare Django view returning 20 KB, served by the
same gunicorn, settings and middleware, so a page's time divided by the floor's is the cost of
the page's own work."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

BODY = (b"<!doctype html><title>floor</title><p>" + b"x" * 20_000 + b"</p>")[:20_480]


def floor(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("__floor__/", floor), *site_urlpatterns]
