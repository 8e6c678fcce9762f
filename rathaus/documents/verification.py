"""Verify the electronic seal of a PDF document with pyHanko, against the seal's trust roots."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel, SignatureStatus
from pyhanko_certvalidator import ValidationContext

from .errors import DocumentError
from .seal import run_coroutine, seal_trust_roots


@dataclass(frozen=True)
class SealVerification:
    """What a validator says about the last seal of a document."""

    sealed: bool
    intact: bool = False  # the sealed bytes are unchanged
    valid: bool = False  # the signature over them is mathematically correct
    trusted: bool = False  # the certificate leads up to a configured root
    signer: str = ""
    signing_time: datetime.datetime | None = None  # claimed by the sealer (no time-stamp)
    covers_whole_document: bool = False  # nothing was appended after sealing

    @property
    def ok(self) -> bool:
        """A genuine, unchanged document sealed by the city."""
        return (
            self.sealed
            and self.intact
            and self.valid
            and self.trusted
            and self.covers_whole_document
        )


def _signer_name(status: SignatureStatus) -> str:
    subject = status.signing_cert.subject
    return subject.native.get("common_name") or subject.human_friendly


def pdf_seal_verify(
    *, pdf: bytes, trust_roots: Iterable[x509.Certificate] | None = None
) -> SealVerification:
    """Check the last seal of `pdf`; `trust_roots` default to the configured seal's roots."""
    roots = seal_trust_roots() if trust_roots is None else tuple(trust_roots)
    try:
        signatures = PdfFileReader(BytesIO(pdf)).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise DocumentError(_("The file is not a readable PDF document."), code="not_pdf") from exc
    if not signatures:
        return SealVerification(sealed=False)
    context = ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(root) for root in roots],
        # No network: revocation information cannot be fetched, and B-B seals carry none.
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        status = run_coroutine(
            async_validate_pdf_signature(signatures[-1], signer_validation_context=context)
        )
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
        # A signature too damaged to evaluate is no valid seal.
        return SealVerification(sealed=True)
    return SealVerification(
        sealed=True,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        signer=_signer_name(status),
        signing_time=status.signer_reported_dt,
        covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )
