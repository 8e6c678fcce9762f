"""Fees (receivables of the city) and the bank statements that pay them.

Amounts are whole euro cents, never floats. Payment records are accounting records: see
`retention_date` for how long they are kept and why.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import iban, iso11649

# Fees and the payments booked on them are the city treasury's books: books are kept ten years
# (§ 147 Abs. 1 Nr. 1, Abs. 3 AO; § 257 Abs. 1 Nr. 1, Abs. 4 HGB; the states' municipal budget
# regulations (Gemeindehaushaltsverordnungen) ask the same of the treasury's books). Bank
# statements are kept as long as the bookings they prove (as mere vouchers they would need only
# eight years since 2025), so every booking stays traceable to the bank's entry. The period
# starts at the end of the calendar year of the last change (§ 147 Abs. 4 AO, § 257 Abs. 5 HGB).
RETENTION_YEARS = 10


def euros(cents: int) -> Decimal:
    """Cents as a Decimal amount of euros, for display (two decimals)."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def retention_date(day: datetime.date) -> datetime.date:
    """The last day a payment record touched on `day` must be kept."""
    return datetime.date(day.year + RETENTION_YEARS, 12, 31)


class FeeStatus(models.TextChoices):
    OPEN = "open", _("open")
    PARTLY_PAID = "partly_paid", _("partly paid")
    PAID = "paid", _("paid")
    OVERPAID = "overpaid", _("overpaid")
    CANCELLED = "cancelled", _("cancelled")


# A fee in these states still takes payments; paid, overpaid and cancelled fees do not.
PAYABLE_STATES = frozenset({FeeStatus.OPEN, FeeStatus.PARTLY_PAID})


class FeeCounter(models.Model):
    """The last payment reference number given out in a year (one row per year, locked)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("payment reference counter")
        verbose_name_plural = _("payment reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Fee(models.Model):
    """A fee the city claims for a case (a receivable), with its payment reference."""

    case = models.ForeignKey(
        "cases.Case",
        # The fee outlives the case: accounting records are kept longer than most files.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fees",
        verbose_name=_("case"),
    )
    case_reference = models.CharField(_("file reference"), max_length=40)
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR", editable=False)
    due_date = models.DateField(_("due date"))
    payment_reference = models.CharField(
        _("payment reference"),
        max_length=25,
        unique=True,
        help_text=_("Structured creditor reference (ISO 11649) the payer gives with the payment."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FeeStatus.choices, default=FeeStatus.OPEN
    )
    received_cents = models.PositiveIntegerField(_("received in cents"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_note = models.TextField(
        _("reason for the cancellation"), max_length=2000, blank=True
    )
    delete_after = models.DateField(_("delete after"))

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            # One fee per case: creating it again returns the same fee.
            models.UniqueConstraint(fields=["case"], name="payments_one_fee_per_case"),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="payments_fee_amount_positive"
            ),
            models.CheckConstraint(condition=models.Q(currency="EUR"), name="payments_fee_in_euro"),
        ]

    def __str__(self) -> str:
        return self.payment_reference

    @property
    def payment_reference_display(self) -> str:
        """In groups of four, as printed on the notice: RF18 5390 0754 7034."""
        return iso11649.format(self.payment_reference)

    @property
    def amount(self) -> Decimal:
        return euros(self.amount_cents)

    @property
    def received(self) -> Decimal:
        return euros(self.received_cents)

    @property
    def outstanding(self) -> Decimal:
        """What is still to be paid (nothing on a cancelled fee)."""
        if self.status == FeeStatus.CANCELLED:
            return Decimal("0.00")
        return euros(max(0, self.amount_cents - self.received_cents))


class BankStatement(models.Model):
    """One imported bank-to-customer statement (camt.053 `Stmt`) of one of the city's accounts."""

    account_iban = models.CharField(_("account"), max_length=34)
    statement_id = models.CharField(_("statement id"), max_length=35)
    message_id = models.CharField(_("message id"), max_length=35)
    version = models.CharField(_("format"), max_length=20)
    created_by_bank_at = models.DateTimeField(_("created by the bank"), null=True, blank=True)
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    delete_after = models.DateField(_("delete after"))

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account_iban", "statement_id"], name="payments_statement_once"
            ),
        ]

    def __str__(self) -> str:
        return self.statement_id

    @property
    def account_display(self) -> str:
        return (
            iban.format(self.account_iban)
            if iban.is_valid(self.account_iban)
            else self.account_iban
        )


