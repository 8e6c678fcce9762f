"""A generator of realistic camt.053 bank statements, for tests and for the demo city.

Seeded and deterministic: the same arguments give the same bytes. The statements look like what
a German savings bank sends a city: group header, statement with opening and closing balance,
booked SEPA credits with the DK transaction codes, batch entries (one booking for several
credits), bank charges and outgoing transfers as debits, a pending entry, and remittance
information either structured (creditor reference) or as free text typed by people.
All names and accounts are made up.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from stdnum.iso7064 import mod_97_10

from .camt import NAMESPACE_PREFIX, VERSIONS
from .references import NUMBERS_PER_YEAR, payment_reference_make

FIRST_NAMES = ["Lena", "Jonas", "Aylin", "Mehmet", "Sophie", "Lukas", "Marie", "Paul", "Zeynep"]
LAST_NAMES = ["Schäfer", "Krüger", "Demir", "Weiß", "Becker", "Hoffmann", "Yılmaz", "Nowak"]
# Made-up bank codes: the accounts in the statements belong to nobody.
BANK_CODES = ["12345678", "23456789", "34567801"]


def fictional_iban(rng: random.Random) -> str:
    bban = rng.choice(BANK_CODES) + f"{rng.randrange(10**10):010d}"
    return f"DE{mod_97_10.calc_check_digits(bban + 'DE')}{bban}"


@dataclass(frozen=True)
class FixturePayment:
    """One credit transfer: `reference` goes in as structured, `remittance` as free text."""

    amount_cents: int
    reference: str = ""
    remittance: str = ""
    debtor_name: str = "Lena Schäfer"
    debtor_iban: str = "DE02123456780000000001"
    end_to_end_id: str = "NOTPROVIDED"


@dataclass(frozen=True)
class FixtureEntry:
    """One booking on the account; several payments make a batch entry."""

    payments: tuple[FixturePayment, ...]
    reference: str
    credit: bool = True
    booked: bool = True
    text: str = "SEPA-Gutschrift"

    @property
    def amount_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments)


def _money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _e(value: str) -> str:
    return escape(value)


def _status(version: str) -> str:
    return "<Sts><Cd>{}</Cd></Sts>" if version == "camt.053.001.08" else "<Sts>{}</Sts>"


def _bic_tag(version: str) -> str:
    return "BICFI" if version == "camt.053.001.08" else "BIC"


def _party(version: str, tag: str, name: str) -> str:
    if version == "camt.053.001.08":
        return f"<{tag}><Pty><Nm>{_e(name)}</Nm></Pty></{tag}>"
    return f"<{tag}><Nm>{_e(name)}</Nm></{tag}>"


def _transaction(version: str, payment: FixturePayment, credit: bool, owner: str) -> str:
    amount = _money(payment.amount_cents)
    indicator = "CRDT" if credit else "DBIT"
    # 001.02 knows the amount of a transaction only in AmtDtls; later versions also have Amt.
    own_amount = ("" if version == "camt.053.001.02" else f'<Amt Ccy="EUR">{amount}</Amt>') + (
        "" if version == "camt.053.001.02" else f"<CdtDbtInd>{indicator}</CdtDbtInd>"
    )
    # Free text comes in lines of at most 140 characters, before the structured reference.
    remittance = "".join(
        f"<Ustrd>{_e(payment.remittance[start : start + 140])}</Ustrd>"
        for start in range(0, len(payment.remittance), 140)
    )
    if payment.reference:
        remittance += (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{_e(payment.reference)}</Ref></CdtrRefInf></Strd>"
        )
    parties = (
        _party(version, "Dbtr", payment.debtor_name)
        + f"<DbtrAcct><Id><IBAN>{payment.debtor_iban}</IBAN></Id></DbtrAcct>"
        + _party(version, "Cdtr", owner)
        if credit
        else _party(version, "Cdtr", payment.debtor_name)
        + f"<CdtrAcct><Id><IBAN>{payment.debtor_iban}</IBAN></Id></CdtrAcct>"
    )
    return (
        "<TxDtls>"
        f"<Refs><EndToEndId>{_e(payment.end_to_end_id)}</EndToEndId></Refs>"
        f"{own_amount}"
        f'<AmtDtls><InstdAmt><Amt Ccy="EUR">{amount}</Amt></InstdAmt>'
        f'<TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>'
        f"<RltdPties>{parties}</RltdPties>"
        f"<RltdAgts><{'DbtrAgt' if credit else 'CdtrAgt'}><FinInstnId>"
        f"<{_bic_tag(version)}>GENODED1XXX</{_bic_tag(version)}>"
        f"</FinInstnId></{'DbtrAgt' if credit else 'CdtrAgt'}></RltdAgts>"
        f"{f'<RmtInf>{remittance}</RmtInf>' if remittance else ''}"
        "</TxDtls>"
    )


def _entry(version: str, entry: FixtureEntry, day: datetime.date, owner: str) -> str:
    indicator = "CRDT" if entry.credit else "DBIT"
    family = ("RCDT", "ESCT", "NTRF+166+00931") if entry.credit else ("ICDT", "ESCT", "NTRF+116")
    batch = (
        f"<Btch><NbOfTxs>{len(entry.payments)}</NbOfTxs>"
        f'<TtlAmt Ccy="EUR">{_money(entry.amount_cents)}</TtlAmt>'
        f"<CdtDbtInd>{indicator}</CdtDbtInd></Btch>"
        if len(entry.payments) > 1 and version != "camt.053.001.02"
        else (
            f"<Btch><NbOfTxs>{len(entry.payments)}</NbOfTxs></Btch>"
            if len(entry.payments) > 1
            else ""
        )
    )
    transactions = "".join(
        _transaction(version, payment, entry.credit, owner) for payment in entry.payments
    )
    return (
        "<Ntry>"
        f'<Amt Ccy="EUR">{_money(entry.amount_cents)}</Amt>'
        f"<CdtDbtInd>{indicator}</CdtDbtInd>"
        + _status(version).format("BOOK" if entry.booked else "PDNG")
        + f"<BookgDt><Dt>{day.isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{day.isoformat()}</Dt></ValDt>"
        f"<AcctSvcrRef>{_e(entry.reference)}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd>"
        f"<Fmly><Cd>{family[0]}</Cd><SubFmlyCd>{family[1]}</SubFmlyCd></Fmly></Domn>"
        f"<Prtry><Cd>{family[2]}</Cd><Issr>DK</Issr></Prtry></BkTxCd>"
        f"<NtryDtls>{batch}{transactions}</NtryDtls>"
        f"<AddtlNtryInf>{_e(entry.text)}</AddtlNtryInf>"
        "</Ntry>"
    )


def _balance(code: str, cents: int, day: datetime.date) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{_money(abs(cents))}</Amt>'
        f"<CdtDbtInd>{'CRDT' if cents >= 0 else 'DBIT'}</CdtDbtInd>"
        f"<Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
    )


def camt053_build(
    *,
    entries: Sequence[FixtureEntry],
    account_iban: str,
    statement_id: str,
    day: datetime.date,
    version: str = "camt.053.001.08",
    owner: str = "Stadt Wuppertal",
    opening_balance_cents: int = 1_000_000,
    sequence_number: int = 1,
) -> bytes:
    """A complete camt.053 document with one statement of one day's bookings."""
    if version not in VERSIONS:
        raise ValueError(f"unsupported version {version}")
    booked = [e for e in entries if e.booked]
    credits = sum(e.amount_cents for e in booked if e.credit)
    debits = sum(e.amount_cents for e in booked if not e.credit)
    closing = opening_balance_cents + credits - debits
    created = f"{day.isoformat()}T23:30:00+01:00"
    body = "".join(_entry(version, entry, day, owner) for entry in entries)
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{NAMESPACE_PREFIX}{version}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<BkToCstmrStmt>"
        f"<GrpHdr><MsgId>{_e(statement_id)}-MSG</MsgId><CreDtTm>{created}</CreDtTm>"
        "<MsgPgntn><PgNb>1</PgNb><LastPgInd>true</LastPgInd></MsgPgntn></GrpHdr>"
        "<Stmt>"
        f"<Id>{_e(statement_id)}</Id><ElctrncSeqNb>{sequence_number}</ElctrncSeqNb>"
        f"<CreDtTm>{created}</CreDtTm>"
        f"<FrToDt><FrDtTm>{day.isoformat()}T00:00:00+01:00</FrDtTm>"
        f"<ToDtTm>{day.isoformat()}T23:59:59+01:00</ToDtTm></FrToDt>"
        f"<Acct><Id><IBAN>{account_iban}</IBAN></Id><Ccy>EUR</Ccy>"
        f"<Ownr><Nm>{_e(owner)}</Nm></Ownr>"
        f"<Svcr><FinInstnId><{_bic_tag(version)}>WUPSDE33XXX</{_bic_tag(version)}>"
        "</FinInstnId></Svcr></Acct>"
        + _balance("PRCD", opening_balance_cents, day - datetime.timedelta(days=1))
        + _balance("CLBD", closing, day)
        + "<TxsSummry>"
        f"<TtlNtries><NbOfNtries>{len(booked)}</NbOfNtries></TtlNtries>"
        f"<TtlCdtNtries><NbOfNtries>{sum(e.credit for e in booked)}</NbOfNtries>"
        f"<Sum>{_money(credits)}</Sum></TtlCdtNtries>"
        f"<TtlDbtNtries><NbOfNtries>{sum(not e.credit for e in booked)}</NbOfNtries>"
        f"<Sum>{_money(debits)}</Sum></TtlDbtNtries>"
        "</TxsSummry>"
        f"{body}"
        "</Stmt></BkToCstmrStmt></Document>\n"
    )
    return document.encode("utf-8")


