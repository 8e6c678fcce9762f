"""Reading ISO 20022 camt.053 bank-to-customer statements (versions 001.02, 001.04, 001.08).

The whole file is read and checked before anything is stored: a file that is not XML, not a
camt.053 statement, or lacks an amount raises `CamtError` with a message for staff, and the
import stores nothing. The XML parser refuses DTDs, entities and external references
(defusedxml), so a file cannot expand to gigabytes or read files from the server.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext_lazy as _

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
VERSIONS = ("camt.053.001.02", "camt.053.001.04", "camt.053.001.08")
MAX_BYTES = 20 * 1024 * 1024

# ActiveOrHistoricCurrencyAndAmount: up to 18 digits, at most 5 after the point.
_AMOUNT = re.compile(r"\d{1,18}(\.\d{1,5})?")


class CamtError(Exception):
    """A file that cannot be imported; the message is shown to staff."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CamtTransaction:
    amount: Decimal
    currency: str
    structured_reference: str
    remittance: str
    debtor_name: str
    debtor_iban: str
    end_to_end_id: str


@dataclass(frozen=True)
class CamtEntry:
    reference: str
    amount: Decimal
    currency: str
    credit: bool
    booked: bool
    booking_date: datetime.date | None
    value_date: datetime.date | None
    transactions: tuple[CamtTransaction, ...]


@dataclass(frozen=True)
class CamtStatement:
    version: str
    message_id: str
    statement_id: str
    account_iban: str
    created_at: datetime.datetime | None
    from_date: datetime.date | None
    to_date: datetime.date | None
    entries: tuple[CamtEntry, ...]


class _Reader:
    """Namespace-aware lookups: paths are written without the namespace ("Ntry/Amt")."""

    def __init__(self, namespace: str):
        self.namespace = namespace

    def _path(self, path: str) -> str:
        return "/".join(f"{{{self.namespace}}}{part}" for part in path.split("/"))

    def find(self, element: Element, path: str) -> Element | None:
        return element.find(self._path(path))

    def findall(self, element: Element, path: str) -> list[Element]:
        return element.findall(self._path(path))

    def text(self, element: Element, *paths: str) -> str:
        """The stripped text of the first path that exists, else ""."""
        for path in paths:
            found = self.find(element, path)
            if found is not None and (found.text or "").strip():
                return found.text.strip()
        return ""


def _amount(element: Element | None, where) -> tuple[Decimal, str]:
    if element is None:
        raise CamtError(_("%(where)s has no amount.") % {"where": where})
    text = (element.text or "").strip()
    currency = (element.get("Ccy") or "").strip().upper()
    if not _AMOUNT.fullmatch(text) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise CamtError(
            _("%(where)s has no valid amount with currency: “%(amount)s”.")
            % {"where": where, "amount": text[:40]}
        )
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern only lets numbers through
        raise CamtError(_("%(where)s has no valid amount.") % {"where": where}) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise CamtError(
            _("%(where)s has an amount with more than two decimals: %(amount)s.")
            % {"where": where, "amount": text}
        )
    return amount, currency


def _date(reader: _Reader, element: Element, path: str, where) -> datetime.date | None:
    """A date (`Dt`) or date-time (`DtTm`) under `path`; None when the element is missing."""
    text = reader.text(element, f"{path}/Dt", f"{path}/DtTm")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise CamtError(
            _("%(where)s has an invalid date: “%(date)s”.") % {"where": where, "date": text[:40]}
        ) from exc


def _datetime(text: str, where) -> datetime.datetime | None:
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CamtError(
            _("%(where)s has an invalid time: “%(time)s”.") % {"where": where, "time": text[:40]}
        ) from exc


def _transaction(
    reader: _Reader, details: Element, fallback: tuple[Decimal, str] | None, where
) -> CamtTransaction:
    """One `TxDtls`; its amount is `Amt` (001.04 on), `AmtDtls/TxAmt/Amt`, or the entry's."""
    amount_element = reader.find(details, "Amt")
    if amount_element is None:
        amount_element = reader.find(details, "AmtDtls/TxAmt/Amt")
    if amount_element is None and fallback is not None:
        amount, currency = fallback
    else:
        amount, currency = _amount(amount_element, where)
    remittance = " ".join(
        (element.text or "").strip()
        for element in reader.findall(details, "RmtInf/Ustrd")
        if (element.text or "").strip()
    )
    return CamtTransaction(
        amount=amount,
        currency=currency,
        structured_reference=reader.text(details, "RmtInf/Strd/CdtrRefInf/Ref"),
        remittance=remittance,
        # 001.08 puts the party one level deeper (Dbtr/Pty/Nm).
        debtor_name=reader.text(
            details,
            "RltdPties/Dbtr/Pty/Nm",
            "RltdPties/Dbtr/Nm",
            "RltdPties/UltmtDbtr/Pty/Nm",
            "RltdPties/UltmtDbtr/Nm",
        ),
        debtor_iban=reader.text(details, "RltdPties/DbtrAcct/Id/IBAN"),
        end_to_end_id=reader.text(details, "Refs/EndToEndId"),
    )


