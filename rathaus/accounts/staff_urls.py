"""Staff administration for administrators, mounted at /amt/verwaltung/ (German URL slugs)."""

from django.urls import path

from . import views

app_name = "staff_admin"

urlpatterns = [
    path("", views.staff_people, name="people"),
    path("personen/neu/", views.staff_new, name="person_new"),
    path("personen/<int:pk>/", views.staff_person, name="person"),
    path("personen/<int:pk>/aemter/", views.staff_membership_add, name="membership_add"),
    path(
        "personen/<int:pk>/aemter/<str:code>/rolle/",
        views.staff_membership_role,
        name="membership_role",
    ),
    path(
        "personen/<int:pk>/aemter/<str:code>/entfernen/",
        views.staff_membership_remove,
        name="membership_remove",
    ),
    path("personen/<int:pk>/deaktivieren/", views.staff_deactivate, name="deactivate"),
    path("personen/<int:pk>/reaktivieren/", views.staff_reactivate, name="reactivate"),
    path(
        "personen/<int:pk>/administrator/ernennen/",
        views.staff_administrator,
        {"administrator": True},
        name="administrator_grant",
    ),
    path(
        "personen/<int:pk>/administrator/entziehen/",
        views.staff_administrator,
        {"administrator": False},
        name="administrator_revoke",
    ),
    path("personen/<int:pk>/einladung/", views.staff_invitation, name="invitation"),
    path("aemter/", views.departments, name="departments"),
    path("aemter/neu/", views.department_new, name="department_new"),
    path("aemter/<int:pk>/", views.department_edit, name="department_edit"),
]
