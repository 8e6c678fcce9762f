"""Separator sheets (Trennblätter): pages with a QR code or barcode (Code 128 or Code 39)
reading RATHAUS-TRENNBLATT.

Codes are read with zbar's `zbarimg` (Debian package zbar-tools), all pages in one call. Only the
exact text counts: a GiroCode or a parcel barcode on a letter is no separator.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from defusedxml import ElementTree

SEPARATOR_CODE = "RATHAUS-TRENNBLATT"
ZBARIMG = "/usr/bin/zbarimg"
# What separator sheets carry: our QR code, or the Code 128 or Code 39 of a scan street's own
# sheets. Looking for nothing else (EAN, ISBN, interleaved 2 of 5, ...) halves zbar's time.
SYMBOLOGIES = ("-Sdisable", "-Sqrcode.enable", "-Scode128.enable", "-Scode39.enable")
_NS = "{http://zbar.sourceforge.net/2008/barcode}"


class BarcodeReaderError(Exception):
    """zbarimg failed (missing, or it crashed): a problem of the installation, not the file."""


def codes_read(images: list[Path], *, timeout: float = 300) -> dict[int, list[str]]:
    """The codes zbar reads on each image, by the image's position in the list."""
    if not images:
        return {}
    try:
        result = subprocess.run(  # noqa: S603
            [ZBARIMG, "--xml", "--quiet", "--nodbus", *SYMBOLOGIES, *(str(p) for p in images)],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BarcodeReaderError(type(exc).__name__) from exc
    # 0: codes found, 4: no code on any image; anything else is a failure of zbar itself.
    if result.returncode not in (0, 4):
        raise BarcodeReaderError(f"zbarimg exited with {result.returncode}")
    position = {str(path): number for number, path in enumerate(images)}
    codes: dict[int, list[str]] = {}
    root = ElementTree.fromstring(result.stdout or b"<barcodes/>")
    for source in root.iter(f"{_NS}source"):
        number = position.get(source.get("href", ""))
        if number is None:
            continue
        codes[number] = [
            (data.text or "").strip() for data in source.iter(f"{_NS}data") if data is not None
        ]
    return codes


def separator_pages(codes: dict[int, list[str]]) -> list[int]:
    """The pages (0-based) that carry the separator code."""
    return sorted(
        number
        for number, values in codes.items()
        if any(re.sub(r"\s+", "", value).upper() == SEPARATOR_CODE for value in values)
    )
