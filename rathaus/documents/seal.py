"""The city's electronic seal: a PAdES signature (pyHanko) on a PDF document.

Baseline B-B: no time-stamp authority is reachable, so the signing time is the one the seal
claims. The signature is an incremental update (the sealed bytes stay as they were), which keeps
a PDF/A document PDF/A; the signature field is invisible and printable, as PDF/A wants.

Key and certificates come from `RATHAUS_SEAL_*`. With DEBUG on and none configured, the demo
certificate authority under var/seal/ (`manage.py documents_demo_ca`) is used; with DEBUG off a
missing configuration is an error (system check documents.E001), never a silent demo key.
"""

import asyncio
import concurrent.futures
import datetime
import functools
from collections.abc import Coroutine
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .demo_ca import SealFiles, demo_ca_create
from .errors import DocumentError
from .selectors import letterhead

FIELD_NAME = "Siegel"
NO_DEMO_SEAL = "There is no demo seal yet: run `manage.py documents_demo_ca` (make run does)."


@dataclass(frozen=True)
class SealConfiguration:
    files: SealFiles
    passphrase: str
    demo: bool


@dataclass(frozen=True)
class SealMaterial:
    """The loaded seal: private key, its certificate and the CA certificates above it."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def trust_roots(self) -> tuple[x509.Certificate, ...]:
        return _roots(list(self.chain))


def seal_demo_directory() -> Path:
    return Path(settings.VAR_DIR) / "seal"


def seal_configuration() -> SealConfiguration:
    """Which seal files to use; raises ImproperlyConfigured when there are none to use."""
    if settings.RATHAUS_SEAL_KEY_FILE:
        missing = [
            name
            for name in ("RATHAUS_SEAL_CERT_FILE", "RATHAUS_SEAL_CHAIN_FILE")
            if not getattr(settings, name)
        ]
        if missing:
            raise ImproperlyConfigured(
                f"RATHAUS_SEAL_KEY_FILE is set, but {' and '.join(missing)} is not."
            )
        return SealConfiguration(
            files=SealFiles(
                key_file=Path(settings.RATHAUS_SEAL_KEY_FILE),
                cert_file=Path(settings.RATHAUS_SEAL_CERT_FILE),
                chain_file=Path(settings.RATHAUS_SEAL_CHAIN_FILE),
            ),
            passphrase=settings.RATHAUS_SEAL_KEY_PASSPHRASE,
            demo=False,
        )
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "No seal key is configured. Set RATHAUS_SEAL_KEY_FILE, RATHAUS_SEAL_CERT_FILE and "
            "RATHAUS_SEAL_CHAIN_FILE to the city's seal (docs/documents.md); the demo seal is "
            "only used with RATHAUS_DEBUG=1."
        )
    return SealConfiguration(
        files=SealFiles.in_directory(seal_demo_directory()), passphrase="", demo=True
    )


def seal_demo_ensure() -> SealFiles | None:
    """Create the demo CA and seal under var/seal/ unless it is there; None when it was."""
    directory = seal_demo_directory()
    files = SealFiles.in_directory(directory)
    if files.all_exist():
        return None
    if directory.exists() and any(directory.iterdir()):
        # Never overwrite what might be someone's key: let a person look first.
        raise ImproperlyConfigured(
            f"{directory} exists but is incomplete; remove it to create a new demo seal."
        )
    head = letterhead()
    try:
        return demo_ca_create(directory=directory, organisation=head.city_name, locality=head.town)
    except OSError:
        if files.all_exist():
            return None  # another process created it at the same moment
        raise


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot read the seal file {path}: {exc.strerror or exc}"
        ) from exc


def _certificates(path: Path) -> list[x509.Certificate]:
    data = _read(path)
    try:
        certificates = (
            x509.load_pem_x509_certificates(data)
            if b"-----BEGIN" in data
            else [x509.load_der_x509_certificate(data)]
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"{path} holds no readable certificate (PEM or DER).") from exc
    return certificates


def _roots(certificates: list[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    return tuple(cert for cert in certificates if cert.issuer == cert.subject)


def seal_trust_roots() -> tuple[x509.Certificate, ...]:
    """The root certificates of the configured chain: what a genuine seal leads up to.

    Needs only the chain file, not the private key, so any process can verify.
    """
    configuration = seal_configuration()
    if configuration.demo and not configuration.files.chain_file.is_file():
        raise ImproperlyConfigured(NO_DEMO_SEAL)
    return _roots(_certificates(configuration.files.chain_file))


def _check_validity(certificate: x509.Certificate, path: Path) -> None:
    now = datetime.datetime.now(datetime.UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise ImproperlyConfigured(
            f"The seal certificate {path} is not valid now (valid from "
            f"{certificate.not_valid_before_utc:%Y-%m-%d} to "
            f"{certificate.not_valid_after_utc:%Y-%m-%d})."
        )


def seal_material_load(configuration: SealConfiguration) -> SealMaterial:
    """Load and cross-check the seal files; raises ImproperlyConfigured with the reason."""
    files = configuration.files
    if configuration.demo and not files.all_exist():
        raise ImproperlyConfigured(NO_DEMO_SEAL)
    data = _read(files.key_file)
    passphrase = configuration.passphrase.encode() or None
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, password=passphrase)
        else:
            key = serialization.load_der_private_key(data, password=passphrase)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"Cannot load the seal key {files.key_file}: it is not a private key, or "
            "RATHAUS_SEAL_KEY_PASSPHRASE is wrong or missing."
        ) from exc
    certificate = _certificates(files.cert_file)[0]
    public = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*public) != certificate.public_key().public_bytes(*public):
        raise ImproperlyConfigured(
            f"The seal key {files.key_file} does not belong to the certificate {files.cert_file}."
        )
    _check_validity(certificate, files.cert_file)
    material = SealMaterial(
        key=key, certificate=certificate, chain=tuple(_certificates(files.chain_file))
    )
    if not material.trust_roots:
        raise ImproperlyConfigured(
            f"{files.chain_file} holds no root certificate (one that issued itself)."
        )
    return material


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@functools.lru_cache(maxsize=4)
def _loaded(
    configuration: SealConfiguration, stamp: tuple[float, ...]
) -> tuple[SealMaterial, signers.SimpleSigner]:
    material = seal_material_load(configuration)
    signer = signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(material.certificate),
        signing_key=translate_pyca_cryptography_key_to_asn1(material.key),
        # The chain goes into the signature, so that a reader can build the path to the root.
        cert_registry=SimpleCertificateStore.from_certs(
            [translate_pyca_cryptography_cert_to_asn1(cert) for cert in material.chain]
        ),
    )
    return material, signer


def _seal() -> tuple[SealMaterial, signers.SimpleSigner]:
    """The configured seal, loaded once per process and again when one of its files changes."""
    configuration = seal_configuration()
    files = configuration.files
    stamp = tuple(_modified(path) for path in (files.key_file, files.cert_file, files.chain_file))
    material, signer = _loaded(configuration, stamp)
    _check_validity(material.certificate, files.cert_file)  # it may have expired since loading
    return material, signer


def seal_material() -> SealMaterial:
    """The configured seal's key and certificates (ImproperlyConfigured when unusable)."""
    return _seal()[0]


