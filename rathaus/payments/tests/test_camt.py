"""Reading camt.053 files: every supported version, and every way a file can be broken."""

from decimal import Decimal

import pytest

from rathaus.payments.camt import MAX_BYTES, VERSIONS, CamtError, camt053_parse
from rathaus.payments.camt_fixtures import (
    FixtureEntry,
    FixturePayment,
    camt053_build,
    camt053_scenario,
)
from rathaus.payments.references import payment_reference_make

from .conftest import ACCOUNT, DAY


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of the parser's messages."""


FEES = [(payment_reference_make(year=2026, number=n), 1000 * n) for n in range(1, 6)]


def _build(entries, version="camt.053.001.08") -> bytes:
    return camt053_build(
        entries=entries, account_iban=ACCOUNT, statement_id="S-1", day=DAY, version=version
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_reads_the_same(version):
    scenario = camt053_scenario(fees=FEES, seed=3, account_iban=ACCOUNT, day=DAY, version=version)
    [statement] = camt053_parse(scenario.data)
    assert statement.version == version
    assert statement.statement_id == scenario.statement_id
    assert statement.account_iban == ACCOUNT
    assert statement.from_date == statement.to_date == DAY
    credits = [e for e in statement.entries if e.credit and e.booked]
    assert sum(len(e.transactions) for e in credits) == scenario.credit_payments
    assert sum(not e.credit for e in statement.entries) == scenario.debit_entries
    assert sum(not e.booked for e in statement.entries) == scenario.pending_entries
    batch = next(e for e in credits if len(e.transactions) > 1)
    assert sum(t.amount for t in batch.transactions) == batch.amount
    structured = next(t for e in credits for t in e.transactions if t.structured_reference)
    assert structured.debtor_name and structured.debtor_iban.startswith("DE")
    assert structured.end_to_end_id.startswith("E2E")


def test_amounts_remittance_and_dates_are_read_exactly():
    data = _build(
        [
            FixtureEntry(
                payments=(
                    FixturePayment(amount_cents=1250, reference="RF0520260000042"),
                    FixturePayment(amount_cents=1, remittance="x" * 150 + " RF05"),
                ),
                reference="ENTRY-1",
            )
        ]
    )
    [statement] = camt053_parse(data)
    [entry] = statement.entries
    assert entry.reference == "ENTRY-1"
    assert entry.amount == Decimal("12.51")
    assert entry.booking_date == entry.value_date == DAY
    first, second = entry.transactions
    assert (first.amount, first.currency) == (Decimal("12.50"), "EUR")
    assert first.structured_reference == "RF0520260000042"
    # Free text over 140 characters comes in several Ustrd lines, read as one.
    assert second.remittance.replace(" ", "").endswith("x" * 150 + "RF05")


def test_an_entry_without_details_takes_its_amount_and_additional_information():
    data = _build([FixtureEntry(payments=(FixturePayment(amount_cents=500),), reference="E")])
    data = data.replace(
        data[data.index(b"<NtryDtls>") : data.index(b"</NtryDtls>") + len(b"</NtryDtls>")],
        b"",
    ).replace(b"SEPA-Gutschrift", b"RF05 2026 0000 042")
    [statement] = camt053_parse(data)
    [transaction] = statement.entries[0].transactions
    assert transaction.amount == Decimal("5.00")
    assert transaction.remittance == "RF05 2026 0000 042"


def test_an_entry_without_bank_reference_gets_a_stable_one():
    entries = [FixtureEntry(payments=(FixturePayment(amount_cents=500),), reference="X")] * 2
    data = _build(entries).replace(b"<AcctSvcrRef>X</AcctSvcrRef>", b"")
    first, second = camt053_parse(data)[0].entries
    assert first.reference != second.reference  # same content, other position
    assert [e.reference for e in camt053_parse(data)[0].entries] == [
        first.reference,
        second.reference,
    ]


def _broken(data: bytes) -> str:
    with pytest.raises(CamtError) as refused:
        camt053_parse(data)
    return str(refused.value.message)


GOOD = _build(
    [
        FixtureEntry(
            payments=(FixturePayment(amount_cents=1000), FixturePayment(amount_cents=2000)),
            reference="BATCH",
        )
    ]
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.7 not a statement", "not a readable XML file"),
        (b"<Document><BkToCstmrStmt>", "not a readable XML file"),
        (
            GOOD.replace(b"camt.053.001.08", b"camt.054.001.08"),
            "not a camt.053 bank statement in a supported version",
        ),
        (
            GOOD.replace(b"camt.053.001.08", b"camt.053.001.06"),
            "not a camt.053 bank statement in a supported version",
        ),
        (b'<?xml version="1.0"?><Document/>', "not a camt.053 bank statement"),
        (GOOD.replace(b"<MsgId>S-1-MSG</MsgId>", b""), "no message id"),
        (GOOD.replace(b"<Id>S-1</Id>", b""), "has no id"),
        (GOOD.replace(b"<IBAN>" + ACCOUNT.encode() + b"</IBAN>", b""), "names no account"),
        (
            GOOD.replace(b'<Amt Ccy="EUR">30.00</Amt>', b""),
            "Entry 1 of statement S-1 has no amount",
        ),
        (GOOD.replace(b">30.00<", b">30,00<"), "no valid amount"),
        (GOOD.replace(b'Ccy="EUR">30.00', b">30.00"), "no valid amount"),
        (GOOD.replace(b">30.00<", b">30.001<"), "more than two decimals"),
        (
            GOOD.replace(b"</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>", b"</Amt><Sts>"),
            "neither credit nor debit",
        ),
        (GOOD.replace(b"<Sts><Cd>BOOK</Cd></Sts>", b""), "has no status"),
        (GOOD.replace(b">20.00<", b">25.00<"), "do not add up"),
        (
            # A batch whose payments have no amounts of their own.
            GOOD.replace(b'<Amt Ccy="EUR">10.00</Amt>', b"").replace(
                b'<Amt Ccy="EUR">20.00</Amt>', b""
            ),
            "Payment 1 of entry 1 of statement S-1 has no amount",
        ),
        (
            GOOD.replace(b"<BookgDt><Dt>2026-03-02", b"<BookgDt><Dt>2026-02-30"),
            "invalid date",
        ),
        (
            GOOD[: GOOD.index(b"<Stmt>")] + GOOD[GOOD.index(b"</Stmt>") + len(b"</Stmt>") :],
            "no statement",
        ),
    ],
)
def test_a_broken_file_is_refused_with_a_message(data, message):
    assert message in _broken(data)


def test_entities_and_dtds_are_refused_before_they_expand():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<Document>&lol2;</Document>"
    )
    assert "DTD or entities" in _broken(bomb)
    external = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Document>&x;</Document>"
    )
    assert "DTD or entities" in _broken(external)


def test_a_file_that_is_too_large_is_refused_unread():
    assert "larger than 20 MB" in _broken(b" " * (MAX_BYTES + 1))


def test_the_generator_is_deterministic():
    first = camt053_scenario(fees=FEES, seed=11, account_iban=ACCOUNT)
    again = camt053_scenario(fees=FEES, seed=11, account_iban=ACCOUNT)
    other = camt053_scenario(fees=FEES, seed=12, account_iban=ACCOUNT)
    assert first.data == again.data
    assert first.data != other.data
    assert first.expected_status == {
        FEES[0][0]: "paid",
        FEES[1][0]: "paid",
        FEES[2][0]: "paid",
        FEES[3][0]: "partly_paid",
        FEES[4][0]: "overpaid",
    }
