import os
import subprocess
import sys
from io import StringIO

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from rathaus.documents.checks import seal_configured
from rathaus.documents.demo_ca import SealFiles
from rathaus.documents.verification import pdf_seal_verify


@pytest.fixture
def debug_var(settings, tmp_path):
    """The local demo: DEBUG on, no seal configured, var/ in a temporary folder."""
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path / "var"
    settings.RATHAUS_SEAL_KEY_FILE = ""
    settings.RATHAUS_SEAL_CERT_FILE = ""
    settings.RATHAUS_SEAL_CHAIN_FILE = ""
    settings.RATHAUS_SEAL_KEY_PASSPHRASE = ""
    return settings.VAR_DIR


def demo_ca() -> str:
    out = StringIO()
    call_command("documents_demo_ca", stdout=out)
    return out.getvalue()


def test_the_demo_ca_command_creates_a_seal_for_the_city(debug_var):
    demo_ca()

    files = SealFiles.in_directory(debug_var / "seal")
    seal = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
    issuing, root = x509.load_pem_x509_certificates(files.chain_file.read_bytes())
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Demo-CA Rathaus"
    assert root.subject == root.issuer
    assert seal.issuer == issuing.subject and issuing.issuer == root.subject
    organisation = seal.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert organisation == "Stadt Teststadt"
    assert seal.subject.get_attributes_for_oid(NameOID.LOCALITY_NAME)[0].value == "Teststadt"
    assert seal.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "DE"
    usage = seal.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.content_commitment and usage.digital_signature  # nonRepudiation
    assert not usage.key_cert_sign
    assert not seal.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert files.key_file.stat().st_mode & 0o077 == 0  # the key is readable by its owner only


def test_the_demo_ca_command_does_nothing_the_second_time(debug_var):
    demo_ca()
    files = SealFiles.in_directory(debug_var / "seal")
    before = {
        path: path.read_bytes() for path in (files.key_file, files.cert_file, files.chain_file)
    }

    output = demo_ca()

    assert {path: path.read_bytes() for path in before} == before
    assert "bereits vorhanden" in output
    assert sorted(p.name for p in debug_var.iterdir()) == ["seal"]  # no leftover staging folder


def test_the_demo_ca_command_never_overwrites_an_incomplete_folder(debug_var):
    (debug_var / "seal").mkdir(parents=True)
    (debug_var / "seal" / "seal-key.pem").write_text("someone's key")

    with pytest.raises(CommandError, match="incomplete"):
        demo_ca()
    assert (debug_var / "seal" / "seal-key.pem").read_text() == "someone's key"


def test_the_example_command_writes_a_sealed_letter(tmp_path):
    output = tmp_path / "brief.pdf"
    call_command("documents_example", str(output), stdout=StringIO())

    assert pdf_seal_verify(pdf=output.read_bytes()).ok


def test_the_example_command_without_a_seal_fails_and_writes_nothing(settings, tmp_path):
    settings.RATHAUS_SEAL_KEY_FILE = ""
    folder = tmp_path / "out"
    folder.mkdir()

    with pytest.raises(CommandError, match="No seal key is configured"):
        call_command("documents_example", str(folder / "brief.pdf"), stdout=StringIO())
    assert list(folder.iterdir()) == []


def test_the_example_command_into_a_missing_folder_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(CommandError):
        call_command("documents_example", str(folder / "nope" / "brief.pdf"), stdout=StringIO())
    assert list(folder.iterdir()) == []


def test_the_deploy_check_accepts_a_usable_seal():
    assert seal_configured() == []


def test_the_deploy_check_refuses_production_without_a_seal(settings):
    settings.RATHAUS_SEAL_KEY_FILE = ""
    assert [message.id for message in seal_configured()] == ["documents.E001"]


def test_the_deploy_check_refuses_an_unusable_seal(settings):
    settings.RATHAUS_SEAL_KEY_PASSPHRASE = "falsch"
    messages = seal_configured()
    assert [message.id for message in messages] == ["documents.E002"]
    assert "RATHAUS_SEAL_KEY_PASSPHRASE" in messages[0].msg


def test_the_deploy_check_warns_about_the_demo_seal(debug_var):
    assert [message.id for message in seal_configured()] == ["documents.W001"]


def test_manage_check_deploy_fails_in_production_without_a_seal(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RATHAUS_") and key != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"],
        cwd=django_settings.BASE_DIR,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "RATHAUS_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "documents.E001" in result.stderr
    assert not (tmp_path / "seal").exists()  # no demo seal appears behind the operator's back
