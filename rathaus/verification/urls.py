from django.urls import path

from . import views

app_name = "verification"

urlpatterns = [
    path("", views.check, name="check"),
    path("api/<str:token>", views.check_api, name="api"),
    # What the QR code holds: {RATHAUS_SITE_URL}/pruefen/<TOKEN>, no trailing slash.
    path("<str:token>", views.check_token, name="check_token"),
]
