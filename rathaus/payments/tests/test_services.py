"""Fees and the camt.053 import: good, partial, over, unknown, duplicate and broken files."""

import datetime
import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.cases.models import CaseEvent
from rathaus.cases.services import case_assign, case_decide
from rathaus.core.retention import purgers
from rathaus.payments.camt import VERSIONS, CamtError
from rathaus.payments.camt_fixtures import FixtureEntry, FixturePayment, camt053_build
from rathaus.payments.models import (
    BankEntry,
    BankStatement,
    Clarification,
    Fee,
    FeeStatus,
    Payment,
    PaymentOutcome,
    Resolution,
)
from rathaus.payments.services import (
    PaymentError,
    clarification_assign,
    clarification_resolve,
    fee_cancel,
    fee_create_for_case,
    statement_import,
)

from .conftest import ACCOUNT, DAY, payments_snapshot, scenario_for

pytestmark = pytest.mark.django_db


def _import(data: bytes, actor=None):
    return statement_import(data=data, file_name="auszug.xml", actor=actor)


def _statement(*payments: FixturePayment, statement_id="S-1", reference="E-1") -> bytes:
    return camt053_build(
        entries=[FixtureEntry(payments=payments, reference=reference)],
        account_iban=ACCOUNT,
        statement_id=statement_id,
        day=DAY,
    )


def _open_items(**filters) -> list[str]:
    return list(
        Clarification.objects.filter(resolved_at__isnull=True, **filters).values_list(
            "reason", flat=True
        )
    )


# --- Fees -------------------------------------------------------------------------------------


def test_a_fee_takes_amount_and_due_date_from_the_service_and_settings(make_case, settings):
    settings.RATHAUS_FEE_DUE_DAYS = 30
    case = make_case()
    fee = fee_create_for_case(case=case)
    assert fee.amount_cents == 3000  # "30.00" in the service definition
    assert fee.currency == "EUR"
    assert fee.due_date == timezone.localdate() + datetime.timedelta(days=30)
    assert fee.status == FeeStatus.OPEN
    assert fee.case_reference == case.reference
    assert fee.payment_reference.startswith(f"RF{fee.payment_reference[2:4]}{DAY.year}")
    # Kept ten years after the end of the year it was issued in.
    assert fee.delete_after == datetime.date(timezone.localdate().year + 10, 12, 31)
    assert AuditEntry.objects.filter(action="fee.created", object_id=str(fee.pk)).exists()


def test_the_service_rules_set_the_amount(make_case):
    from rathaus.applications.models import Application

    case = make_case()
    Application.objects.filter(pk=case.application_id).update(answers={"kind": "change"})
    case.application.refresh_from_db()
    assert fee_create_for_case(case=case).amount_cents == 1500


def test_creating_the_fee_again_returns_the_same_fee(make_case):
    case = make_case()
    first = fee_create_for_case(case=case, amount_cents=1250)
    again = fee_create_for_case(case=case, amount_cents=9999)
    assert again.pk == first.pk
    assert Fee.objects.count() == 1
    assert again.amount_cents == 1250


def test_payment_references_count_up_per_year(make_fee):
    first, second = make_fee(), make_fee()
    assert int(second.payment_reference[-7:]) == int(first.payment_reference[-7:]) + 1


def test_a_fee_needs_a_positive_amount(make_case):
    with pytest.raises(PaymentError):
        fee_create_for_case(case=make_case(), amount_cents=0)
    assert not Fee.objects.exists()


def test_an_approval_issues_the_fee_a_rejection_does_not(department, make_case):
    from .conftest import cases_conftest

    worker = cases_conftest.staff(department)
    approved, rejected = make_case(), make_case()
    for case, outcome in ((approved, "approved"), (rejected, "rejected")):
        case_assign(case=case, assignee=worker, actor=worker)
        case_decide(case=case, actor=worker, outcome=outcome, reason="x", legal_basis="y")
    fee = Fee.objects.get()
    assert fee.case == approved
    assert fee.amount_cents == 3000


