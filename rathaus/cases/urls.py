from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("auslastung/<str:code>/", views.workload, name="workload"),
    path("kennzahlen/<str:code>/", views.dashboard, name="dashboard"),
    path("vorgang/<str:reference>/", views.case_detail, name="detail"),
    path("vorgang/<str:reference>/zuweisen/", views.assign, name="assign"),
    path("vorgang/<str:reference>/uebernehmen/", views.take, name="take"),
    path("vorgang/<str:reference>/notiz/", views.note, name="note"),
    path(
        "vorgang/<str:reference>/nachfrage/", views.request_information, name="request_information"
    ),
    path("vorgang/<str:reference>/entscheidung/", views.decide, name="decide"),
    path("vorgang/<str:reference>/bestaetigen/", views.confirm, name="confirm"),
    path("vorgang/<str:reference>/zurueckgeben/", views.send_back, name="send_back"),
]
