"""Incoming mail: every file that arrives, stored once by its SHA-256, and its way through the
pipeline (preflight, OCR, classification, extraction, matching, routing).

Retention (docs/intake.md): an item with its files, receipts and text is deleted
`RATHAUS_INTAKE_RETENTION_DAYS` after it arrived, or with the case it was attached to, whichever
is later; daily reconciliation reports are kept 400 days; a scanner's record 365 days after it
was switched off.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    DROP_FOLDER = "drop_folder", _("drop folder of the scan street")
    UPLOAD = "upload", _("upload in the post room")
    API = "api", _("scanner API")
    COMMAND = "command", _("command line")
    SEPARATED = "separated", _("separated from a batch")


class Status(models.TextChoices):
    PROCESSING = "processing", _("being processed")
    ROUTED = "routed", _("in a department's mail inbox")
    TRIAGE = "triage", _("in the triage queue")
    DONE = "done", _("done")
    SPLIT = "split", _("separated into letters")
    DEAD_LETTER = "dead_letter", _("could not be processed")


class Step(models.TextChoices):
    PREFLIGHT = "preflight", _("preflight")
    OCR = "ocr", _("text recognition")
    CLASSIFY = "classify", _("classification")
    EXTRACT = "extract", _("extraction")
    MATCH = "match", _("matching to a case")
    ROUTE = "route", _("routing")


# The pipeline's order: each step hands over to the next.
STEP_ORDER = [Step.PREFLIGHT, Step.OCR, Step.CLASSIFY, Step.EXTRACT, Step.MATCH, Step.ROUTE]


class Scanner(models.Model):
    """A scanner (or scan street) that posts to the API with its own token, stored hashed."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("first characters of the token"), max_length=8)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("switched off"), null=True, blank=True)

    class Meta:
        verbose_name = _("scanner")
        verbose_name_plural = _("scanners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IntakeItem(models.Model):
    """One stored file: a letter, or a batch that separator sheets split into letters."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    original = models.FileField(_("original file"), upload_to="intake/originals/%Y/%m/")
    mime = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    scanner = models.ForeignKey(
        Scanner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("scanner"),
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    parent = models.ForeignKey(
        "self",
        # A letter attached to a case may outlive its batch (see delete_after).
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("batch"),
    )
    received_at = models.DateTimeField(_("received"))
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    anomalies = models.JSONField(_("anomalies"), default=list, blank=True)
    transfer_note = models.JSONField(_("transfer note"), default=dict, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROCESSING
    )
    step = models.CharField(_("next step"), max_length=20, choices=Step.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts at this step"), default=0)
    claim_token = models.CharField(_("claim"), max_length=32, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    dead_letter_reason = models.CharField(_("reason"), max_length=40, blank=True)
    dead_letter_params = models.JSONField(_("details"), default=dict, blank=True)
    dead_letter_step = models.CharField(
        _("failed at"), max_length=20, choices=Step.choices, blank=True
    )

    ocr_text = models.TextField(_("recognised text"), blank=True)
    searchable = models.FileField(
        _("searchable PDF/A"), upload_to="intake/searchable/%Y/%m/", blank=True
    )
    document_type = models.CharField(_("document type"), max_length=40, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    model_version = models.CharField(_("model version"), max_length=40, blank=True)
    abstained = models.BooleanField(_("classifier abstained"), default=False)
    fields = models.JSONField(_("extracted fields"), default=dict, blank=True)
    matched_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming_letters",
        verbose_name=_("matched case"),
    )
    matched_reference = models.CharField(_("matched file reference"), max_length=40, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_letters",
        verbose_name=_("routed to"),
    )
    routing = models.JSONField(_("why it was routed there"), default=dict, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    delete_after = models.DateField(_("delete after"))

    class Meta:
        verbose_name = _("incoming letter")
        verbose_name_plural = _("incoming letters")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "department"]),
            models.Index(fields=["status", "claimed_until"]),
            models.Index(fields=["received_at"]),
        ]
        constraints = [
            # A step is set exactly while the item is in the pipeline.
            models.CheckConstraint(
                condition=(models.Q(status="processing") & ~models.Q(step=""))
                | (~models.Q(status="processing") & models.Q(step="")),
                name="intake_step_only_while_processing",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dead_letter") | ~models.Q(dead_letter_reason=""),
                name="intake_dead_letter_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.sha256[:12]}"


class Receipt(models.Model):
    """One arrival of a file through a channel: the count that the reconciliation starts from.

    A file that arrives a second time gets a receipt marked as duplicate, pointing to the item
    stored the first time.
    """

    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    item = models.ForeignKey(
        IntakeItem, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("item")
    )
    duplicate = models.BooleanField(_("duplicate"), default=False)
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    scanner = models.ForeignKey(
        Scanner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanner"),
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"{self.key}"


class ReconciliationReport(models.Model):
    """The daily reconciliation of a day's arrivals (figures only, no personal data)."""

    day = models.DateField(_("day"), unique=True)
    figures = models.JSONField(_("figures"))
    balanced = models.BooleanField(_("balanced"))
    created_at = models.DateTimeField(_("made"), auto_now=True)

    class Meta:
        verbose_name = _("reconciliation report")
        verbose_name_plural = _("reconciliation reports")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)
