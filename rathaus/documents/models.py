import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The documents a service definition can name (`documents:` in service.yaml), and letters."""

    RECEIPT = "receipt", _("Receipt")
    DECISION_NOTICE = "decision_notice", _("Decision notice")
    PERMIT = "permit", _("Resident parking permit")
    REGISTRATION_CERTIFICATE = "registration_certificate", _("Registration certificate")
    FEE_NOTICE = "fee_notice", _("Fee notice")
    CONFIRMATION = "confirmation", _("Confirmation")
    LETTER = "letter", _("Letter")


class Delivery(models.TextChoices):
    POSTBOX = "postbox", _("postbox")
    POST = "post", _("by post")


class Document(models.Model):
    """A sealed PDF/A document of a case: a notice, permit, certificate, receipt or letter.

    Stored for as long as its case (deleted with it); the file is never changed after sealing.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("PDF"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    token_id = models.CharField(_("verification token"), max_length=40, blank=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    read_at = models.DateTimeField(_("first opened by the citizen"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]
        constraints = [
            # Issuing is idempotent: a retried task finds the document it made before.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=~models.Q(kind="letter"),
                name="one_document_of_a_kind_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.title}"
