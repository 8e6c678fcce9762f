"""Separator sheets (Trennblätter): pages with a QR code or barcode (Code 128 or Code 39)
reading RATHAUS-TRENNBLATT.

Codes are read with the zbar library (Debian package libzbar0, which zbar-tools brings) inside
the worker's process, through ctypes: a page's preview is handed over as it is, instead of
being written to a file for `zbarimg` and read back from its XML. Only the exact text counts: a
GiroCode or a parcel barcode on a letter is no separator.
"""

from __future__ import annotations

import ctypes
import re
import threading

from PIL import Image

SEPARATOR_CODE = "RATHAUS-TRENNBLATT"
LIBRARY = "libzbar.so.0"
# What separator sheets carry: our QR code, or the Code 128 or Code 39 of a scan street's own
# sheets. Looking for nothing else (EAN, ISBN, interleaved 2 of 5, ...) halves zbar's time.
ZBAR_QRCODE, ZBAR_CODE39, ZBAR_CODE128 = 64, 39, 128
SYMBOLOGIES = (ZBAR_QRCODE, ZBAR_CODE128, ZBAR_CODE39)
ZBAR_CFG_ENABLE = 0
Y800 = int.from_bytes(b"Y800", "little")  # 8-bit grey, one byte a pixel


class BarcodeReaderError(Exception):
    """zbar is missing or failed: a problem of the installation, not of the file."""


_library: ctypes.CDLL | None = None
_lock = threading.Lock()


def _lib() -> ctypes.CDLL:
    global _library
    with _lock:
        if _library is None:
            try:
                library = ctypes.CDLL(LIBRARY)
            except OSError as exc:
                raise BarcodeReaderError(f"{LIBRARY} is missing (Debian package libzbar0)") from exc
            pointer = ctypes.c_void_p
            signatures = {
                "zbar_image_scanner_create": ([], pointer),
                "zbar_image_scanner_destroy": ([pointer], None),
                "zbar_image_scanner_set_config": (
                    [pointer, ctypes.c_int, ctypes.c_int, ctypes.c_int],
                    ctypes.c_int,
                ),
                "zbar_image_create": ([], pointer),
                "zbar_image_destroy": ([pointer], None),
                "zbar_image_set_format": ([pointer, ctypes.c_ulong], None),
                "zbar_image_set_size": ([pointer, ctypes.c_uint, ctypes.c_uint], None),
                "zbar_image_set_data": ([pointer, pointer, ctypes.c_ulong, pointer], None),
                "zbar_scan_image": ([pointer, pointer], ctypes.c_int),
                "zbar_image_first_symbol": ([pointer], pointer),
                "zbar_symbol_next": ([pointer], pointer),
                "zbar_symbol_get_data": ([pointer], pointer),
                "zbar_symbol_get_data_length": ([pointer], ctypes.c_uint),
            }
            for name, (arguments, result) in signatures.items():
                function = getattr(library, name)
                function.argtypes = arguments
                function.restype = result
            _library = library
        return _library


def codes_read(image: Image.Image) -> list[str]:
    """The texts of the separator symbologies' codes zbar finds on a greyscale image."""
    lib = _lib()
    grey = image if image.mode == "L" else image.convert("L")
    pixels = grey.tobytes()
    buffer = ctypes.create_string_buffer(pixels, len(pixels))
    scanner = lib.zbar_image_scanner_create()
    picture = lib.zbar_image_create()
    if not scanner or not picture:
        raise BarcodeReaderError("zbar could not be started")
    try:
        lib.zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 0)
        for symbology in SYMBOLOGIES:
            lib.zbar_image_scanner_set_config(scanner, symbology, ZBAR_CFG_ENABLE, 1)
        lib.zbar_image_set_format(picture, Y800)
        lib.zbar_image_set_size(picture, grey.width, grey.height)
        lib.zbar_image_set_data(picture, ctypes.cast(buffer, ctypes.c_void_p), len(pixels), None)
        if lib.zbar_scan_image(scanner, picture) < 0:
            raise BarcodeReaderError("zbar failed on the page")
        codes = []
        symbol = lib.zbar_image_first_symbol(picture)
        while symbol:
            data = ctypes.string_at(
                lib.zbar_symbol_get_data(symbol), lib.zbar_symbol_get_data_length(symbol)
            )
            codes.append(data.decode("utf-8", "replace").strip())
            symbol = lib.zbar_symbol_next(symbol)
        return codes
    finally:
        # The pixels belong to Python (no cleanup handler): zbar only forgets them.
        lib.zbar_image_destroy(picture)
        lib.zbar_image_scanner_destroy(scanner)


def is_separator(codes: list[str]) -> bool:
    return any(re.sub(r"\s+", "", value).upper() == SEPARATOR_CODE for value in codes)


def separator_pages(codes: dict[int, list[str]]) -> list[int]:
    """The pages (0-based) that carry the separator code."""
    return sorted(number for number, values in codes.items() if is_separator(values))
