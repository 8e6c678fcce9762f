"""Text recognition behind a small backend interface; the default runs OCRmyPDF with Tesseract.

OCRmyPDF straightens and rotates the pages (`--deskew --rotate-pages`), reads them with
Tesseract in German and English, and writes a searchable PDF/A where it can. Pages that already
carry text (a born-digital PDF) keep it (`--skip-text`). It reads one page per core (`jobs`)
with Tesseract limited to one thread each (`OMP_THREAD_LIMIT=1`), the fastest setting on a
loaded machine.

PDF/A comes from OCRmyPDF's own backend (pikepdf) rather than Ghostscript: Debian 12's
Ghostscript 10.0 damages files that keep their text, and OCRmyPDF refuses it for --skip-text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from django.conf import settings

from rathaus.core.backends import backend_for

from .errors import DeadLetter

# Tesseract's orientation confidence a page needs before it is turned. OCRmyPDF's default (14)
# leaves many scanned letters upside down: forms and short letters score 1 to 7. On 150 pages
# of generated scans (bench/intake) the detected orientation was right every time down to a
# confidence of 1.1. A page turned wrongly, like one left upside down, reads as nonsense: the
# classifier abstains and the post room sees it, so the lower threshold costs no wrong routing.
ROTATE_THRESHOLD = 1.0
_SKIPPED = re.compile(r"^\s*\[OCR skipped on page", re.IGNORECASE)


@dataclass(frozen=True)
class OcrResult:
    pages: list[str]
    pdfa: bool = True
    anomalies: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\f".join(self.pages).strip()


class OcrBackend:
    """Read `pdf` and write a searchable PDF to `output`; raise DeadLetter for unreadable input."""

    def recognise(self, *, pdf: Path, output: Path) -> OcrResult:
        raise NotImplementedError


def ocr_backend() -> OcrBackend:
    return backend_for("RATHAUS_INTAKE_OCR_BACKEND", interface=OcrBackend)


def ocr_jobs() -> int:
    return settings.RATHAUS_INTAKE_OCR_JOBS or os.cpu_count() or 1


class OcrmypdfBackend(OcrBackend):
    def recognise(self, *, pdf: Path, output: Path) -> OcrResult:
        import ocrmypdf
        from ocrmypdf import exceptions

        # One Tesseract thread per page process; OCRmyPDF passes it on to Tesseract.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        sidecar = output.with_suffix(".txt")
        options = {
            "language": settings.RATHAUS_INTAKE_OCR_LANGUAGES.split("+"),
            "rotate_pages": True,
            "rotate_pages_threshold": ROTATE_THRESHOLD,
            "deskew": True,
            "skip_text": True,
            "jobs": ocr_jobs(),
            "sidecar": sidecar,
            "progress_bar": False,
            "pdfa_backend": "internal",
            "optimize": 1,
        }
        try:
            # Best-effort PDF/A: some born-digital PDFs cannot become PDF/A without Ghostscript
            # and stay a plain searchable PDF; the item says so.
            ocrmypdf.ocr(pdf, output, output_type="auto", **options)
        except (exceptions.EncryptedPdfError, exceptions.InputFileError) as exc:
            raise DeadLetter("ocr_failed", error=type(exc).__name__) from exc
        with pikepdf.open(output) as result:
            pdfa = bool(result.open_metadata().pdfa_status)
        anomalies = [] if pdfa else [{"code": "not_pdfa"}]
        pages = _pages_text(sidecar, output)
        return OcrResult(pages=pages, pdfa=pdfa, anomalies=anomalies)


def _pages_text(sidecar: Path, output: Path) -> list[str]:
    """Tesseract's text per page; pages that kept their own text are read from the PDF."""
    recognised = sidecar.read_text(encoding="utf-8", errors="replace").split("\f")
    document = pdfium.PdfDocument(str(output))
    try:
        pages = []
        for number in range(len(document)):
            text = recognised[number] if number < len(recognised) else ""
            if _SKIPPED.match(text) or not text.strip():
                page = document[number]
                textpage = page.get_textpage()
                own = textpage.get_text_range()
                textpage.close()
                page.close()
                text = own if own.strip() else ("" if _SKIPPED.match(text) else text)
            pages.append(text.replace("\r\n", "\n").strip())
        return pages
    finally:
        document.close()
