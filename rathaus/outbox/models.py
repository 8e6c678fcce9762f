from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutgoingEmail(models.Model):
    """An e-mail waiting to go out, or gone; kept only for the e-mail retention period."""

    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML text"), blank=True)
    # [{"filename", "mimetype", "content" (base64)}]: small files such as an iCalendar invite.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    from_email = models.CharField(_("sender"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


class LetterStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the next print batch")
    BATCHED = "batched", _("in a print batch")
    PRINTED = "printed", _("printed")
    POSTED = "posted", _("posted")


class Letter(models.Model):
    """A letter to be printed and posted by the central print shop (Druckstraße).

    The letter keeps its own print copy of the PDF, deleted a short while after posting; the
    document itself stays in the case's file for the case's retention period.
    """

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("case"),
    )
    reference = models.CharField(_("file reference"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    recipient = models.JSONField(_("recipient address lines"))
    postcode = models.CharField(_("postcode"), max_length=10)
    file = models.FileField(_("PDF"), upload_to="outbox/letters/%Y/%m/")
    pages = models.PositiveSmallIntegerField(_("pages"))
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.QUEUED
    )
    batch = models.ForeignKey(
        "PrintBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("print batch"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            # A letter in a batch is never waiting, and a waiting letter is in no batch.
            models.CheckConstraint(
                condition=(models.Q(status="queued") & models.Q(batch__isnull=True))
                | (~models.Q(status="queued") & models.Q(batch__isnull=False)),
                name="letter_batch_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.pk}: {self.title}"


class BatchStatus(models.TextChoices):
    READY = "ready", _("ready to print")
    PRINTED = "printed", _("printed")
    POSTED = "posted", _("posted")


class PrintBatch(models.Model):
    """The letters of one print run, merged into one print-ready PDF with a manifest."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.READY
    )
    file = models.FileField(_("print PDF"), upload_to="outbox/batches/%Y/")
    manifest = models.FileField(_("manifest"), upload_to="outbox/batches/%Y/")
    letter_count = models.PositiveIntegerField(_("letters"))
    page_count = models.PositiveIntegerField(_("pages"))
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk}"
