from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    # Outside Wagtail's page routing: the autosave is the hot path of a quiz (issue 17).
    path(
        "intentos/<int:attempt_id>/guardar/<int:position>/",
        views.save_for_attempt,
        name="autosave",
    ),
]
