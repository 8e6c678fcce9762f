"""The GiroCode on fee notices: an EPC QR code (EPC069-12, version 002) for banking apps.

A banking app that scans it fills in a SEPA credit transfer with the city's account, the
amount and the payment reference, so nobody has to type the IBAN or the reference.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

# Maximum lengths of the fields (EPC069-12 v3.0, chapter 3.4) and of the whole payload.
MAX_NAME = 70
MAX_IBAN = 34
MAX_AMOUNT = 12  # "EUR" and the amount: EUR999999.99
MAX_STRUCTURED_REMITTANCE = 35
MAX_PAYLOAD_BYTES = 331


@dataclass(frozen=True)
class Payee:
    """The city's account that fees are paid to."""

    name: str
    iban: str
    bic: str

    @property
    def iban_display(self) -> str:
        return stdnum_iban.format(self.iban)


def payee_problems(*, name: str, iban: str, bic: str) -> list[str]:
    """What is wrong with an account setting, in English for the operator (empty: all good)."""
    problems = []
    if not name.strip():
        problems.append("RATHAUS_PAYEE_NAME is not set")
    elif len(name.strip()) > MAX_NAME:
        problems.append(f"RATHAUS_PAYEE_NAME is longer than {MAX_NAME} characters")
    if not iban.strip():
        problems.append("RATHAUS_PAYEE_IBAN is not set")
    elif not stdnum_iban.is_valid(iban):
        problems.append("RATHAUS_PAYEE_IBAN is not a valid IBAN")
    if bic.strip() and not stdnum_bic.is_valid(bic):
        problems.append("RATHAUS_PAYEE_BIC is not a valid BIC")
    return problems


def payee() -> Payee:
    """The city's account from the settings; ImproperlyConfigured when it is missing or wrong."""
    name, iban, bic = (
        settings.RATHAUS_PAYEE_NAME,
        settings.RATHAUS_PAYEE_IBAN,
        settings.RATHAUS_PAYEE_BIC,
    )
    problems = payee_problems(name=name, iban=iban, bic=bic)
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
    return Payee(
        name=name.strip(),
        iban=stdnum_iban.compact(iban),
        bic=stdnum_bic.compact(bic) if bic.strip() else "",
    )


def epc_amount(amount_cents: int) -> str:
    """The amount field: "EUR12.50" (always two decimals, a point, no thousands separator)."""
    if amount_cents < 1:
        raise ValueError("the amount must be at least one cent")
    text = f"EUR{amount_cents // 100}.{amount_cents % 100:02d}"
    if len(text) > MAX_AMOUNT:
        raise ValueError(f"the amount does not fit the {MAX_AMOUNT} characters of the field")
    return text


def epc_payload(*, payee: Payee, amount_cents: int, reference: str) -> str:
    """The EPC QR payload: twelve elements on lines, the unused last ones left out.

    BCD, version 002, character set 1 (UTF-8), SCT, BIC (optional in version 002), name,
    IBAN, amount, purpose (empty), structured remittance (the RF reference). The unstructured
    remittance and the note to the payer stay empty, and the spec forbids anything after the
    last used element: no trailing line break.
    """
    name = payee.name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"the payee's name must have 1 to {MAX_NAME} characters")
    if not stdnum_iban.is_valid(payee.iban) or len(payee.iban) > MAX_IBAN:
        raise ValueError("the payee's IBAN is not valid")
    if not reference.startswith("RF") or len(reference) > MAX_STRUCTURED_REMITTANCE:
        raise ValueError("the remittance must be an ISO 11649 creditor reference")
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        payee.bic,
        name,
        payee.iban,
        epc_amount(amount_cents),
        "",
        reference,
    ]
    payload = "\n".join(lines)
    if "\n" in name or len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise ValueError("the payload does not fit an EPC QR code")
    return payload


def girocode(payload: str) -> segno.QRCode:
    """The QR code of a payload: byte mode, UTF-8 without ECI, error correction level M.

    The EPC guidelines ask for level M exactly; segno would otherwise raise it when the
    symbol has room to spare.
    """
    return segno.make_qr(payload, error="m", boost_error=False, mode="byte", encoding="utf-8")


def girocode_svg_data_uri(payload: str) -> str:
    """The QR code as an SVG data URI for an <img> (the CSP allows data: images)."""
    return girocode(payload).svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
