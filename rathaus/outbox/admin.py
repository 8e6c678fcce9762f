from django.contrib import admin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    # Subjects and bodies stay out of the list: they can hold personal data.
    fields = ["status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
