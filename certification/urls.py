from django.urls import path, register_converter

from . import dashboards, feedback, hr_dashboard, views


class CertificateCodeConverter:
    """A certificate code as `models.new_code` makes them (URL-safe base64, at most the
    column's 40 characters); anything else is not found without touching the database."""

    regex = "[A-Za-z0-9_-]{1,40}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CertificateCodeConverter, "code")

app_name = "certification"

urlpatterns = [
    path("verificar/<code:code>/", views.verify, name="verify"),
    path("equipo/", dashboards.team_dashboard, name="team_dashboard"),
    path("equipo/agentes/<int:pk>/", dashboards.agent_detail, name="agent_detail"),
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
]
