from django.urls import path

from . import staff_views as views

app_name = "consultations_staff"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<slug:slug>/", views.project_detail, name="project"),
    path("<slug:slug>/zusammenfassung/", views.summary_save, name="summary"),
    path("<slug:slug>/antworten.csv", views.responses_csv, name="csv"),
]