# --- Import -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_generated_statement_pays_and_clarifies_as_expected(make_fee, version):
    fees = [make_fee(amount_cents=1000 * n) for n in range(1, 8)]
    scenario = scenario_for(fees, version=version)
    report = _import(scenario.data)
    assert report.payments == scenario.credit_payments
    assert report.skipped_debits == scenario.debit_entries
    assert report.skipped_pending == scenario.pending_entries
    for fee in fees:
        fee.refresh_from_db()
        assert fee.status == scenario.expected_status[fee.payment_reference], fee
    reasons = _open_items()
    assert {reason: reasons.count(reason) for reason in set(reasons)} == (
        scenario.expected_clarifications
    )
    # Every booked credit is recorded, with its payer: nothing is lost.
    assert Payment.objects.count() == scenario.credit_payments
    assert BankStatement.objects.get().version == version


def test_the_exact_amount_pays_the_fee_and_the_case_timeline_says_so(make_fee):
    fee = make_fee(amount_cents=3000)
    report = _import(
        _statement(FixturePayment(amount_cents=3000, remittance=f"Gebuehr {fee.payment_reference}"))
    )
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID
    assert fee.received_cents == 3000
    assert fee.paid_at is not None
    assert report.outcomes == {PaymentOutcome.PAID: 1}
    assert report.clarifications == 0
    assert not Clarification.objects.exists()
    assert fee.case.events.filter(kind=CaseEvent.Kind.FEE_PAID).count() == 1
    assert Payment.objects.get().debtor_name == "Lena Schäfer"


def test_less_leaves_the_fee_open_for_the_rest_and_asks_for_clarification(make_fee):
    fee = make_fee(amount_cents=3000)
    _import(_statement(FixturePayment(amount_cents=1000, reference=fee.payment_reference)))
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PARTLY_PAID
    assert str(fee.outstanding) == "20.00"
    assert _open_items(fee=fee) == [PaymentOutcome.PARTLY_PAID]
    assert not fee.case.events.filter(kind=CaseEvent.Kind.FEE_PAID).exists()

    # The rest arrives with the next statement: paid, and the item is answered.
    _import(
        _statement(
            FixturePayment(amount_cents=2000, reference=fee.payment_reference),
            statement_id="S-2",
        )
    )
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID
    assert fee.received_cents == 3000
    assert _open_items() == []
    assert Clarification.objects.get().resolution == Resolution.SETTLED
    assert fee.case.events.filter(kind=CaseEvent.Kind.FEE_PAID).count() == 1


def test_more_marks_the_fee_overpaid_with_a_clarification(make_fee):
    fee = make_fee(amount_cents=3000)
    _import(_statement(FixturePayment(amount_cents=3500, reference=fee.payment_reference)))
    fee.refresh_from_db()
    assert fee.status == FeeStatus.OVERPAID
    assert fee.received_cents == 3500
    assert _open_items(fee=fee) == [PaymentOutcome.OVERPAID]
    assert fee.case.events.filter(kind=CaseEvent.Kind.FEE_PAID).count() == 1


def test_unknown_and_missing_references_go_to_the_clarification_list(make_fee):
    fee = make_fee(amount_cents=3000)
    typo = fee.payment_reference[:-1] + str((int(fee.payment_reference[-1]) + 1) % 10)
    _import(
        _statement(
            FixturePayment(amount_cents=3000, reference="RF18539007547034"),
            FixturePayment(amount_cents=3000, remittance=f"Gebuehr {typo}"),
            FixturePayment(amount_cents=3000, remittance="Parkausweis Lena Weber"),
        )
    )
    fee.refresh_from_db()
    assert fee.status == FeeStatus.OPEN  # a typo never pays a fee
    assert sorted(_open_items()) == sorted(
        [
            PaymentOutcome.UNKNOWN_REFERENCE,
            PaymentOutcome.NO_REFERENCE,
            PaymentOutcome.NO_REFERENCE,
        ]
    )
    assert Payment.objects.filter(applied=True).count() == 0
    assert Payment.objects.get(position=1).reference == "RF18539007547034"


