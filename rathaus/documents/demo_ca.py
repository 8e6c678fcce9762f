"""A demo certificate authority and seal certificate, for the local demo and for tests.

A real installation configures the seal certificate it bought from a trust service provider
(`RATHAUS_SEAL_*`); the seal refuses the demo files whenever DEBUG is off.
"""

import datetime
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

ROOT_NAME = "Demo-CA Rathaus"
ISSUING_NAME = "Demo-CA Rathaus Siegel"
# Demo only: a real seal certificate lasts as long as the provider's contract says.
ROOT_DAYS = 3650
SEAL_DAYS = 3 * 365


@dataclass(frozen=True)
class SealFiles:
    """Where a seal key, its certificate and the CA certificates above it are kept (PEM)."""

    key_file: Path
    cert_file: Path
    chain_file: Path

    @classmethod
    def in_directory(cls, directory: Path) -> "SealFiles":
        return cls(
            key_file=directory / "seal-key.pem",
            cert_file=directory / "seal-cert.pem",
            chain_file=directory / "ca-chain.pem",
        )

    def all_exist(self) -> bool:
        return all(path.is_file() for path in (self.key_file, self.cert_file, self.chain_file))


def _name(common_name: str, organisation: str, locality: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if locality:
        attributes.append(x509.NameAttribute(NameOID.LOCALITY_NAME, locality))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _certificate(
    *,
    subject: x509.Name,
    public_key,
    issuer: x509.Certificate | None,
    issuer_key,
    days: int,
    ca_path_length: int | None,
    now: datetime.datetime,
) -> x509.Certificate:
    """One certificate; `ca_path_length` None makes an end-entity (seal) certificate."""
    is_ca = ca_path_length is not None
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        # An hour back, so that a machine whose clock is a little behind accepts it at once.
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=ca_path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def demo_ca_create(
    *,
    directory: Path,
    organisation: str,
    locality: str = "",
    passphrase: str = "",
    now: datetime.datetime | None = None,
    seal_key_type: str = "ec",
) -> SealFiles:
    """Create a root CA, an issuing CA and a seal certificate for `organisation` in `directory`.

    EC P-256 keys keep it fast; `seal_key_type="rsa"` gives the seal an RSA-3072 key, as many
    trust service providers issue. The files appear all at once (written to a temporary folder
    that is then renamed), so a second process never sees half a CA; `directory` must not exist.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _certificate(
        subject=_name(ROOT_NAME, "Rathaus Demo"),
        public_key=root_key.public_key(),
        issuer=None,
        issuer_key=root_key,
        days=ROOT_DAYS,
        ca_path_length=1,
        now=now,
    )
    issuing_key = ec.generate_private_key(ec.SECP256R1())
    issuing = _certificate(
        subject=_name(ISSUING_NAME, "Rathaus Demo"),
        public_key=issuing_key.public_key(),
        issuer=root,
        issuer_key=root_key,
        days=ROOT_DAYS,
        ca_path_length=0,
        now=now,
    )
    seal_key = (
        rsa.generate_private_key(public_exponent=65537, key_size=3072)
        if seal_key_type == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    seal = _certificate(
        subject=_name(organisation, organisation, locality),
        public_key=seal_key.public_key(),
        issuer=issuing,
        issuer_key=issuing_key,
        days=SEAL_DAYS,
        ca_path_length=None,
        now=now,
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    key_pem = seal_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    pem = serialization.Encoding.PEM

    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.parent / f".{directory.name}-{secrets.token_hex(6)}"
    staging.mkdir(mode=0o700)
    try:
        staged = SealFiles.in_directory(staging)
        fd = os.open(staged.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key_pem)
        staged.cert_file.write_bytes(seal.public_bytes(pem))
        # The issuing CA first, then the root: the order a chain is read in.
        staged.chain_file.write_bytes(issuing.public_bytes(pem) + root.public_bytes(pem))
        os.rename(staging, directory)  # fails when another process was first
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SealFiles.in_directory(directory)
