"""A throwaway certificate authority per test session, and the seal settings pointing at it."""

import subprocess
from pathlib import Path

import pytest

from rathaus.conftest import SEAL_PASSPHRASE as PASSPHRASE  # noqa: F401
from rathaus.documents.demo_ca import SealFiles
from rathaus.documents.examples import example_notice_context
from rathaus.documents.rendering import pdf_render


@pytest.fixture(autouse=True)
def seal_settings(settings):
    """Letters of these tests come from a city of their own."""
    settings.RATHAUS_CITY_NAME = "Stadt Teststadt"
    settings.RATHAUS_CITY_ADDRESS = "Rathausplatz 1, 12345 Teststadt"
    return settings


def root_certificate_pem(files: SealFiles) -> bytes:
    """The last certificate of the chain file: the root."""
    chain = files.chain_file.read_bytes()
    return chain[chain.rindex(b"-----BEGIN CERTIFICATE-----") :]


@pytest.fixture(scope="session")
def nss_db(tmp_path_factory, test_seal) -> Path:
    """An NSS database (what pdfsig reads) that trusts the session's root CA, and nothing else."""
    directory = tmp_path_factory.mktemp("nss")
    root = directory / "root.pem"
    root.write_bytes(root_certificate_pem(test_seal))
    for command in (
        ["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"],
        ["certutil", "-A", "-d", f"sql:{directory}", "-n", "Test root", "-t", "C,C,C", "-i", root],
    ):
        subprocess.run(command, check=True, capture_output=True, timeout=30)  # noqa: S603
    return directory


@pytest.fixture
def pdfsig(nss_db, tmp_path):
    """Poppler's pdfsig on a PDF, trusting the session's root CA; returns its report."""

    def run(pdf: bytes) -> str:
        path = tmp_path / "document.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(  # noqa: S603
            ["pdfsig", "-nssdir", f"sql:{nss_db}", str(path)],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return result.stdout + result.stderr

    return run


@pytest.fixture
def letter() -> bytes:
    """The example decision notice, rendered (not sealed)."""
    return pdf_render(template="documents/example_notice.html", context=example_notice_context())
