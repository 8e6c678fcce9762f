"""The citizens' budget for the public, mounted at /buergerbudget/ (German URL slugs)."""

from django.urls import path

from . import views
from .voting_urls import urlpatterns as voting_urlpatterns

app_name = "budget"

urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("<slug:slug>/", views.process_detail, name="process_detail"),
    path("<slug:slug>/vorschlagen/", views.proposal_create, name="proposal_create"),
    path("<slug:slug>/vorschlaege/", views.proposal_list, name="proposal_list"),
    path("<slug:slug>/vorschlaege/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path(
        "<slug:slug>/vorschlaege/<int:pk>/bild/<int:image_pk>/",
        views.proposal_image,
        name="proposal_image",
    ),
    *voting_urlpatterns,
]
