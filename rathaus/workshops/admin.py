from django.contrib import admin
from django.db import models

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "department", "capacity", "published"]
    list_filter = ["published", "department"]
    search_fields = ["title", "series"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Sign-ups stay out of the admin: staff see them on the attendee list, which is audited.
