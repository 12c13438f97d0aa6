from django.urls import path

from . import views

app_name = "attitude"

urlpatterns = [
    path("", views.my_profile, name="my_profile"),
    path("autoevaluacion/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/", views.person_profile, name="person_profile"),
]
