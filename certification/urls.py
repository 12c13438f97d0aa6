from django.urls import path

from . import dashboards, hr_dashboard, views

app_name = "certification"

urlpatterns = [
    path("verificar/<str:code>/", views.verify, name="verify"),
    path("equipo/", dashboards.team_dashboard, name="team_dashboard"),
    path("equipo/agentes/<int:pk>/", dashboards.agent_detail, name="agent_detail"),
    path("certificados/", views.my_certificates, name="mine"),
    path("certificados/<str:code>/pdf/", views.certificate_pdf, name="pdf"),
    path("rrhh/panel/", hr_dashboard.hr_dashboard, name="hr_dashboard"),
    path("rrhh/certificados/", views.hr_certificates, name="hr_list"),
    path("rrhh/certificados/<str:code>/", views.hr_certificate, name="hr_detail"),
    path("rrhh/certificados/<str:code>/revocar/", views.revoke, name="revoke"),
    path("rrhh/certificados/<str:code>/reemitir/", views.reissue, name="reissue"),
    path("rrhh/certificados/exportar.<str:fmt>", views.hr_export, name="hr_export"),
]
