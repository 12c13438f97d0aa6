from django.urls import path, register_converter

from . import views


class StepIdConverter:
    """A page number the database can hold: at most 18 digits (a longer one is "not found"
    rather than an integer overflow, since a step's key is a link to its page, which Django's
    range check on plain integer fields does not cover)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(StepIdConverter, "stepid")

app_name = "scorm"

urlpatterns = [
    path("pasos/<stepid:page_id>/paquete/<path:path>", views.package_file, name="file"),
    path("intentos/<int:attempt_id>/cmi/", views.commit, name="commit"),
    path("pasos/<stepid:page_id>/intentos/", views.attempts, name="attempts"),
    path("intentos/<int:attempt_id>/reiniciar/", views.reset_attempt, name="reset"),
]
