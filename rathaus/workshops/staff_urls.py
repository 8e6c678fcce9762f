from django.urls import path

from . import staff_views

app_name = "events_staff"

urlpatterns = [
    path("", staff_views.event_list, name="list"),
    path("neu/", staff_views.event_create, name="create"),
    path("<int:pk>/", staff_views.attendees, name="attendees"),
    path("<int:pk>/bearbeiten/", staff_views.event_edit, name="edit"),
    path("<int:pk>/teilnehmende.csv", staff_views.attendees_csv, name="csv"),
    path(
        "<int:pk>/anmeldungen/<int:registration_pk>/stornieren/",
        staff_views.registration_cancel,
        name="cancel",
    ),
]
