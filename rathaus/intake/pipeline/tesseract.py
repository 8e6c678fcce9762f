"""Tesseract inside the worker's own process, through its C API (Debian's `libtesseract5`).

The `tesseract` program loads its language models (German and English: some 0.15 s) for every
page it reads; reading a page takes 0.5 to 1 s. A worker therefore keeps its engines loaded
and reads every page with one of them: the same library, the same models and settings as
`tesseract IMAGE BASE -l deu+eng --dpi N -c textonly_pdf=1 pdf` (page segmentation "auto",
`--psm 3`, which the program sets and the library does not), without loading them again.

An engine reads one page at a time; `engine()` lends one to a thread and takes it back, so a
worker holds as many engines as it reads pages at once (`RATHAUS_INTAKE_OCR_JOBS`), each about
50 MB. The library is loaded with ctypes on first use: nothing to compile, and a machine
without it fails with a clear error when a page is read, not at import.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

LIBRARY_NAMES = ("libtesseract.so.5", "tesseract")
# Leptonica, Tesseract's image library, prints its complaints about odd pages ("Error in
# pixScanForForeground: invalid box") to the worker's stderr unless told otherwise; failures
# that matter come back as return values.
LEPTONICA = "liblept.so.5"
L_SEVERITY_NONE = 6
# Page segmentation "fully automatic page segmentation, but no OSD": the program's default;
# and "a single text line", for reading a line again.
PSM_AUTO = 3
PSM_SINGLE_LINE = 7


@dataclass(frozen=True)
class Reading:
    """What Tesseract read on a page: the text, and its words with their boxes (Tesseract's TSV:
    level, page, block, paragraph, line and word number, left, top, width, height, confidence,
    text)."""

    text: str
    words_tsv: str


class TesseractError(OSError):
    """Tesseract failed on a page, or is not installed: a problem of the installation or the
    machine, not of the letter; the step is retried."""


_library: ctypes.CDLL | None = None
_library_lock = threading.Lock()


def _declare(library: ctypes.CDLL) -> None:
    handle, text = ctypes.c_void_p, ctypes.c_char_p
    signatures = {
        "TessBaseAPICreate": ([], handle),
        "TessBaseAPIDelete": ([handle], None),
        "TessBaseAPIEnd": ([handle], None),
        "TessBaseAPIInit3": ([handle, text, text], ctypes.c_int),
        "TessBaseAPISetPageSegMode": ([handle, ctypes.c_int], None),
        "TessBaseAPISetVariable": ([handle, text, text], ctypes.c_int),
        "TessBaseAPIGetDatapath": ([handle], text),
        "TessBaseAPIProcessPages": ([handle, text, text, ctypes.c_int, handle], ctypes.c_int),
        "TessBaseAPIGetUTF8Text": ([handle], ctypes.c_void_p),
        "TessBaseAPIGetTsvText": ([handle, ctypes.c_int], ctypes.c_void_p),
        "TessBaseAPISetImage": (
            [handle, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int],
            None,
        ),
        "TessBaseAPISetSourceResolution": ([handle, ctypes.c_int], None),
        "TessBaseAPIClear": ([handle], None),
        "TessDeleteText": ([ctypes.c_void_p], None),
        "TessPDFRendererCreate": ([text, text, ctypes.c_int], handle),
        "TessDeleteResultRenderer": ([handle], None),
    }
    for name, (arguments, result) in signatures.items():
        function = getattr(library, name)
        function.argtypes = arguments
        function.restype = result


def _lib() -> ctypes.CDLL:
    global _library
    with _library_lock:
        if _library is None:
            errors = []
            for name in LIBRARY_NAMES:
                path = name if name.startswith("lib") else ctypes.util.find_library(name)
                if not path:
                    continue
                try:
                    library = ctypes.CDLL(path)
                except OSError as exc:
                    errors.append(str(exc))
                    continue
                _declare(library)
                _library = library
                _leptonica_quiet()
                break
            else:
                raise TesseractError(
                    "libtesseract is missing (Debian package libtesseract5, installed with "
                    f"tesseract-ocr): {'; '.join(errors) or 'not found'}"
                )
        return _library


def _leptonica_quiet() -> None:
    try:
        leptonica = ctypes.CDLL(LEPTONICA)
    except OSError:
        return  # another Leptonica: it talks, and nothing else changes
    leptonica.setMsgSeverity.argtypes = [ctypes.c_int]
    leptonica.setMsgSeverity.restype = ctypes.c_int
    leptonica.setMsgSeverity(L_SEVERITY_NONE)


class Engine:
    """One loaded Tesseract: reads one page at a time."""

    def __init__(self, languages: str):
        # One thread for each page: workers read several pages side by side instead.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        lib = _lib()
        self.languages = languages
        self._handle = lib.TessBaseAPICreate()
        if not self._handle:
            raise TesseractError("Tesseract could not be started")
        if lib.TessBaseAPIInit3(self._handle, None, languages.encode()) != 0:
            lib.TessBaseAPIDelete(self._handle)
            self._handle = None
            raise TesseractError(f"Tesseract has no language data for {languages!r}")
        lib.TessBaseAPISetPageSegMode(self._handle, PSM_AUTO)
        # Its remarks on odd pages ("Image too small to scale") go nowhere, not into our logs.
        lib.TessBaseAPISetVariable(self._handle, b"debug_file", os.devnull.encode())
        self._datapath = lib.TessBaseAPIGetDatapath(self._handle)

    def read(self, image: Path, output_base: Path, *, dpi: int, timeout: float) -> Reading:
        """Read the image; write its invisible text layer to `output_base`.pdf (Tesseract's
        `textonly_pdf`) and return the text and the words' boxes. A page not read within
        `timeout` seconds fails."""
        lib = _lib()
        handle = self._handle
        lib.TessBaseAPISetVariable(handle, b"user_defined_dpi", str(dpi).encode())
        renderer = lib.TessPDFRendererCreate(str(output_base).encode(), self._datapath, 1)
        if not renderer:
            raise TesseractError("Tesseract could not write its text layer")
        try:
            done = lib.TessBaseAPIProcessPages(
                handle, str(image).encode(), None, int(timeout * 1000), renderer
            )
        finally:
            # Closes the PDF file.
            lib.TessDeleteResultRenderer(renderer)
        try:
            if not done:
                raise TesseractError("Tesseract could not read the page")
            return Reading(
                text=_taken(lib.TessBaseAPIGetUTF8Text(handle)),
                words_tsv=_taken(lib.TessBaseAPIGetTsvText(handle, 0)),
            )
        finally:
            lib.TessBaseAPIClear(handle)

    def read_line(self, image: Image.Image, *, dpi: int, characters: str) -> str:
        """Read an image of one line of text, with only `characters` allowed (Tesseract's
        whitelist); the engine's settings for pages are restored afterwards."""
        lib = _lib()
        handle = self._handle
        grey = image if image.mode == "L" else image.convert("L")
        try:
            lib.TessBaseAPISetPageSegMode(handle, PSM_SINGLE_LINE)
            lib.TessBaseAPISetVariable(handle, b"tessedit_char_whitelist", characters.encode())
            lib.TessBaseAPISetImage(handle, grey.tobytes(), grey.width, grey.height, 1, grey.width)
            lib.TessBaseAPISetSourceResolution(handle, dpi)
            return _taken(lib.TessBaseAPIGetUTF8Text(handle))
        finally:
            lib.TessBaseAPISetVariable(handle, b"tessedit_char_whitelist", b"")
            lib.TessBaseAPISetPageSegMode(handle, PSM_AUTO)
            lib.TessBaseAPIClear(handle)

    def close(self) -> None:
        if self._handle:
            lib = _lib()
            lib.TessBaseAPIEnd(self._handle)
            lib.TessBaseAPIDelete(self._handle)
            self._handle = None


def _taken(pointer) -> str:
    """A text Tesseract handed over, decoded and freed."""
    if not pointer:
        raise TesseractError("Tesseract returned no text")
    try:
        return ctypes.string_at(pointer).decode("utf-8", "replace")
    finally:
        _lib().TessDeleteText(pointer)


_idle: dict[str, list[Engine]] = {}
_every: list[Engine] = []
_pool_lock = threading.Lock()


@contextmanager
def engine(languages: str) -> Iterator[Engine]:
    """A loaded engine for these languages, for one thread, while the block runs."""
    with _pool_lock:
        idle = _idle.setdefault(languages, [])
        lent = idle.pop() if idle else None
    if lent is None:
        lent = Engine(languages)
        with _pool_lock:
            _every.append(lent)
    try:
        yield lent
    finally:
        with _pool_lock:
            _idle[languages].append(lent)


@atexit.register
def _close_all() -> None:
    """Unload the engines before the interpreter ends (Tesseract warns of leaks otherwise)."""
    with _pool_lock:
        for loaded in _every:
            loaded.close()
        _every.clear()
        _idle.clear()