class BankEntry(models.Model):
    """One booked credit entry (`Ntry`) of a statement; a batch entry holds several payments."""

    statement = models.ForeignKey(
        BankStatement,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("bank statement"),
    )
    entry_reference = models.CharField(
        _("bank's entry reference"),
        max_length=80,
        help_text=_("AcctSvcrRef, else NtryRef of the entry: each entry is recorded once."),
    )
    amount_cents = models.PositiveBigIntegerField(_("amount in cents"))
    currency = models.CharField(_("currency"), max_length=3)
    booking_date = models.DateField(_("booking date"), null=True, blank=True)
    value_date = models.DateField(_("value date"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank entry")
        verbose_name_plural = _("bank entries")
        ordering = ["statement", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "entry_reference"], name="payments_entry_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement}/{self.entry_reference}"


class PaymentOutcome(models.TextChoices):
    PAID = "paid", _("fee paid")
    PARTLY_PAID = "partly_paid", _("less than the fee")
    OVERPAID = "overpaid", _("more than the fee")
    UNKNOWN_REFERENCE = "unknown_reference", _("unknown payment reference")
    NO_REFERENCE = "no_reference", _("no valid payment reference")
    FEE_SETTLED = "fee_settled", _("fee already paid or cancelled")
    OTHER_CURRENCY = "other_currency", _("not in euro")


class Payment(models.Model):
    """One incoming payment (`TxDtls`) of a booked credit entry, and which fee it paid."""

    entry = models.ForeignKey(
        BankEntry, on_delete=models.CASCADE, related_name="payments", verbose_name=_("bank entry")
    )
    position = models.PositiveSmallIntegerField(_("position in the entry"))
    amount_cents = models.PositiveBigIntegerField(_("amount in cents"))
    currency = models.CharField(_("currency"), max_length=3)
    reference = models.CharField(
        _("payment reference found"),
        max_length=35,
        blank=True,
        help_text=_("The valid creditor reference found in the remittance information."),
    )
    remittance = models.CharField(_("remittance information"), max_length=1000, blank=True)
    debtor_name = models.CharField(_("payer"), max_length=140, blank=True)
    debtor_iban = models.CharField(_("payer's account"), max_length=34, blank=True)
    end_to_end_id = models.CharField(_("end-to-end reference"), max_length=35, blank=True)
    fee = models.ForeignKey(
        Fee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("fee"),
    )
    applied = models.BooleanField(
        _("counted towards the fee"),
        default=False,
        help_text=_("Whether the amount was added to what the fee has received."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=PaymentOutcome.choices)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="payments_payment_once"),
            models.CheckConstraint(
                condition=models.Q(applied=False) | models.Q(fee__isnull=False),
                name="payments_applied_payment_has_a_fee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry}#{self.position}"

    @property
    def amount(self) -> Decimal:
        return euros(self.amount_cents)

    @property
    def debtor_iban_display(self) -> str:
        return iban.format(self.debtor_iban) if self.debtor_iban else ""


class Resolution(models.TextChoices):
    ASSIGNED = "assigned", _("assigned to a fee by hand")
    RESOLVED = "resolved", _("resolved with a note")
    SETTLED = "settled", _("answered by a later payment")


class Clarification(models.Model):
    """A payment the treasury must look at: amount or reference do not fit a fee."""

    payment = models.ForeignKey(
        Payment,
        on_delete=models.CASCADE,
        related_name="clarifications",
        verbose_name=_("payment"),
    )
    fee = models.ForeignKey(
        Fee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clarifications",
        verbose_name=_("fee"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=PaymentOutcome.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=Resolution.choices, blank=True
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("clarification item")
        verbose_name_plural = _("clarification items")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True, resolution="")
                | models.Q(resolved_at__isnull=False) & ~models.Q(resolution=""),
                name="payments_resolved_items_say_how",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def can_be_assigned(self) -> bool:
        """Only money not yet counted towards a fee can be assigned to one by hand."""
        return self.is_open and not self.payment.applied and self.payment.currency == "EUR"
