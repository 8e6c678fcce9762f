import asyncio
import concurrent.futures
import datetime
import logging
import time
from io import BytesIO, StringIO

import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from rathaus.documents.demo_ca import SEAL_DAYS, demo_ca_create
from rathaus.documents.errors import DocumentError
from rathaus.documents.examples import example_notice_context
from rathaus.documents.pdfa import pdfa_problems
from rathaus.documents.seal import pdf_seal, seal_material
from rathaus.documents.services import document_render_sealed
from rathaus.documents.verification import pdf_seal_verify


@pytest.fixture
def sealed(letter) -> bytes:
    return pdf_seal(pdf=letter)


def flip_byte_in_title(pdf: bytes) -> bytes:
    """Change one bit of the document title's first letter: a byte inside the signed range."""
    start = pdf.index(b"(", pdf.index(b"/Title")) + 1
    data = bytearray(pdf)
    data[start] ^= 0x01
    return bytes(data)


def test_a_sealed_letter_verifies_with_pyhanko(letter, sealed):
    before = datetime.datetime.now(datetime.UTC)
    result = pdf_seal_verify(pdf=sealed)

    assert result.ok
    assert result.intact and result.valid and result.trusted and result.covers_whole_document
    assert result.signer == "Stadt Teststadt"
    assert abs(result.signing_time - before) < datetime.timedelta(minutes=1)


def test_a_sealed_letter_verifies_with_pdfsig(sealed, pdfsig):
    report = pdfsig(sealed)

    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
    assert "Signer Certificate Common Name: Stadt Teststadt" in report
    assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES
    assert "Total document signed" in report


def test_one_changed_byte_breaks_the_seal_in_both_validators(sealed, pdfsig):
    forged = flip_byte_in_title(sealed)
    assert forged != sealed and len(forged) == len(sealed)

    result = pdf_seal_verify(pdf=forged)
    assert not result.intact
    assert not result.ok
    assert "Signature Validation: Digest Mismatch." in pdfsig(forged)


def test_sealing_appends_an_update_and_keeps_the_letter_pdf_a(letter, sealed):
    assert sealed.startswith(letter)  # incremental: the rendered bytes are untouched
    assert pdfa_problems(sealed) == []
    with pikepdf.open(BytesIO(sealed)) as pdf:
        field = pdf.Root.AcroForm.Fields[0]
        assert str(field.FT) == "/Sig"
        assert int(field.F) & 4  # printable, as PDF/A requires of every annotation
        assert all(float(value) <= 0 for value in field.Rect)  # invisible: off the page


def test_the_seal_carries_the_certificate_chain(sealed, test_seal):
    signature = PdfFileReader(BytesIO(sealed)).embedded_signatures[0]
    certificates = signature.signed_data["certificates"]
    subjects = {cert.chosen.subject.native["common_name"] for cert in certificates}
    assert {"Stadt Teststadt", "Demo-CA Rathaus Siegel", "Demo-CA Rathaus"} <= subjects


def test_a_seal_from_another_authority_is_intact_but_not_trusted(letter, settings, tmp_path):
    other = demo_ca_create(directory=tmp_path / "other", organisation="Stadt Falsch")
    trusted_roots = seal_material().trust_roots
    settings.RATHAUS_SEAL_KEY_FILE = str(other.key_file)
    settings.RATHAUS_SEAL_CERT_FILE = str(other.cert_file)
    settings.RATHAUS_SEAL_CHAIN_FILE = str(other.chain_file)
    settings.RATHAUS_SEAL_KEY_PASSPHRASE = ""
    forged = pdf_seal(pdf=letter)

    result = pdf_seal_verify(pdf=forged, trust_roots=trusted_roots)
    assert result.intact and result.valid
    assert not result.trusted
    assert not result.ok
    assert result.signer == "Stadt Falsch"


