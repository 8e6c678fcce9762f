from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.print_overview, name="print"),
    path("neu/", views.batch_create, name="batch_create"),
    path("<int:pk>/<str:status>/", views.batch_mark, name="batch_mark"),
    path("<int:pk>/datei/<str:kind>/", views.batch_file, name="batch_file"),
]
