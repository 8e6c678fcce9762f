from django.urls import path

from . import views

app_name = "demo"

urlpatterns = [path("eid/", views.demo_eid, name="eid")]