def test_a_payment_to_a_paid_or_cancelled_fee_is_clarified_not_counted(make_fee, cashier):
    paid, cancelled = make_fee(amount_cents=1000), make_fee(amount_cents=1000)
    _import(_statement(FixturePayment(amount_cents=1000, reference=paid.payment_reference)))
    fee_cancel(fee=cancelled, actor=cashier, note="Antrag zurückgenommen")
    _import(
        _statement(
            FixturePayment(amount_cents=1000, reference=paid.payment_reference),
            FixturePayment(amount_cents=1000, reference=cancelled.payment_reference),
            statement_id="S-2",
        )
    )
    paid.refresh_from_db()
    cancelled.refresh_from_db()
    assert (paid.status, paid.received_cents) == (FeeStatus.PAID, 1000)
    assert (cancelled.status, cancelled.received_cents) == (FeeStatus.CANCELLED, 0)
    assert _open_items() == [PaymentOutcome.FEE_SETTLED, PaymentOutcome.FEE_SETTLED]


def test_a_batch_entry_pays_several_fees(make_fee):
    first, second = make_fee(amount_cents=1000), make_fee(amount_cents=2500)
    _import(
        _statement(
            FixturePayment(amount_cents=1000, reference=first.payment_reference),
            FixturePayment(amount_cents=2500, remittance=second.payment_reference.lower()),
        )
    )
    assert set(Fee.objects.values_list("status", flat=True)) == {FeeStatus.PAID}
    assert BankEntry.objects.get().amount_cents == 3500
    assert Payment.objects.count() == 2


def test_importing_the_same_file_twice_changes_nothing_and_says_so(make_fee):
    fees = [make_fee(amount_cents=1000 * n) for n in range(1, 6)]
    data = scenario_for(fees).data
    first = _import(data)
    assert not first.nothing_changed
    before = payments_snapshot()
    audit_entries = AuditEntry.objects.count()
    events = CaseEvent.objects.count()
    again = _import(data)
    assert again.nothing_changed
    assert again.known_entries == first.new_entries
    assert payments_snapshot() == before
    assert AuditEntry.objects.count() == audit_entries
    assert CaseEvent.objects.count() == events


def test_a_statement_delivered_again_with_more_entries_adds_only_the_new_ones(make_fee):
    fee = make_fee(amount_cents=1000)
    _import(_statement(FixturePayment(amount_cents=400, reference=fee.payment_reference)))
    data = camt053_build(
        entries=[
            FixtureEntry(
                payments=(FixturePayment(amount_cents=400, reference=fee.payment_reference),),
                reference="E-1",
            ),
            FixtureEntry(
                payments=(FixturePayment(amount_cents=600, reference=fee.payment_reference),),
                reference="E-2",
            ),
        ],
        account_iban=ACCOUNT,
        statement_id="S-1",
        day=DAY,
    )
    report = _import(data)
    assert (report.new_entries, report.known_entries) == (1, 1)
    fee.refresh_from_db()
    assert (fee.status, fee.received_cents) == (FeeStatus.PAID, 1000)


BROKEN = [
    b"not xml at all",
    b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>',
]


