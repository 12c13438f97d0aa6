from django.urls import path

from . import sso_views, views

app_name = "people"

urlpatterns = [
    path("cuenta/sso/salida/", sso_views.signed_out, name="sso_signed_out"),
    path("avisos/", views.notification_centre, name="notifications"),
    path("avisos/leidos/", views.mark_notifications_read, name="notifications_read"),
    path("avisos/<int:pk>/", views.open_notification, name="notification_open"),
    path("avisos/<int:pk>/leido/", views.mark_notifications_read, name="notification_read"),
    path("informes/", views.scheduled_reports, name="scheduled_reports"),
    path("informes/nuevo/<slug:kind>/", views.schedule_report, name="schedule_report"),
    path(
        "informes/<int:pk>/borrar/", views.delete_scheduled_report, name="delete_scheduled_report"
    ),
    path("rrhh/", views.PersonListView.as_view(), name="hr_home"),
    path("rrhh/personas/nueva/", views.PersonCreateView.as_view(), name="person_create"),
    path("rrhh/importar/", views.ImportUploadView.as_view(), name="import_upload"),
    path("rrhh/correos/", views.FailedEmailListView.as_view(), name="failed_emails"),
    path("rrhh/correos/reenviar/", views.resend_emails, name="resend_emails"),
    path("rrhh/importar/<int:pk>/", views.import_preview, name="import_preview"),
    path("rrhh/importar/<int:pk>/confirmar/", views.import_confirm, name="import_confirm"),
    path("personas/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("rrhh/personas/<int:pk>/editar/", views.PersonUpdateView.as_view(), name="person_edit"),
]
