"""Staff pages of the citizens' budget, mounted at /amt/buergerbudget/ (German URL slugs)."""

from django.urls import path

from . import review_views
from .voting_urls import staff_urlpatterns as voting_staff_urlpatterns

app_name = "budget_staff"

# Voting first: its "import/" must not be taken for a process called "import".
urlpatterns = [
    *voting_staff_urlpatterns,
    path("", review_views.process_list, name="processes"),
    path("<slug:slug>/", review_views.process_proposals, name="process"),
    path("<slug:slug>/vorschlaege/<int:pk>/", review_views.proposal_review, name="proposal"),
    path(
        "<slug:slug>/vorschlaege/<int:pk>/pruefstelle/",
        review_views.proposal_assign,
        name="assign",
    ),
    path(
        "<slug:slug>/vorschlaege/<int:pk>/entscheidung/",
        review_views.proposal_decide,
        name="decide",
    ),
    path("<slug:slug>/vorschlaege/<int:pk>/ausblenden/", review_views.proposal_hide, name="hide"),
    path(
        "<slug:slug>/vorschlaege/<int:pk>/einblenden/",
        review_views.proposal_restore,
        name="restore",
    ),
]
