"""The GiroCode: payload byte for byte per EPC069-12 v002, and the QR code reads back."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from rathaus.payments.checks import payee_check
from rathaus.payments.girocode import Payee, epc_amount, epc_payload, girocode, payee

CITY = Payee(name="Stadtkasse Wuppertal", iban="DE48123456780000042026", bic="")


def test_the_payload_is_byte_exact():
    payload = epc_payload(payee=CITY, amount_cents=1250, reference="RF0520260000042")
    assert payload.encode("utf-8") == (
        b"BCD\n"  # service tag
        b"002\n"  # version
        b"1\n"  # character set: UTF-8
        b"SCT\n"  # SEPA credit transfer
        b"\n"  # BIC: optional in version 002
        b"Stadtkasse Wuppertal\n"
        b"DE48123456780000042026\n"
        b"EUR12.50\n"
        b"\n"  # purpose
        b"RF0520260000042"  # structured remittance, the last element: no line break after it
    )


def test_the_bic_goes_on_line_five_and_umlauts_are_utf8():
    city = Payee(name="Stadtkasse Wülfrath", iban="DE48123456780000042026", bic="WUPSDE33XXX")
    lines = epc_payload(payee=city, amount_cents=3000, reference="RF0520260000042").split("\n")
    assert lines[4] == "WUPSDE33XXX"
    assert lines[5].encode("utf-8") == "Stadtkasse Wülfrath".encode()
    assert lines[7] == "EUR30.00"
    assert len(lines) == 10


@pytest.mark.parametrize(
    ("cents", "text"),
    [(1, "EUR0.01"), (1250, "EUR12.50"), (3000, "EUR30.00"), (99_999_999, "EUR999999.99")],
)
def test_amounts_have_two_decimals_and_a_point(cents, text):
    assert epc_amount(cents) == text


def test_values_beyond_the_field_lengths_are_refused():
    with pytest.raises(ValueError):
        epc_amount(0)
    with pytest.raises(ValueError):
        epc_amount(100_000_000)  # "EUR1000000.00" is 13 characters, the field has 12
    with pytest.raises(ValueError):
        epc_payload(
            payee=Payee(name="x" * 71, iban=CITY.iban, bic=""),
            amount_cents=100,
            reference="RF0520260000042",
        )
    with pytest.raises(ValueError):
        epc_payload(
            payee=Payee(name=CITY.name, iban="DE48123456780000042027", bic=""),
            amount_cents=100,
            reference="RF0520260000042",
        )
    with pytest.raises(ValueError):
        epc_payload(payee=CITY, amount_cents=100, reference="Gebühr für WUP-104-2026-00042")
    # Within the limits, the payload stays under the 331 bytes of the standard.
    longest = epc_payload(
        payee=Payee(name="ä" * 70, iban=CITY.iban, bic="WUPSDE33XXX"),
        amount_cents=99_999_999,
        reference="RF0520260000042",
    )
    assert len(longest.encode("utf-8")) <= 331


def test_the_qr_code_uses_error_correction_m():
    payload = epc_payload(payee=CITY, amount_cents=1250, reference="RF0520260000042")
    code = girocode(payload)
    assert code.error == "M"
    assert code.mode == "byte"
    assert code.version <= 13  # the largest version the EPC guidelines allow


def test_the_qr_code_decodes_back_to_the_payload(tmp_path):
    """zbarimg (Debian zbar-tools, installed by `make test`) reads the code like a phone."""
    city = Payee(name="Stadtkasse Wülfrath", iban="DE48123456780000042026", bic="WUPSDE33XXX")
    payload = epc_payload(payee=city, amount_cents=2600, reference="RF0520260000042")
    image = tmp_path / "girocode.png"
    girocode(payload).save(str(image), scale=4, border=4)
    decoded = subprocess.run(  # noqa: S603
        ["zbarimg", "--quiet", "--raw", "-Sbinary", str(image)],  # noqa: S607
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    assert decoded == payload.encode("utf-8")


def test_the_payee_comes_from_the_settings(settings):
    settings.RATHAUS_PAYEE_NAME = " Stadtkasse Wuppertal "
    settings.RATHAUS_PAYEE_IBAN = "de48 1234 5678 0000 0420 26"
    settings.RATHAUS_PAYEE_BIC = "wupsde33"
    assert payee() == Payee(name="Stadtkasse Wuppertal", iban=CITY.iban, bic="WUPSDE33")
    assert payee_check(None) == []


@pytest.mark.parametrize(
    ("name", "iban", "bic", "problem"),
    [
        ("", "DE48123456780000042026", "", "RATHAUS_PAYEE_NAME is not set"),
        ("Stadtkasse", "", "", "RATHAUS_PAYEE_IBAN is not set"),
        ("Stadtkasse", "DE48123456780000042027", "", "not a valid IBAN"),
        ("Stadtkasse", "DE48123456780000042026", "NOBIC", "not a valid BIC"),
    ],
)
def test_a_missing_or_wrong_account_is_a_system_check_error(settings, name, iban, bic, problem):
    settings.RATHAUS_PAYEE_NAME = name
    settings.RATHAUS_PAYEE_IBAN = iban
    settings.RATHAUS_PAYEE_BIC = bic
    errors = payee_check(None)
    assert [error.id for error in errors] == ["payments.E001"]
    assert problem in errors[0].msg
    with pytest.raises(ImproperlyConfigured):
        payee()


def _check(**env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RATHAUS_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_the_account_and_debug_has_a_demo_one(tmp_path):
    production = _check(RATHAUS_VAR_DIR=str(tmp_path))
    assert production.returncode != 0
    assert "payments.E001" in production.stderr
    demo = _check(RATHAUS_VAR_DIR=str(tmp_path), RATHAUS_DEBUG="1")
    assert "payments.E001" not in demo.stderr + demo.stdout
