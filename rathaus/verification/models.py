from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import kind_by_slug


class RevokeReason(models.TextChoices):
    """Why a document no longer counts; a fixed list, so no personal data slips in."""

    REPLACED = "replaced", _("replaced by a new document")
    WITHDRAWN = "withdrawn", _("withdrawn by the authority")
    RETURNED = "returned", _("given back by the holder")
    LOST = "lost", _("reported lost or stolen")
    ISSUED_IN_ERROR = "error", _("issued in error")


class IssuedToken(models.Model):
    """A signed token printed on a document: what revocation needs, and no personal data.

    The printed details (name, plates, address) live only in the token on the paper.
    """

    token_id = models.CharField(_("token id"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind of document"), max_length=40, editable=False)
    key_id = models.CharField(_("signing key"), max_length=16, editable=False)
    valid_from = models.DateField(_("valid from"), editable=False)
    valid_until = models.DateField(_("valid until"), editable=False)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoke_reason = models.CharField(
        _("reason for revocation"),
        max_length=20,
        choices=RevokeReason.choices,
        blank=True,
        editable=False,
    )
    # A generic pointer to the paperwork, such as the case's file reference.
    reference = models.CharField(_("reference"), max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("verification token")
        verbose_name_plural = _("verification tokens")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["reference"]), models.Index(fields=["valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_until")),
                name="verification_token_dates_in_order",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(revoked_at__isnull=True, revoke_reason="")
                    | models.Q(revoked_at__isnull=False) & ~models.Q(revoke_reason="")
                ),
                name="verification_token_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.token_id

    @property
    def kind_label(self) -> str:
        kind = kind_by_slug(self.kind)
        return str(kind.label) if kind else self.kind
