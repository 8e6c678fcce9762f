import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail can be looked at, never added to, changed or deleted here."""

    list_display = ["sequence", "created_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["=object_id", "action"]
    date_hierarchy = "created_at"
    # The actor link would show the user's name or e-mail: the label is enough.
    fields = [
        "sequence",
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "data_pretty",
        "previous_hash",
        "entry_hash",
    ]
    readonly_fields = fields
    actions = None

    @admin.display(description=_("details"))
    def data_pretty(self, entry: AuditEntry) -> str:
        return format_html(
            "<pre>{}</pre>", json.dumps(entry.data, indent=2, sort_keys=True, ensure_ascii=False)
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
