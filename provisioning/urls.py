from django.urls import path, re_path

from . import views

app_name = "provisioning"

urlpatterns = [
    path("", views.UnknownEndpoint.as_view(), name="root"),
    path(".search", views.RootSearch.as_view(), name="search"),
    path("Users", views.Users.as_view(), name="users"),
    path("Users/.search", views.UserSearch.as_view(), name="users-search"),
    path("Users/<str:pk>", views.UserDetail.as_view(), name="user"),
    path("Groups", views.Groups.as_view(), name="groups"),
    path("Groups/.search", views.GroupSearch.as_view(), name="groups-search"),
    path("Groups/<str:pk>", views.GroupDetail.as_view(), name="group"),
    path("ServiceProviderConfig", views.Discovery.as_view(), {"kind": "ServiceProviderConfig"}),
    path("ResourceTypes", views.Discovery.as_view(), {"kind": "ResourceTypes"}),
    path("ResourceTypes/<str:key>", views.Discovery.as_view(), {"kind": "ResourceTypes"}),
    path("Schemas", views.Discovery.as_view(), {"kind": "Schemas"}),
    path("Schemas/<str:key>", views.Discovery.as_view(), {"kind": "Schemas"}),
    re_path(r"^.*$", views.UnknownEndpoint.as_view()),
]
