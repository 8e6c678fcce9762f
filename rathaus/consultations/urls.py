from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("offene-daten.json", views.open_data_index, name="open_data_index"),
    path("<slug:slug>/", views.project_detail, name="project"),
    path("<slug:slug>/antworten/", views.questionnaire_submit, name="submit"),
    path("<slug:slug>/dokumente/<int:pk>/", views.document_download, name="document"),
    path("<slug:slug>/ergebnisse.json", views.open_data_json, name="open_data_json"),
    path("<slug:slug>/ergebnisse.csv", views.open_data_csv, name="open_data_csv"),
]
