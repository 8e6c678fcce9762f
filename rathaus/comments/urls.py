from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<str:target_type>/<int:target_id>/", views.comment_create, name="create"),
    path("<int:pk>/verbergen/", views.comment_hide, name="hide"),
    path("<int:pk>/wiederherstellen/", views.comment_restore, name="restore"),
]
