from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("postfach/", views.postbox, name="postbox"),
    path("postfach/<uuid:public_id>/", views.postbox_open, name="open"),
    path("amt/dokument/<uuid:public_id>/", views.staff_open, name="staff_open"),
    path("amt/vorgang/<str:reference>/brief/", views.letter, name="letter"),
    path("amt/vorgang/<str:reference>/widerruf/", views.revoke, name="revoke"),
]
