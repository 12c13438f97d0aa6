from django.urls import path, register_converter

from . import calendar_views, coaching, dashboards, feedback, guidance, hr_dashboard, matrix, views
from .credentials import views as badge_views


class CertificateCodeConverter:
    """A certificate code as `models.new_code` makes them (URL-safe base64, at most the
    column's 40 characters); anything else is not found without touching the database."""

    regex = "[A-Za-z0-9_-]{1,40}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CertificateCodeConverter, "code")


class FeedTokenConverter:
    """A calendar feed token as CalendarFeedQuerySet.renew makes them (URL-safe base64);
    anything else is not found without touching the database."""

    regex = "[A-Za-z0-9_-]{20,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FeedTokenConverter, "feedtoken")

app_name = "certification"

urlpatterns = [
    path("verificar/<code:code>/", views.verify, name="verify"),
    path("verificar/<code:code>/credencial.json", badge_views.credential, name="credential"),
    path("insignias/emisor/", badge_views.issuer, name="badge_issuer"),
    path("insignias/comprobar/", badge_views.check_file, name="credential_check"),
    path("insignias/logros/<int:pk>/", badge_views.achievement, name="badge_achievement"),
    path("insignias/estado/<int:number>/", badge_views.status_list, name="badge_status_list"),
    path("inicio/", guidance.home, name="guidance"),
    path("calendario/", calendar_views.month, name="calendar"),
    path("calendario/<int:year>/<int:month>/", calendar_views.month, name="calendar_month"),
    path(
        "calendario/<int:year>/<int:month>/lista/", calendar_views.month_list, name="calendar_list"
    ),
    path("calendario/suscripcion/", calendar_views.subscription, name="calendar_subscription"),
    path("calendario/suscripcion/revocar/", calendar_views.revoke, name="calendar_revoke"),
    path("calendario/ical/<feedtoken:token>.ics", calendar_views.feed, name="calendar_feed"),
    path("equipo/", dashboards.team_dashboard, name="team_dashboard"),
    path("equipo/agentes/<int:pk>/", dashboards.agent_detail, name="agent_detail"),
    path("equipo/intentos/<int:pk>/", coaching.attempt_review, name="attempt_review"),
    path(
        "equipo/intentos/<int:pk>/repetir/",
        coaching.retake,
        {"source": "attempt"},
        name="attempt_retake",
    ),
    path(
        "equipo/intentos/<int:pk>/recordar/",
        coaching.retake,
        {"source": "attempt", "nudge": True},
        name="attempt_nudge",
    ),
    path("equipo/juegos-de-rol/<int:pk>/", coaching.run_review, name="run_review"),
    path(
        "equipo/juegos-de-rol/<int:pk>/repetir/",
        coaching.retake,
        {"source": "run"},
        name="run_retake",
    ),
    path(
        "equipo/juegos-de-rol/<int:pk>/recordar/",
        coaching.retake,
        {"source": "run", "nudge": True},
        name="run_nudge",
    ),
    path("equipo/agentes/<int:pk>/notas/nueva/", feedback.add_note, name="add_note"),
    path("equipo/notas/<int:pk>/editar/", feedback.edit_note, name="edit_note"),
    path("equipo/notas/<int:pk>/seguimiento/", feedback.complete_follow_up, name="follow_up_done"),
    path("perfil/comentarios/", feedback.my_feedback, name="my_feedback"),
    path("perfil/comentarios/<int:pk>/leido/", feedback.acknowledge, name="acknowledge"),
    path("certificados/", views.my_certificates, name="mine"),
    path("certificados/<code:code>/pdf/", views.certificate_pdf, name="pdf"),
    path("rrhh/panel/", hr_dashboard.hr_dashboard, name="hr_dashboard"),
    path("rrhh/certificados/", views.hr_certificates, name="hr_list"),
    path("rrhh/certificados/<code:code>/", views.hr_certificate, name="hr_detail"),
    path("rrhh/certificados/<code:code>/revocar/", views.revoke, name="revoke"),
    path("rrhh/certificados/<code:code>/reemitir/", views.reissue, name="reissue"),
    path("rrhh/certificados/exportar.<str:fmt>", views.hr_export, name="hr_export"),
    path("rrhh/matriz/", matrix.progress_matrix, name="progress_matrix"),
    path(
        "rrhh/matriz/exportar.<str:fmt>",
        matrix.progress_matrix_export,
        name="progress_matrix_export",
    ),
]
