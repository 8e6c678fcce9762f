from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a recorded audit entry."""


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained audit trail (record with `audit_record`).

    Each entry hashes its own content together with the previous entry's hash, so changing,
    removing, reordering or inserting entries breaks the chain (`audit_verify` finds it).
    Entries are never purged: they are kept for the legal retention period of the files they
    describe, and deleting any of them would break the chain. Archiving comes in a later issue.
    """

    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Empty for actions of the system itself."),
    )
    actor_label = models.CharField(
        _("actor label"),
        max_length=200,
        help_text=_("Role, department and user number at the time; never a name."),
    )
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=255)
    data = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(_("hash of the previous entry"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["sequence"]
        indexes = [
            models.Index(
                fields=["object_type", "object_id", "sequence"], name="audit_entry_object_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="audit_entry_sequence_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        # Always INSERT: with a primary key set, Django would otherwise try an UPDATE first.
        if not self._state.adding or kwargs.get("update_fields") or kwargs.get("force_update"):
            raise AppendOnlyError("audit entries are append-only and cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are append-only and cannot be deleted")
