import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.catalog.models import ServiceVersion


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class Application(models.Model):
    """What a citizen fills in: answers to one pinned version of a service definition."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    service_version = models.ForeignKey(
        ServiceVersion,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("service version"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    completed_steps = models.JSONField(_("completed steps"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    expires_at = models.DateTimeField(_("draft expires"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.service_version} {self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_expired(self) -> bool:
        return self.is_draft and self.expires_at <= timezone.now()


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Server-made names only: nothing of the client's file name reaches the storage."""
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    """An uploaded document, checked by content and stored under a generated name."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    field_id = models.CharField(_("field"), max_length=50)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    display_name = models.CharField(_("file name"), max_length=100)
    mime = models.CharField(_("type"), max_length=50)
    extension = models.CharField(_("extension"), max_length=5)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "field_id"], name="one_attachment_per_field"
            )
        ]

    def __str__(self) -> str:
        return self.display_name
