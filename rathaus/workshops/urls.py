from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("abmelden/<str:token>/", views.cancel, name="cancel"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/kalender.ics", views.event_calendar, name="calendar"),
]
