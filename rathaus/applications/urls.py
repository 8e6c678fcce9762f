from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("neu/<slug:slug>/", views.start, name="start"),
    path("<uuid:public_id>/schritt/<slug:step_id>/", views.step, name="step"),
    path("<uuid:public_id>/pruefen/", views.review, name="review"),
    path("<uuid:public_id>/bestaetigung/", views.confirmation, name="confirmation"),
    path("<uuid:public_id>/eingangsbestaetigung/", views.receipt, name="receipt"),
    path("<uuid:public_id>/verwerfen/", views.discard, name="discard"),
    path("<uuid:public_id>/antwort/", views.answer, name="answer"),
    path("<uuid:public_id>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("<uuid:public_id>/anhang/<uuid:attachment_id>/", views.attachment, name="attachment"),
]
