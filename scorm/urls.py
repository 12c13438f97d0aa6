from django.urls import path

from . import views

app_name = "scorm"

urlpatterns = [
    path("pasos/<int:page_id>/paquete/<path:path>", views.package_file, name="file"),
    path("intentos/<int:attempt_id>/cmi/", views.commit, name="commit"),
    path("pasos/<int:page_id>/intentos/", views.attempts, name="attempts"),
    path("intentos/<int:attempt_id>/reiniciar/", views.reset_attempt, name="reset"),
]
