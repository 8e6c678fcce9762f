"""Project-wide checks: migrations committed, production settings pass Django's deploy checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_a_committed_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RATHAUS_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks(tmp_path):
    from rathaus.verification.keys import key_create

    # Production needs a key to sign the QR codes on documents (system check verification.E001).
    key_create(directory=tmp_path / "keys" / "verification")
    from rathaus.documents.demo_ca import demo_ca_create

    # ... and the city's seal for letters (system check documents.E001).
    seal = demo_ca_create(directory=tmp_path / "seal-ca", organisation="Stadt Musterstadt")
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
        RATHAUS_VAR_DIR=str(tmp_path),
        RATHAUS_ALLOWED_HOSTS="rathaus.example.org",
        RATHAUS_PAYEE_NAME="Stadtkasse Musterstadt",
        RATHAUS_PAYEE_IBAN="DE48123456780000042026",
        RATHAUS_SEAL_KEY_FILE=str(seal.key_file),
        RATHAUS_SEAL_CERT_FILE=str(seal.cert_file),
        RATHAUS_SEAL_CHAIN_FILE=str(seal.chain_file),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_settings_fail_the_deploy_checks(tmp_path):
    """The deploy check can fail: debug settings are caught."""
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
        RATHAUS_VAR_DIR=str(tmp_path),
        RATHAUS_DEBUG="1",
    )
    assert result.returncode != 0


def test_a_malformed_boolean_setting_is_refused_with_its_name(tmp_path):
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings",
        RATHAUS_VAR_DIR=str(tmp_path),
        RATHAUS_DEBUG="vielleicht",
    )
    assert result.returncode != 0
    assert "RATHAUS_DEBUG" in result.stderr


def test_every_environment_variable_is_documented():
    import re

    source = (settings.BASE_DIR / "config" / "settings.py").read_text()
    docs = (settings.BASE_DIR / "docs" / "configuration.md").read_text()
    variables = set(re.findall(r'"((?:RATHAUS|DATABASE)_[A-Z0-9_]+)"', source))
    variables -= {"RATHAUS_EID_ACR_LEVELS", "RATHAUS_EID_PROVIDER_ID"}  # settings, not variables
    undocumented = sorted(v for v in variables if f"`{v}`" not in docs)
    assert undocumented == []