def _spaced(reference: str, rng: random.Random) -> str:
    """A reference as people type it: in groups, sometimes in lower case."""
    grouped = " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
    return grouped.lower() if rng.random() < 0.5 else grouped


@dataclass
class Scenario:
    """A generated statement and what importing it must do."""

    data: bytes
    statement_id: str
    # payment reference -> fee status after the import
    expected_status: dict[str, str] = field(default_factory=dict)
    # how many payments go to the clarification list, and why
    expected_clarifications: dict[str, int] = field(default_factory=dict)
    credit_payments: int = 0
    debit_entries: int = 0
    pending_entries: int = 0


def camt053_scenario(
    *,
    fees: Sequence[tuple[str, int]],
    seed: int,
    account_iban: str,
    day: datetime.date | None = None,
    version: str = "camt.053.001.08",
    owner: str = "Stadt Wuppertal",
) -> Scenario:
    """One day's statement that pays the given open fees (reference, amount in cents) in
    every way people pay: exactly (as structured reference or typed in free text, some of them
    together in a batch entry), too little, too much; plus payments with an unknown or no
    reference, debits and a pending entry. Needs at least four fees to cover every case.
    """
    rng = random.Random(seed)  # noqa: S311 - made-up test data, not secrets
    day = day or datetime.date(2026, 3, 2)
    statement_id = f"{day:%Y%m%d}-{seed:04d}"
    scenario = Scenario(data=b"", statement_id=statement_id)
    clarifications = {"partly_paid": 0, "overpaid": 0, "unknown_reference": 0, "no_reference": 0}
    counter = iter(range(1, 10_000))

    def reference() -> str:
        return f"{day:%Y%m%d}{seed:04d}{next(counter):05d}"

    def payer(**kwargs) -> dict:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        end_to_end = f"E2E{rng.randrange(10**9):09d}"
        return {
            "debtor_name": name,
            "debtor_iban": fictional_iban(rng),
            "end_to_end_id": end_to_end,
            **kwargs,
        }

    entries: list[FixtureEntry] = []
    batch: list[FixturePayment] = []
    kinds = ["exact_structured", "exact_text", "batch", "partly", "over"]
    for index, (fee_reference, amount) in enumerate(fees):
        kind = kinds[index] if index < len(kinds) else rng.choice(kinds)
        if kind == "exact_structured":
            payment = FixturePayment(amount_cents=amount, **payer(reference=fee_reference))
            scenario.expected_status[fee_reference] = "paid"
        elif kind in ("exact_text", "batch"):
            text = f"Gebuehr {_spaced(fee_reference, rng)} Bewohnerparkausweis"
            payment = FixturePayment(amount_cents=amount, **payer(remittance=text))
            scenario.expected_status[fee_reference] = "paid"
            if kind == "batch":
                batch.append(payment)
                continue
        elif kind == "partly":
            paid = max(1, amount // 2)
            payment = FixturePayment(amount_cents=paid, **payer(reference=fee_reference))
            scenario.expected_status[fee_reference] = "partly_paid"
            clarifications["partly_paid"] += 1
        else:
            payment = FixturePayment(
                amount_cents=amount + 500,
                **payer(remittance=f"{fee_reference} inkl. Porto"),
            )
            scenario.expected_status[fee_reference] = "overpaid"
            clarifications["overpaid"] += 1
        entries.append(FixtureEntry(payments=(payment,), reference=reference()))
    if batch:
        # A batch entry needs at least two payments: a second exact one from the same payer
        # would be a double payment, so a payment with an unknown reference joins it.
        if len(batch) == 1:
            batch.append(
                FixturePayment(
                    amount_cents=1500, **payer(remittance="RF18 5390 0754 7034 Sammelzahlung")
                )
            )
            clarifications["unknown_reference"] += 1
        entries.append(
            FixtureEntry(payments=tuple(batch), reference=reference(), text="SAMMLER-GUTSCHRIFT")
        )
    # Someone pays with a reference that is not one of the city's fees (valid check digits).
    unknown = payment_reference_make(year=2099, number=NUMBERS_PER_YEAR - 1)
    entries.append(
        FixtureEntry(
            payments=(FixturePayment(amount_cents=2600, **payer(reference=unknown)),),
            reference=reference(),
        )
    )
    clarifications["unknown_reference"] += 1
    # And someone writes only their name and the service.
    entries.append(
        FixtureEntry(
            payments=(FixturePayment(amount_cents=1000, **payer(remittance="Meldebescheinigung")),),
            reference=reference(),
        )
    )
    clarifications["no_reference"] += 1
    # Unrelated bookings: bank charges and an outgoing transfer, and a credit not yet booked.
    entries.append(
        FixtureEntry(
            payments=(
                FixturePayment(
                    amount_cents=1290,
                    remittance="Kontofuehrung 02/2026",
                    debtor_name="Hausbank der Stadt",
                ),
            ),
            reference=reference(),
            credit=False,
            text="ENTGELTABSCHLUSS",
        )
    )
    entries.append(
        FixtureEntry(
            payments=(
                FixturePayment(
                    amount_cents=48_731, **payer(remittance="Rechnung 2026-0117 Streusalz")
                ),
            ),
            reference=reference(),
            credit=False,
            text="SEPA-UEBERWEISUNG",
        )
    )
    entries.append(
        FixtureEntry(
            payments=(FixturePayment(amount_cents=3000, **payer(remittance="Vormerkung")),),
            reference=reference(),
            booked=False,
        )
    )
    rng.shuffle(entries)
    scenario.data = camt053_build(
        entries=entries,
        account_iban=account_iban,
        statement_id=statement_id,
        day=day,
        version=version,
        owner=owner,
        sequence_number=seed % 1000 + 1,
    )
    scenario.expected_clarifications = {k: v for k, v in clarifications.items() if v}
    scenario.credit_payments = sum(len(e.payments) for e in entries if e.credit and e.booked)
    scenario.debit_entries = sum(1 for e in entries if not e.credit)
    scenario.pending_entries = sum(1 for e in entries if not e.booked)
    return scenario