def _entry(reader: _Reader, entry: Element, number: int, statement_id: str) -> CamtEntry:
    where = _("Entry %(number)d of statement %(statement)s") % {
        "number": number,
        "statement": statement_id,
    }
    amount, currency = _amount(reader.find(entry, "Amt"), where)
    indicator = reader.text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise CamtError(_("%(where)s is neither credit nor debit.") % {"where": where})
    # 001.02 and 001.04 write the status as text, 001.08 as a code element.
    status = reader.text(entry, "Sts/Cd", "Sts")
    if not status:
        raise CamtError(_("%(where)s has no status.") % {"where": where})
    details = [
        element
        for entry_details in reader.findall(entry, "NtryDtls")
        for element in reader.findall(entry_details, "TxDtls")
    ]
    if details:
        fallback = (amount, currency) if len(details) == 1 else None
        transactions = tuple(
            _transaction(
                reader,
                element,
                fallback,
                _("Payment %(position)d of entry %(number)d of statement %(statement)s")
                % {"position": position, "number": number, "statement": statement_id},
            )
            for position, element in enumerate(details, start=1)
        )
        if sum(t.amount for t in transactions) != amount:
            raise CamtError(
                _("The payments of %(where)s do not add up to its amount.") % {"where": where}
            )
    else:
        transactions = (
            CamtTransaction(
                amount=amount,
                currency=currency,
                structured_reference="",
                remittance=reader.text(entry, "AddtlNtryInf"),
                debtor_name="",
                debtor_iban="",
                end_to_end_id="",
            ),
        )
    # Banks give every entry a reference; should one be missing, the entry's position and
    # content stand in, so that importing the same file again still finds it.
    digest = hashlib.sha256(tostring(entry)).hexdigest()[:32]
    reference = reader.text(entry, "AcctSvcrRef", "NtryRef") or f"#{number}:{digest}"
    return CamtEntry(
        reference=reference[:80],
        amount=amount,
        currency=currency,
        credit=indicator == "CRDT",
        booked=status == "BOOK",
        booking_date=_date(reader, entry, "BookgDt", where),
        value_date=_date(reader, entry, "ValDt", where),
        transactions=transactions,
    )


def _statement(reader: _Reader, statement: Element, version: str, message_id: str):
    statement_id = reader.text(statement, "Id")
    if not statement_id:
        raise CamtError(_("A statement in the file has no id (Stmt/Id)."))
    account = reader.text(statement, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
    if not account:
        raise CamtError(
            _("Statement %(statement)s names no account.") % {"statement": statement_id}
        )
    where = _("Statement %(statement)s") % {"statement": statement_id}
    entries = tuple(
        _entry(reader, element, number, statement_id)
        for number, element in enumerate(reader.findall(statement, "Ntry"), start=1)
    )
    return CamtStatement(
        version=version,
        message_id=message_id,
        statement_id=statement_id[:35],
        account_iban=account.replace(" ", "").upper()[:34],
        created_at=_datetime(reader.text(statement, "CreDtTm"), where),
        from_date=_date_of(reader, statement, "FrToDt/FrDtTm", where),
        to_date=_date_of(reader, statement, "FrToDt/ToDtTm", where),
        entries=entries,
    )


def _date_of(reader: _Reader, element: Element, path: str, where) -> datetime.date | None:
    moment = _datetime(reader.text(element, path), where)
    return moment.date() if moment else None


def camt053_parse(data: bytes) -> list[CamtStatement]:
    """Every statement of a camt.053 file; `CamtError` when the file cannot be imported."""
    if len(data) > MAX_BYTES:
        raise CamtError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise CamtError(_("The file is empty."))
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise CamtError(
            _("The file contains a DTD or entities, which bank statements never have.")
        ) from exc
    except (ParseError, ValueError) as exc:
        raise CamtError(_("The file is not a readable XML file.")) from exc
    match = re.fullmatch(r"\{(?P<namespace>[^}]*)\}Document", root.tag)
    namespace = match.group("namespace") if match else ""
    version = namespace.removeprefix(NAMESPACE_PREFIX)
    if not namespace.startswith(NAMESPACE_PREFIX) or version not in VERSIONS:
        raise CamtError(
            _("The file is not a camt.053 bank statement in a supported version (%(versions)s).")
            % {"versions": ", ".join(VERSIONS)}
        )
    reader = _Reader(namespace)
    body = reader.find(root, "BkToCstmrStmt")
    if body is None:
        raise CamtError(_("The file has no bank-to-customer statement (BkToCstmrStmt)."))
    message_id = reader.text(body, "GrpHdr/MsgId")
    if not message_id:
        raise CamtError(_("The file has no message id (GrpHdr/MsgId)."))
    statements = [
        _statement(reader, element, version, message_id[:35])
        for element in reader.findall(body, "Stmt")
    ]
    if not statements:
        raise CamtError(_("The file contains no statement."))
    return statements
