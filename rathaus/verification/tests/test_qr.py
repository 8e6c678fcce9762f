"""The printed QR code really scans: segno draws it, zbarimg (Debian zbar-tools) reads it back."""

import base64
import datetime
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from django.test import Client

from rathaus.verification.keys import key_create
from rathaus.verification.qr import qr_code, qr_png_data_uri, qr_svg, token_url

pytestmark = pytest.mark.django_db

ZBARIMG = shutil.which("zbarimg")


def scan(png: bytes, tmp_path) -> str:
    if ZBARIMG is None:
        pytest.fail("zbarimg is missing: install zbar-tools (make test does)")
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    result = subprocess.run(  # noqa: S603
        [ZBARIMG, "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def png_of(data_uri: str) -> bytes:
    prefix = "data:image/png;base64,"
    assert data_uri.startswith(prefix)
    return base64.b64decode(data_uri[len(prefix) :])


def test_the_printed_qr_code_scans_back_to_the_check_address(issue, settings, tmp_path):
    settings.RATHAUS_SITE_URL = "https://service.stadt-wuppertal.de"
    signed = issue()
    scanned = scan(png_of(qr_png_data_uri(token=signed.token, scale=3)), tmp_path)
    assert scanned == f"https://service.stadt-wuppertal.de/pruefen/{signed.token}"
    assert scanned == signed.url


def test_the_scanned_address_opens_a_valid_answer(issue, tmp_path):
    signed = issue()
    scanned = scan(png_of(qr_png_data_uri(token=signed.token)), tmp_path)
    response = Client().get(urlsplit(scanned).path)
    assert response.status_code == 200
    assert response.context["result"].status == "valid"


def test_a_typical_parking_permit_fits_a_version_9_qr_code(issue, settings):
    """53 x 53 modules: about 2.1 cm wide at 0.4 mm a module, which any phone reads."""
    settings.RATHAUS_SITE_URL = "https://service.stadt-wuppertal.de"
    settings.RATHAUS_TOKEN_ACTIVE_KEY = key_create(today=datetime.date(2026, 3, 15)).key_id
    signed = issue(claims={"zone": "B3", "plates": ["W-AB 1234"], "holder": "Lena Schäfer"})
    assert signed.record.key_id == "260315"
    assert 175 <= len(signed.token) <= 185
    code = qr_code(token=signed.token)
    assert code.version == 9
    assert code.error in ("M", "Q", "H")  # at least M: 15 % of the code may be damaged
    # The token travels in alphanumeric mode: far smaller than the same address as bytes.
    import segno

    assert segno.make_qr(signed.url, mode="byte", error="m").version > code.version


def test_the_largest_token_still_scans(issue, tmp_path):
    signed = issue(
        claims={"zone": "B3-Elberfeld", "plates": ["W-AB 1234", "W-CD 5678"], "holder": "x" * 120}
    )
    code = qr_code(token=signed.token)
    assert code.version <= 15
    assert scan(png_of(qr_png_data_uri(token=signed.token)), tmp_path) == signed.url


def test_svg_is_an_inline_element_with_the_same_code(issue):
    signed = issue()
    svg = qr_svg(token=signed.token)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert 'class="segno"' in svg


def test_the_address_has_no_language_prefix_whatever_language_is_active(settings):
    from django.utils import translation

    settings.RATHAUS_SITE_URL = "https://service.stadt.example"
    with translation.override("en"):
        assert token_url(token="ABC") == "https://service.stadt.example/pruefen/ABC"
