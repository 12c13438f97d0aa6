from django.urls import path

from . import views

app_name = "scenarios"

urlpatterns = [
    # Outside Wagtail's page routing: the choice is the hot path of a role-play (issue 17).
    path("<int:scenario_id>/elegir/", views.choose_in, name="choose"),
]