def test_changes_appended_after_sealing_are_reported(sealed):
    writer = IncrementalPdfFileWriter(BytesIO(sealed))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    output = BytesIO()
    writer.write(output)

    result = pdf_seal_verify(pdf=output.getvalue())
    assert result.intact and result.valid and result.trusted
    assert not result.covers_whole_document
    assert not result.ok


def test_an_unsealed_document_is_reported_as_such(letter):
    result = pdf_seal_verify(pdf=letter)
    assert not result.sealed
    assert not result.ok


def test_sealing_twice_adds_a_second_seal(sealed):
    twice = pdf_seal(pdf=sealed)

    signatures = PdfFileReader(BytesIO(twice)).embedded_signatures
    assert [sig.field_name for sig in signatures] == ["Siegel", "Siegel2"]
    assert pdf_seal_verify(pdf=twice).ok


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n%%EOF\n"])
def test_bytes_that_are_no_pdf_are_refused_with_a_clear_error(data):
    with pytest.raises(DocumentError) as sealing:
        pdf_seal(pdf=data)
    with pytest.raises(DocumentError) as verifying:
        pdf_seal_verify(pdf=data)
    assert sealing.value.code == verifying.value.code == "not_pdf"
    assert "PDF" in str(sealing.value.message)


def test_an_encrypted_pdf_is_not_sealed(letter):
    encrypted = BytesIO()
    with pikepdf.open(BytesIO(letter)) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="owner", user=""))
    with pytest.raises(DocumentError) as excinfo:
        pdf_seal(pdf=encrypted.getvalue())
    assert excinfo.value.code == "encrypted"


def test_sealing_works_inside_a_running_event_loop(letter):
    async def seal_from_async_code() -> bytes:
        return pdf_seal(pdf=letter)

    # In a thread of its own: a browser test before may have left this thread's loop running.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        sealed = pool.submit(asyncio.run, seal_from_async_code()).result()
    assert pdf_seal_verify(pdf=sealed).ok


def test_render_and_seal_in_one_call_logs_no_personal_data(caplog):
    caplog.set_level(logging.DEBUG)
    pdf = document_render_sealed(
        template="documents/example_notice.html", context=example_notice_context()
    )

    assert pdf_seal_verify(pdf=pdf).ok
    assert pdfa_problems(pdf) == []
    assert "Schäfer" not in caplog.text
    assert "Luisenstraße" not in caplog.text


def test_without_seal_configuration_production_refuses_to_seal(letter, settings):
    settings.DEBUG = False
    settings.RATHAUS_SEAL_KEY_FILE = ""
    with pytest.raises(ImproperlyConfigured, match="RATHAUS_SEAL_KEY_FILE"):
        pdf_seal(pdf=letter)


def test_with_debug_on_the_demo_seal_under_var_is_used(letter, settings, tmp_path):
    settings.DEBUG = True
    settings.RATHAUS_SEAL_KEY_FILE = ""
    settings.VAR_DIR = tmp_path
    with pytest.raises(ImproperlyConfigured, match="documents_demo_ca"):
        pdf_seal(pdf=letter)

    call_command("documents_demo_ca", stdout=StringIO())
    result = pdf_seal_verify(pdf=pdf_seal(pdf=letter))
    assert result.ok
    assert result.signer == "Stadt Teststadt"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"RATHAUS_SEAL_KEY_PASSPHRASE": "wrong"}, "RATHAUS_SEAL_KEY_PASSPHRASE"),
        ({"RATHAUS_SEAL_KEY_PASSPHRASE": ""}, "RATHAUS_SEAL_KEY_PASSPHRASE"),
        ({"RATHAUS_SEAL_CERT_FILE": ""}, "RATHAUS_SEAL_CERT_FILE"),
        ({"RATHAUS_SEAL_CHAIN_FILE": "/nonexistent/chain.pem"}, "Cannot read"),
    ],
)
def test_a_broken_seal_configuration_says_what_is_wrong(letter, settings, change, message):
    for name, value in change.items():
        setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        pdf_seal(pdf=letter)


