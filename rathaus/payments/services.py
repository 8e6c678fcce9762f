"""Fees and payments: issue a case's fee, import bank statements, clarify what does not fit.

Every bank entry is stored once, in one transaction per file: a broken file stores nothing,
and importing a file again changes nothing. No payment is ever dropped: whatever cannot be
matched to a fee exactly goes to the treasury's clarification list.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User
from rathaus.audit.services import audit_record
from rathaus.cases.models import Case, CaseEvent, Outcome
from rathaus.cases.services import case_event_record
from rathaus.core.retention import register_purger

from .camt import CamtStatement, CamtTransaction, camt053_parse
from .models import (
    PAYABLE_STATES,
    BankEntry,
    BankStatement,
    Clarification,
    Fee,
    FeeCounter,
    FeeStatus,
    Payment,
    PaymentOutcome,
    Resolution,
    retention_date,
)
from .references import payment_reference_candidates, payment_reference_clean
from .references import payment_reference_make as _reference_make
from .selectors import is_treasury_member

logger = logging.getLogger(__name__)

# The key of the PostgreSQL advisory lock that serialises statement imports ("camt053" in ASCII).
IMPORT_LOCK_KEY = 0x63616D74303533


class PaymentError(Exception):
    """An action that is not possible; the message is shown to staff."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def cents_of(amount: Decimal) -> int:
    """Euro as a Decimal to whole cents; refuses fractions of a cent."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has fractions of a cent")
    return int(cents)


def _treasury_only(actor: User) -> None:
    if not is_treasury_member(user=actor):
        raise PaymentError(_("Only staff of the city treasury may do this."), code="forbidden")


# --- Fees -------------------------------------------------------------------------------------


def _counter_locked(year: int) -> FeeCounter:
    counter, _created = FeeCounter.objects.get_or_create(year=year)
    return FeeCounter.objects.select_for_update().get(pk=counter.pk)


@transaction.atomic
def fee_create_for_case(
    *, case: Case, amount_cents: int | None = None, due_date: datetime.date | None = None
) -> Fee:
    """Issue the fee of a case; once per case, so calling it again returns the same fee.

    Without an amount, the fee comes from the service definition the application was made
    against (its rules applied to the answers). Without a due date, it is due
    RATHAUS_FEE_DUE_DAYS days from today. The payment reference is an ISO 11649 creditor
    reference from a per-year sequence: RF, check digits, year, seven-digit number.
    """
    today = timezone.localdate()
    # The year's counter row serialises fee creation, so a second call for the same case sees
    # the first one's fee once that has committed.
    counter = _counter_locked(today.year)
    existing = Fee.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if amount_cents is None:
        version = case.application.service_version
        amount = version.spec.fee(case.application.answers)
        if amount is None:
            raise PaymentError(
                _("The service of case %(reference)s has no fee.") % {"reference": case.reference}
            )
        amount_cents = cents_of(amount)
    if not isinstance(amount_cents, int) or amount_cents <= 0:
        raise PaymentError(_("A fee must be a positive amount."))
    counter.last += 1
    counter.save(update_fields=["last"])
    try:
        with transaction.atomic():
            fee = Fee.objects.create(
                case=case,
                case_reference=case.reference,
                amount_cents=amount_cents,
                due_date=due_date or today + datetime.timedelta(days=settings.RATHAUS_FEE_DUE_DAYS),
                payment_reference=_reference_make(year=today.year, number=counter.last),
                delete_after=retention_date(today),
            )
    except IntegrityError:
        # Created by a call that committed in the meantime.
        return Fee.objects.get(case=case)
    audit_record(
        actor=None,
        action="fee.created",
        object_type="payments.fee",
        object_id=str(fee.pk),
        data={"case": case.pk, "amount_cents": amount_cents, "reference": fee.payment_reference},
    )
    return fee


def fee_issue_for_decision(*, case_id: int) -> Fee | None:
    """The fee of a decided case: issued for approvals, not for rejections or free services.

    The amount is the one the applicant was told when they submitted (`Case.fee`).
    """
    case = Case.objects.select_related("application__service_version").get(pk=case_id)
    decision = getattr(case, "decision", None)
    if case.fee is None or decision is None or decision.outcome == Outcome.REJECTED:
        return None
    return fee_create_for_case(case=case, amount_cents=cents_of(case.fee))


@transaction.atomic
def fee_cancel(*, fee: Fee, actor: User, note: str) -> Fee:
    """Cancel a fee nothing has been paid on yet (a payment that arrives later is clarified)."""
    _treasury_only(actor)
    note = note.strip()
    if not note:
        raise PaymentError(_("Say why the fee is cancelled."))
    fee = Fee.objects.select_for_update().get(pk=fee.pk)
    if fee.status != FeeStatus.OPEN or fee.received_cents:
        raise PaymentError(_("Only a fee nothing has been paid on can be cancelled."))
    fee.status = FeeStatus.CANCELLED
    fee.cancelled_at = timezone.now()
    fee.cancellation_note = note[:2000]
    fee.delete_after = max(fee.delete_after, retention_date(timezone.localdate()))
    fee.save(update_fields=["status", "cancelled_at", "cancellation_note", "delete_after"])
    audit_record(
        actor=actor,
        action="fee.cancelled",
        object_type="payments.fee",
        object_id=str(fee.pk),
        data={"note_length": len(note)},
    )
    return fee


# --- Matching payments to fees ----------------------------------------------------------------


def _status_of(fee: Fee) -> FeeStatus:
    if fee.received_cents == 0:
        return FeeStatus.OPEN
    if fee.received_cents < fee.amount_cents:
        return FeeStatus.PARTLY_PAID
    if fee.received_cents == fee.amount_cents:
        return FeeStatus.PAID
    return FeeStatus.OVERPAID


def _clarify(*, payment: Payment, reason: PaymentOutcome, fee: Fee | None) -> Clarification:
    return Clarification.objects.create(payment=payment, reason=reason, fee=fee)


def _payment_apply(*, payment: Payment, fee: Fee) -> PaymentOutcome:
    """Count a payment towards a locked fee; what does not fit exactly is clarified.

    Exact: paid. Less: partly paid, the fee stays open for the rest. More: overpaid. A fee
    that is paid or cancelled takes nothing: the payment is clarified instead.
    """
    now = timezone.now()
    keep_until = retention_date(timezone.localdate(now))
    payment.fee = fee
    if fee.status not in PAYABLE_STATES:
        payment.outcome = PaymentOutcome.FEE_SETTLED
        payment.save(update_fields=["fee", "outcome"])
        _clarify(payment=payment, reason=PaymentOutcome.FEE_SETTLED, fee=fee)
        return payment.outcome
    fee.received_cents += payment.amount_cents
    fee.status = _status_of(fee)
    fee.delete_after = max(fee.delete_after, keep_until)
    # An earlier "less than the fee" item is answered by this payment (a new one follows if
    # the fee is still short).
    Clarification.objects.filter(
        fee=fee, reason=PaymentOutcome.PARTLY_PAID, resolved_at__isnull=True
    ).update(resolved_at=now, resolution=Resolution.SETTLED)
    if fee.status in (FeeStatus.PAID, FeeStatus.OVERPAID):
        fee.paid_at = now
        if fee.case_id is not None:
            case_event_record(case=fee.case, kind=CaseEvent.Kind.FEE_PAID)
    fee.save(update_fields=["received_cents", "status", "delete_after", "paid_at"])
    payment.applied = True
    payment.outcome = PaymentOutcome(fee.status)
    payment.save(update_fields=["fee", "applied", "outcome"])
    BankStatement.objects.filter(entries__payments=payment, delete_after__lt=keep_until).update(
        delete_after=keep_until
    )
    if payment.outcome != PaymentOutcome.PAID:
        _clarify(payment=payment, reason=payment.outcome, fee=fee)
    return payment.outcome


def _candidates(transaction_: CamtTransaction) -> list[str]:
    """The payment references a transaction names, the structured one first."""
    found = []
    structured = payment_reference_clean(transaction_.structured_reference)
    if structured:
        found.append(structured)
    for text in (transaction_.structured_reference, transaction_.remittance):
        found += [c for c in payment_reference_candidates(text) if c not in found]
    return found


def _payment_record(*, entry: BankEntry, position: int, tx: CamtTransaction) -> Payment:
    candidates = _candidates(tx)
    by_reference = {
        fee.payment_reference: fee
        for fee in Fee.objects.select_for_update().filter(payment_reference__in=candidates)
    }
    fee = next((by_reference[c] for c in candidates if c in by_reference), None)
    remittance = " ".join(p for p in (tx.structured_reference, tx.remittance) if p)
    payment = Payment.objects.create(
        entry=entry,
        position=position,
        amount_cents=cents_of(tx.amount),
        currency=tx.currency,
        reference=fee.payment_reference if fee else (candidates[0] if candidates else ""),
        remittance=remittance[:1000],
        debtor_name=tx.debtor_name[:140],
        debtor_iban=tx.debtor_iban.replace(" ", "")[:34],
        end_to_end_id=tx.end_to_end_id[:35],
        outcome=PaymentOutcome.NO_REFERENCE,
    )
    if tx.currency != "EUR":
        reason = PaymentOutcome.OTHER_CURRENCY
    elif fee is not None:
        _payment_apply(payment=payment, fee=fee)
        return payment
    else:
        reason = PaymentOutcome.UNKNOWN_REFERENCE if candidates else PaymentOutcome.NO_REFERENCE
    payment.outcome = reason
    payment.save(update_fields=["outcome"])
    _clarify(payment=payment, reason=reason, fee=fee)
    return payment


# --- Bank statement import --------------------------------------------------------------------


@dataclass
class ImportReport:
    """What one file did: new entries, entries seen before, and how the payments matched."""

    statements: list[BankStatement] = field(default_factory=list)
    new_entries: int = 0
    known_entries: int = 0
    skipped_debits: int = 0
    skipped_pending: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def payments(self) -> int:
        return sum(self.outcomes.values())

    @property
    def clarifications(self) -> int:
        return self.payments - self.outcomes.get(PaymentOutcome.PAID, 0)

    @property
    def nothing_changed(self) -> bool:
        return self.new_entries == 0


def _statement_store(
    *, statement: CamtStatement, file_name: str, digest: str, actor: User | None, report
) -> None:
    today = timezone.localdate()
    record, _created = BankStatement.objects.get_or_create(
        account_iban=statement.account_iban,
        statement_id=statement.statement_id,
        defaults={
            "message_id": statement.message_id,
            "version": statement.version,
            "created_by_bank_at": statement.created_at,
            "from_date": statement.from_date,
            "to_date": statement.to_date,
            "file_name": file_name[:200],
            "file_sha256": digest,
            "imported_by": actor,
            "delete_after": retention_date(today),
        },
    )
    if record not in report.statements:
        report.statements.append(record)
    for entry in statement.entries:
        if not entry.credit:
            report.skipped_debits += 1
            continue
        if not entry.booked:
            report.skipped_pending += 1
            continue
        if BankEntry.objects.filter(statement=record, entry_reference=entry.reference).exists():
            report.known_entries += 1
            continue
        stored = BankEntry.objects.create(
            statement=record,
            entry_reference=entry.reference,
            amount_cents=cents_of(entry.amount),
            currency=entry.currency,
            booking_date=entry.booking_date,
            value_date=entry.value_date,
        )
        report.new_entries += 1
        for position, tx in enumerate(entry.transactions, start=1):
            payment = _payment_record(entry=stored, position=position, tx=tx)
            outcome = str(payment.outcome)
            report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1


def statement_import(*, data: bytes, file_name: str, actor: User | None) -> ImportReport:
    """Import a camt.053 file: all of it in one transaction, or nothing (`CamtError`).

    Each booked credit is matched to a fee by its payment reference; debits and entries not
    yet booked are left out. Entries imported before (same statement, same bank reference)
    are recognised and left alone, so importing a file twice changes nothing.
    """
    if actor is not None:
        _treasury_only(actor)
    statements = camt053_parse(data)
    digest = hashlib.sha256(data).hexdigest()
    report = ImportReport()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One import at a time, held until this one commits: a second import of the same
            # file then finds every entry, and imports never wait on each other's fee locks.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        for statement in statements:
            _statement_store(
                statement=statement,
                file_name=file_name,
                digest=digest,
                actor=actor,
                report=report,
            )
        if not report.nothing_changed:
            audit_record(
                actor=actor,
                action="payments.statement_imported",
                object_type="payments.bankstatement",
                object_id=",".join(str(s.pk) for s in report.statements)[:255],
                data={
                    "sha256": digest,
                    "new_entries": report.new_entries,
                    "known_entries": report.known_entries,
                    "outcomes": report.outcomes,
                },
            )
    # Counts only: the entries hold names and accounts of payers.
    logger.info(
        "camt.053 import: %d statements, %d new entries, %d known, outcomes %s",
        len(report.statements),
        report.new_entries,
        report.known_entries,
        report.outcomes,
    )
    return report


# --- Clarification by the treasury ------------------------------------------------------------


def _open_item_locked(clarification: Clarification) -> Clarification:
    item = Clarification.objects.select_for_update().get(pk=clarification.pk)
    if item.resolved_at is not None:
        raise PaymentError(_("This item has already been resolved."))
    return item


@transaction.atomic
def clarification_assign(
    *, clarification: Clarification, fee: Fee, actor: User, note: str = ""
) -> Clarification:
    """Assign a payment that matched no fee to a fee by hand, with the usual amount rules."""
    _treasury_only(actor)
    item = _open_item_locked(clarification)
    payment = Payment.objects.select_for_update().get(pk=item.payment_id)
    if payment.applied or payment.currency != "EUR":
        raise PaymentError(
            _("This payment already counts towards a fee; resolve the item with a note.")
        )
    fee = Fee.objects.select_for_update().get(pk=fee.pk)
    if fee.status not in PAYABLE_STATES:
        raise PaymentError(
            _("The fee %(reference)s is already paid or cancelled.")
            % {"reference": fee.payment_reference_display}
        )
    outcome = _payment_apply(payment=payment, fee=fee)
    item.resolved_at = timezone.now()
    item.resolved_by = actor
    item.resolution = Resolution.ASSIGNED
    item.note = note.strip()[:2000]
    item.save(update_fields=["resolved_at", "resolved_by", "resolution", "note"])
    audit_record(
        actor=actor,
        action="payments.clarification_assigned",
        object_type="payments.clarification",
        object_id=str(item.pk),
        data={"payment": payment.pk, "fee": fee.pk, "outcome": outcome},
    )
    return item


@transaction.atomic
def clarification_resolve(*, clarification: Clarification, actor: User, note: str) -> Clarification:
    """Close an item with a note on what was done (refunded, paid in cash, ...)."""
    _treasury_only(actor)
    note = note.strip()
    if not note:
        raise PaymentError(_("Write down what was done about the payment."))
    item = _open_item_locked(clarification)
    item.resolved_at = timezone.now()
    item.resolved_by = actor
    item.resolution = Resolution.RESOLVED
    item.note = note[:2000]
    item.save(update_fields=["resolved_at", "resolved_by", "resolution", "note"])
    audit_record(
        actor=actor,
        action="payments.clarification_resolved",
        object_type="payments.clarification",
        object_id=str(item.pk),
        # The note may name people: the trail keeps only that there was one.
        data={"payment": item.payment_id, "note_length": len(note)},
    )
    return item


# --- Retention --------------------------------------------------------------------------------


@register_purger(
    name="payments.statements", description="bank statements and their payments (10 years)"
)
def statements_purge_expired() -> int:
    deleted = 0
    for statement in BankStatement.objects.filter(delete_after__lt=timezone.localdate()):
        statement.delete()
        deleted += 1
    return deleted


@register_purger(name="payments.fees", description="fees, 10 years after their last change")
def fees_purge_expired() -> int:
    # A fee goes with (or after) the statements whose payments count towards it.
    expired = Fee.objects.filter(delete_after__lt=timezone.localdate()).exclude(
        payments__applied=True
    )
    _total, by_model = expired.delete()
    return by_model.get(Fee._meta.label, 0)
