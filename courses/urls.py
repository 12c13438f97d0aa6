from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("buscar/", views.search, name="search"),
    path("asignaciones/", views.team_assignments, name="team_assignments"),
    path(
        "asignaciones/exportar/<str:fmt>/",
        views.team_assignments_export,
        name="team_assignments_export",
    ),
    path("asignaciones/nueva/", views.assign, name="assign"),
    path("asignaciones/nueva/fechas/", views.move_due_dates, name="move_due_dates"),
    path("asignaciones/<int:pk>/fecha/", views.change_due_date, name="change_due_date"),
    path("asignaciones/<int:pk>/retirar/", views.withdraw_assignment, name="withdraw"),
    path("reglas/", views.onboarding_rules, name="onboarding_rules"),
    path("reglas/<int:pk>/deshacer/", views.undo_onboarding_rule, name="undo_onboarding_rule"),
    path("registro/", views.audit_log, name="audit_log"),
    path("registro/exportar/<str:fmt>/", views.audit_log_export, name="audit_log_export"),
]
