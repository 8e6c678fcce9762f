"""URLs of voting, results and the Pabulib import; included by urls.py (public, namespace
`budget`) and staff_urls.py (staff, namespace `budget_staff`)."""

from django.urls import path

from . import voting_views as views

urlpatterns = [
    path("<slug:slug>/abstimmen/", views.ballot_overview, name="ballot"),
    path("<slug:slug>/abstimmen/<int:unit_pk>/", views.ballot, name="ballot_unit"),
    path("<slug:slug>/abstimmen/<int:unit_pk>/danke/", views.ballot_done, name="ballot_done"),
    path("<slug:slug>/quittung/", views.receipt, name="receipt"),
    path("<slug:slug>/ergebnis/", views.results_page, name="results"),
    path("<slug:slug>/ergebnis/<int:pk>/datei/", views.result_file, name="result_file"),
]

staff_urlpatterns = [
    path("import/", views.election_import, name="import"),
    path("import/<slug:slug>/", views.import_detail, name="import_detail"),
    path("<slug:slug>/papier/", views.paper_entry, name="paper"),
    path("<slug:slug>/papier/<int:unit_pk>/<str:sheet>/", views.paper_sheet, name="paper_sheet"),
    path("<slug:slug>/ergebnis/", views.results_staff, name="count"),
    path("<slug:slug>/ergebnis/zaehlen/", views.results_count, name="results_count"),
    path("<slug:slug>/ergebnis/veroeffentlichen/", views.results_publish, name="results_publish"),
]