@pytest.mark.parametrize("breakage", ["not_xml", "wrong_schema", "missing_amount", "late_error"])
def test_a_broken_file_is_refused_whole(make_fee, breakage):
    fees = [make_fee(amount_cents=1000 * n) for n in range(1, 6)]
    data = scenario_for(fees).data
    if breakage == "not_xml":
        data = data[: len(data) // 2]
    elif breakage == "wrong_schema":
        data = data.replace(b"camt.053.001.08", b"camt.052.001.08")
    elif breakage == "missing_amount":
        start = data.index(b'<Amt Ccy="EUR">', data.index(b"<Ntry>"))
        data = data[:start] + data[data.index(b"</Amt>", start) + len(b"</Amt>") :]
    else:
        # The last entry is broken: nothing of the good entries before it may stay.
        last = data.index(b'<Amt Ccy="EUR">', data.rindex(b"<Ntry>"))
        data = data[:last] + b"<Amt>" + data[last + len(b'<Amt Ccy="EUR">') :]
    before = payments_snapshot()
    with pytest.raises(CamtError):
        _import(data)
    assert payments_snapshot() == before
    assert not AuditEntry.objects.filter(action="payments.statement_imported").exists()


def test_the_import_logs_counts_never_payers(make_fee, caplog):
    fee = make_fee(amount_cents=1000)
    with caplog.at_level(logging.DEBUG):
        _import(
            _statement(
                FixturePayment(
                    amount_cents=1000,
                    reference=fee.payment_reference,
                    debtor_name="Annegret Sonnenschein",
                    debtor_iban="DE02123456780000000001",
                )
            )
        )
    assert "camt.053 import" in caplog.text
    assert "Sonnenschein" not in caplog.text
    assert "DE02123456780000000001" not in caplog.text
    entry = AuditEntry.objects.get(action="payments.statement_imported")
    assert "Sonnenschein" not in str(entry.data)


# --- Clarification ----------------------------------------------------------------------------


def test_an_unknown_payment_is_assigned_by_hand(make_fee, cashier):
    fee = make_fee(amount_cents=3000)
    _import(_statement(FixturePayment(amount_cents=3000, remittance="Parkausweis Weber")))
    item = Clarification.objects.get()
    clarification_assign(clarification=item, fee=fee, actor=cashier, note="Name passt")
    fee.refresh_from_db()
    item.refresh_from_db()
    assert fee.status == FeeStatus.PAID
    assert (item.resolution, item.resolved_by, item.note) == (
        Resolution.ASSIGNED,
        cashier,
        "Name passt",
    )
    assert Payment.objects.get().applied
    assert fee.case.events.filter(kind=CaseEvent.Kind.FEE_PAID).count() == 1
    entry = AuditEntry.objects.get(action="payments.clarification_assigned")
    assert entry.actor == cashier
    assert entry.data == {"payment": item.payment_id, "fee": fee.pk, "outcome": "paid"}
    assert _open_items() == []


def test_assigning_too_little_by_hand_opens_a_new_item_for_the_fee(make_fee, cashier):
    fee = make_fee(amount_cents=3000)
    _import(_statement(FixturePayment(amount_cents=1000, remittance="Weber")))
    clarification_assign(clarification=Clarification.objects.get(), fee=fee, actor=cashier)
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PARTLY_PAID
    assert _open_items(fee=fee) == [PaymentOutcome.PARTLY_PAID]


def test_refused_manual_actions_change_nothing(make_fee, cashier):
    from rathaus.accounts.tests.factories import UserFactory

    paid, target = make_fee(amount_cents=1000), make_fee(amount_cents=1000)
    _import(
        _statement(
            FixturePayment(amount_cents=1000, reference=paid.payment_reference),
            FixturePayment(amount_cents=500, reference=target.payment_reference),
            FixturePayment(amount_cents=700, remittance="ohne Angabe"),
        )
    )
    partial = Clarification.objects.get(reason=PaymentOutcome.PARTLY_PAID)
    unknown = Clarification.objects.get(reason=PaymentOutcome.NO_REFERENCE)
    before = payments_snapshot()
    refusals = [
        # The partial payment already counts towards its fee.
        lambda: clarification_assign(clarification=partial, fee=paid, actor=cashier),
        # A paid fee takes no more money by hand.
        lambda: clarification_assign(clarification=unknown, fee=paid, actor=cashier),
        # Resolving needs a note.
        lambda: clarification_resolve(clarification=unknown, actor=cashier, note="  "),
        # Only the treasury.
        lambda: clarification_resolve(clarification=unknown, actor=UserFactory(), note="x"),
        lambda: clarification_assign(clarification=unknown, fee=target, actor=UserFactory()),
        # A fee with money on it cannot be cancelled.
        lambda: fee_cancel(fee=target, actor=cashier, note="x"),
    ]
    for refusal in refusals:
        with pytest.raises(PaymentError):
            refusal()
    assert payments_snapshot() == before


def test_an_item_is_resolved_once_with_a_note(make_fee, cashier):
    _import(_statement(FixturePayment(amount_cents=700, remittance="ohne Angabe")))
    item = Clarification.objects.get()
    clarification_resolve(clarification=item, actor=cashier, note="Zurücküberwiesen am 3.3.")
    item.refresh_from_db()
    assert (item.resolution, item.note) == (Resolution.RESOLVED, "Zurücküberwiesen am 3.3.")
    with pytest.raises(PaymentError):
        clarification_resolve(clarification=item, actor=cashier, note="noch einmal")
    entry = AuditEntry.objects.get(action="payments.clarification_resolved")
    assert "Zurück" not in str(entry.data)


# --- Retention and the command ----------------------------------------------------------------


def test_payment_records_are_purged_after_ten_years_only(make_fee):
    fee = make_fee(amount_cents=1000)
    _import(_statement(FixturePayment(amount_cents=1000, reference=fee.payment_reference)))
    by_name = {purger.name: purger for purger in purgers()}
    assert by_name["payments.statements"].purge() == 0
    assert by_name["payments.fees"].purge() == 0
    past = timezone.localdate() - datetime.timedelta(days=1)
    BankStatement.objects.update(delete_after=past)
    Fee.objects.update(delete_after=past)
    # The fee waits for the statement whose payment counts towards it.
    assert by_name["payments.fees"].purge() == 0
    assert by_name["payments.statements"].purge() == 1
    assert by_name["payments.fees"].purge() == 1
    assert not Payment.objects.exists()
    assert not Fee.objects.exists()


def test_a_purged_case_leaves_its_fee_for_the_books(make_fee):
    from rathaus.cases.services import case_delete

    fee = make_fee(amount_cents=1000)
    case_delete(case=fee.case)
    fee.refresh_from_db()
    assert fee.case is None
    assert fee.case_reference.startswith("WUP-104-")
    _import(_statement(FixturePayment(amount_cents=1000, reference=fee.payment_reference)))
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID


def test_the_command_imports_files_and_refuses_broken_ones(make_fee, tmp_path, english):
    fee = make_fee(amount_cents=1000)
    good = tmp_path / "good.xml"
    good.write_bytes(_statement(FixturePayment(amount_cents=1000, reference=fee.payment_reference)))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<Document>")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("payments_import", str(good), str(broken), stdout=out, stderr=err)
    assert "good.xml: 1 new entries, 1 fees paid, 0 payments to clarify" in out.getvalue()
    assert "broken.xml: not imported: The file is not a readable XML file." in err.getvalue()
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID
    out = io.StringIO()
    call_command("payments_import", str(good), stdout=out)
    assert "good.xml: imported before; nothing has changed." in out.getvalue()
    assert Payment.objects.count() == 1


def test_the_demo_statement_pays_the_open_fees(make_fee, tmp_path, settings, english):
    for n in range(1, 6):
        make_fee(amount_cents=1000 * n)
    output = tmp_path / "demo.xml"
    with pytest.raises(CommandError):
        call_command("payments_demo_statement", "--output", str(output), stdout=io.StringIO())
    assert not output.exists()
    settings.DEBUG = True
    out = io.StringIO()
    call_command("payments_demo_statement", "--output", str(output), "--seed", "5", stdout=out)
    assert "paying 5 open fees" in out.getvalue()
    report = _import(output.read_bytes())
    assert report.outcomes["paid"] == 3
    statuses = set(Fee.objects.values_list("status", flat=True))
    assert statuses == {FeeStatus.PAID, FeeStatus.PARTLY_PAID, FeeStatus.OVERPAID}
