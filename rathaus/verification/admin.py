from django.contrib import admin, messages
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import IssuedToken, RevokeReason
from .services import token_revoke


def _revoke_action(reason: RevokeReason):
    def action(modeladmin, request, queryset) -> None:
        revoked = 0
        for token_id in queryset.filter(revoked_at__isnull=True).values_list("token_id", flat=True):
            token_revoke(token_id=token_id, reason=reason, actor=request.user)
            revoked += 1
        modeladmin.message_user(
            request,
            ngettext("%(count)d document revoked.", "%(count)d documents revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )

    action.__name__ = f"revoke_{reason.value}"
    description = format_lazy(_("Revoke: {reason}"), reason=reason.label)
    return admin.action(description=description)(action)


@admin.register(IssuedToken)
class IssuedTokenAdmin(admin.ModelAdmin):
    """Read-only, except revocation through the service (which writes the audit trail)."""

    list_display = ["token_id", "kind", "valid_from", "valid_until", "revoked_at", "reference"]
    list_filter = ["kind", "revoke_reason", "key_id"]
    search_fields = ["=token_id", "=reference"]
    date_hierarchy = "issued_at"
    fields = [
        "token_id",
        "kind",
        "key_id",
        "valid_from",
        "valid_until",
        "issued_at",
        "revoked_at",
        "revoke_reason",
        "reference",
    ]
    readonly_fields = fields
    actions = [_revoke_action(reason) for reason in RevokeReason]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