def test_a_key_that_does_not_belong_to_the_certificate_is_refused(letter, settings, tmp_path):
    other = demo_ca_create(directory=tmp_path / "other", organisation="Stadt Falsch")
    settings.RATHAUS_SEAL_KEY_FILE = str(other.key_file)
    settings.RATHAUS_SEAL_KEY_PASSPHRASE = ""
    with pytest.raises(ImproperlyConfigured, match="does not belong"):
        pdf_seal(pdf=letter)


def test_an_expired_seal_certificate_is_refused(letter, settings, tmp_path):
    old = demo_ca_create(
        directory=tmp_path / "old",
        organisation="Stadt Teststadt",
        now=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=4 * 365),
    )
    settings.RATHAUS_SEAL_KEY_FILE = str(old.key_file)
    settings.RATHAUS_SEAL_CERT_FILE = str(old.cert_file)
    settings.RATHAUS_SEAL_CHAIN_FILE = str(old.chain_file)
    settings.RATHAUS_SEAL_KEY_PASSPHRASE = ""
    with pytest.raises(ImproperlyConfigured, match="not valid now"):
        pdf_seal(pdf=letter)


def test_an_rsa_seal_in_der_files_works_too(letter, settings, tmp_path, pdfsig):
    """Trust service providers often issue RSA keys, and some hand out DER files."""
    files = demo_ca_create(
        directory=tmp_path / "rsa", organisation="Stadt Teststadt", seal_key_type="rsa"
    )
    key = serialization.load_pem_private_key(files.key_file.read_bytes(), password=None)
    (tmp_path / "key.der").write_bytes(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"der-passphrase"),
        )
    )
    cert = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
    (tmp_path / "cert.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    settings.RATHAUS_SEAL_KEY_FILE = str(tmp_path / "key.der")
    settings.RATHAUS_SEAL_CERT_FILE = str(tmp_path / "cert.der")
    settings.RATHAUS_SEAL_CHAIN_FILE = str(files.chain_file)
    settings.RATHAUS_SEAL_KEY_PASSPHRASE = "der-passphrase"

    sealed = pdf_seal(pdf=letter)

    assert pdf_seal_verify(pdf=sealed).ok
    assert pdfa_problems(sealed) == []
    assert "Signature Validation: Signature is Valid." in pdfsig(sealed)


def test_a_chain_without_a_root_is_refused(letter, settings, test_seal, tmp_path):
    chain = tmp_path / "chain.pem"
    chain.write_bytes(test_seal.cert_file.read_bytes())  # no self-signed certificate in it
    settings.RATHAUS_SEAL_CHAIN_FILE = str(chain)
    with pytest.raises(ImproperlyConfigured, match="no root certificate"):
        pdf_seal(pdf=letter)


def test_a_certificate_that_expires_while_loaded_is_no_longer_used(letter, settings, tmp_path):
    expiring = demo_ca_create(
        directory=tmp_path / "expiring",
        organisation="Stadt Teststadt",
        now=datetime.datetime.now(datetime.UTC)
        - datetime.timedelta(days=SEAL_DAYS)
        + datetime.timedelta(seconds=6),
    )
    expires = x509.load_pem_x509_certificate(expiring.cert_file.read_bytes()).not_valid_after_utc
    settings.RATHAUS_SEAL_KEY_FILE = str(expiring.key_file)
    settings.RATHAUS_SEAL_CERT_FILE = str(expiring.cert_file)
    settings.RATHAUS_SEAL_CHAIN_FILE = str(expiring.chain_file)
    settings.RATHAUS_SEAL_KEY_PASSPHRASE = ""
    assert pdf_seal_verify(pdf=pdf_seal(pdf=letter)).ok

    time.sleep(max(0, (expires - datetime.datetime.now(datetime.UTC)).total_seconds() + 1))
    with pytest.raises(ImproperlyConfigured, match="not valid now"):
        pdf_seal(pdf=letter)
