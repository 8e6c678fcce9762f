from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("kontoauszug/", views.statement_upload, name="upload"),
    path("kontoauszug/<int:pk>/", views.statement_detail, name="statement"),
    path("klaerung/", views.clarification_list, name="clarifications"),
    path("klaerung/<int:pk>/", views.clarification_detail, name="clarification"),
    path("klaerung/<int:pk>/zuordnen/", views.clarification_assign, name="assign"),
    path("klaerung/<int:pk>/erledigen/", views.clarification_resolve, name="resolve"),
    path("gebuehren/", views.fee_list, name="fees"),
    path("gebuehren/<str:reference>/", views.fee_detail, name="fee"),
    path("gebuehren/<str:reference>/stornieren/", views.fee_cancel, name="cancel"),
]
