from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department

from .states import CaseStatus


class Case(models.Model):
    """The administrative procedure (Vorgang) that a submitted application opens."""

    reference = models.CharField(_("file reference"), max_length=40, unique=True)
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="case",
        verbose_name=_("application"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="cases", verbose_name=_("department")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("applicant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    assurance = models.PositiveSmallIntegerField(
        _("level of assurance of the submission"), default=1
    )
    submitted_at = models.DateTimeField(_("submitted"))
    due_date = models.DateField(_("processing deadline"))
    paused_since = models.DateField(_("deadline paused since"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated to the lead on"), null=True, blank=True)
    automation = models.JSONField(_("automated checks"), default=dict, blank=True)
    # Reference, applicant's name and answers as plain text, for the inbox search.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2, null=True, blank=True)
    delete_after = models.DateField(_("delete after"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["department", "status", "due_date"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_overdue(self) -> bool:
        from .states import OPEN_STATES

        return self.status in OPEN_STATES and self.due_date < timezone.localdate()

    @property
    def automation_explained(self) -> dict:
        """The automated checks in the active language (German when missing)."""
        from django.utils.translation import get_language

        language = (get_language() or "de")[:2]
        return self.automation.get(language) or self.automation.get("de") or {}

    @property
    def can_be_withdrawn(self) -> bool:
        from .states import TRANSITIONS, Action

        return self.status in TRANSITIONS[Action.WITHDRAW][0]

    @property
    def is_due_soon(self) -> bool:
        from .states import OPEN_STATES

        days_left = (self.due_date - timezone.localdate()).days
        return self.status in OPEN_STATES and 0 <= days_left <= 3


class CaseEvent(models.Model):
    """One entry of a case's timeline, as the citizen sees it."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Application received")
        IN_REVIEW = "in_review", _("Processing started")
        INFORMATION_REQUESTED = "information_requested", _("Information requested from you")
        CITIZEN_ANSWERED = "citizen_answered", _("Your answer was received")
        DECIDED = "decided", _("Decision made")
        CLOSED = "closed", _("Case closed")
        WITHDRAWN = "withdrawn", _("Application withdrawn")
        DOCUMENT_IN_POSTBOX = "document_in_postbox", _("A document was put in your postbox")
        LETTER_POSTED = "letter_posted", _("A letter was sent to you by post")
        FEE_PAID = "fee_paid", _("Fee paid")
        LETTER_RECEIVED = "letter_received", _("Your letter was received")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.kind}"


class CaseNote(models.Model):
    """An internal note of staff; never shown to the citizen."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("author")
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: note {self.pk}"


class InformationRequest(models.Model):
    """A caseworker's request for information or documents, and the citizen's answer."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="requests", verbose_name=_("case")
    )
    message = models.TextField(_("message to the applicant"), max_length=4000)
    documents = models.JSONField(_("documents asked for"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: request {self.pk}"


class Outcome(models.TextChoices):
    APPROVED = "approved", _("approved")
    PARTLY_APPROVED = "partly_approved", _("partly approved")
    REJECTED = "rejected", _("rejected")


class Decision(models.Model):
    """The decision on a case as structured data: what, why, legal basis, who, when."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="decision", verbose_name=_("case")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reason"), max_length=8000)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    automated = models.BooleanField(_("decided automatically"), default=False)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    # Four-eyes principle: where the service asks for it, a second person confirms.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(automated=True) | models.Q(decided_by__isnull=False),
                name="decision_has_a_person_or_is_automated",
            ),
            # A rule may only approve: a rejection always needs a person.
            models.CheckConstraint(
                condition=models.Q(automated=False) | models.Q(outcome="approved"),
                name="automated_decisions_only_approve",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("decided_by")),
                name="four_eyes_needs_a_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.outcome}"

    @property
    def awaiting_confirmation(self) -> bool:
        return not self.automated and self.confirmed_at is None and self.case.status == "in_review"


class ReferenceCounter(models.Model):
    """The last file reference number given out per department and year (gap-free)."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, verbose_name=_("department")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.department.code}/{self.year}: {self.last}"
