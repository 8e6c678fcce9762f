from django.urls import path

from . import api, views

app_name = "intake"

urlpatterns = [
    path("", views.mail_inbox, name="inbox"),
    path("brief/<uuid:public_id>/", views.item_detail, name="item"),
    path("brief/<uuid:public_id>/datei/<str:kind>/", views.item_scan, name="scan"),
    path(
        "brief/<uuid:public_id>/transfervermerk.pdf",
        views.item_transfer_note,
        name="transfer_note",
    ),
    path("brief/<uuid:public_id>/zuordnen/", views.item_classify, name="classify"),
    path("brief/<uuid:public_id>/erledigt/", views.item_done, name="done"),
    path("brief/<uuid:public_id>/neu-verarbeiten/", views.reprocess, name="reprocess"),
    path("poststelle/", views.post_room, name="post_room"),
    path("poststelle/hochladen/", views.upload, name="upload"),
    path("poststelle/klaerung/", views.triage, name="triage"),
    path("poststelle/fehler/", views.dead_letter_list, name="dead_letters"),
    path("poststelle/fehler/alle-neu/", views.reprocess_all, name="reprocess_all"),
    path("trennblatt.pdf", views.separator_sheet, name="separator_sheet"),
]

# The scanners' API, outside the language prefixes (config/urls.py).
api_urlpatterns = [
    path("", api.intake_post, name="api_intake"),
    path("<uuid:public_id>/", api.intake_status, name="api_intake_status"),
]