def run_coroutine(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run pyHanko's async API from sync code, also where an event loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _signature_size(material: SealMaterial) -> int:
    """Bytes to reserve for the signature: its certificates plus room for the rest.

    Without it pyHanko signs twice, the first time with a dummy to measure.
    """
    certificates = sum(
        len(cert.public_bytes(serialization.Encoding.DER))
        for cert in (material.certificate, *material.chain)
    )
    # Signed attributes, the signature value (512 bytes for RSA-4096) and the CMS structure;
    # pyHanko counts the hexadecimal digits in the file, two per byte.
    return 2 * ((certificates + 3072 + 1023) // 1024 * 1024)


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Keep the document information and the XMP metadata in agreement, as PDF/A requires.

    pyHanko appends its name to the information dictionary's producer but replaces the XMP
    producer with it; setting the producer to pyHanko's name beforehand makes both say the same.
    """
    if "/Metadata" not in writer.root or "/Info" not in writer.trailer:
        return
    info = generic.DictionaryObject(dict(writer.trailer["/Info"].items()))
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.set_info(info)


def pdf_seal(*, pdf: bytes) -> bytes:
    """Seal `pdf` with the city's electronic seal (PAdES B-B, invisible, incremental)."""
    material, signer = _seal()
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        if writer.prev.encrypted:
            raise DocumentError(_("Encrypted PDF documents cannot be sealed."), code="encrypted")
        existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)}
        _align_producer(writer)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(_("The file is not a readable PDF document."), code="not_pdf") from exc
    field_name = FIELD_NAME
    number = 1
    while field_name in existing:
        number += 1
        field_name = f"{FIELD_NAME}{number}"
    head = letterhead()
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_("Electronic seal of %(city)s") % {"city": head.city_name},
        location=head.town or None,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name,
            # Zero-sized and outside the page: no appearance needed (PDF/A), nothing to tag.
            invis_sig_settings=fields.InvisSigSettings(box_out_of_bounds=True),
        ),
    )
    try:
        output = run_coroutine(
            pdf_signer.async_sign_pdf(
                writer, output=BytesIO(), bytes_reserved=_signature_size(material)
            )
        )
    except PdfError as exc:  # a structure pyHanko only trips over while writing
        raise DocumentError(_("The file is not a readable PDF document."), code="not_pdf") from exc
    return output.getvalue()
