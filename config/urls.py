from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from courses import routing
from people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("health/", people_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cuenta/", include("allauth.urls")),
    # Before Wagtail's admin: its login page must not sign anyone in past allauth's limits.
    path("admin/login/", people_views.admin_login, name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documentos/", include(wagtaildocs_urls)),
    path("scim/v2/", include("provisioning.urls")),
    path("aprendizaje/", include("courses.urls")),
    path("perfil/", include("attitude.urls")),
    path("cuestionarios/", include("quizzes.urls")),
    path("juegos-de-rol/", include("scenarios.urls")),
    path("scorm/", include("scorm.urls")),
    path("", include("certification.urls")),
    path("", include("people.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's pages come last: they answer every path the apps above do not, routed in two
# queries by courses.routing (Wagtail's _util/ views keep their own patterns).
urlpatterns += [
    re_path(r"^(?!_util/)" + serve_pattern.removeprefix("^"), routing.serve),
    path("", include(wagtail_urls)),
]
