"""Separator sheets are found by their code, read with the zbar library in the worker's process:
our QR code and a scan street's own Code 39 sheet split a batch; other codes on a letter do not."""

import io

import pypdfium2 as pdfium
import pytest
import segno
from fpdf import FPDF
from PIL import Image

from rathaus.intake.pipeline import preflight, separators
from rathaus.intake.pipeline.separators import (
    SEPARATOR_CODE,
    BarcodeReaderError,
    codes_read,
    separator_pages,
)
from rathaus.intake.separator_sheet import separator_sheet_pdf

from .samples import letter_png, pdf_join

# A GiroCode (EPC QR) as printed on an invoice; fictional payee and IBAN.
GIROCODE = "BCD\n002\n1\nSCT\n\nMusterfirma GmbH\nDE02120300000000202051\nEUR12.50\n\n\nRE 4711"


def _page(pdf: bytes, dpi: int = 100) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def _code39_sheet(text: str) -> bytes:
    """A scan street's own separator sheet: a Code 39 barcode on an A4 page."""
    sheet = FPDF(format="A4")
    sheet.add_page()
    sheet.code39(f"*{text}*", x=20, y=40, w=1.2, h=25)
    return bytes(sheet.output())


def _qr_page(content: str) -> bytes:
    out = io.BytesIO()
    segno.make_qr(content, error="m").save(out, kind="png", scale=8, border=4)
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    page.paste(Image.open(out).convert("L"), (1100, 150))
    result = io.BytesIO()
    page.save(result, "PNG", dpi=(200, 200))
    return result.getvalue()


def test_our_separator_sheet_is_read_at_the_preflights_resolution():
    codes = codes_read(_page(separator_sheet_pdf(), dpi=preflight.CODE_DPI))

    assert codes == [SEPARATOR_CODE]


def test_a_scan_streets_code_39_sheet_is_a_separator_and_splits_a_batch():
    letter = preflight.document_pdf(letter_png(["Hundesteuer: Abmeldung"]), "png")
    batch = pdf_join(letter, _code39_sheet(SEPARATOR_CODE), letter)

    inspection = preflight.inspect(batch, max_pages=10)

    assert inspection.separators == [1]
    assert inspection.segments() == [[0], [2]]


def test_other_codes_on_a_letter_split_nothing():
    # A GiroCode on an invoice and a Code 39 of another text are read, and are no separators.
    assert codes_read(Image.open(io.BytesIO(_qr_page(GIROCODE)))) == [GIROCODE]
    other = codes_read(_page(_code39_sheet("PAKET-0815")))
    assert other == ["PAKET-0815"]
    assert separator_pages({0: [GIROCODE], 1: other}) == []

    inspection = preflight.inspect(_qr_page(GIROCODE), max_pages=10)

    assert inspection.separators == []


def test_a_page_without_codes_has_none():
    assert codes_read(Image.open(io.BytesIO(letter_png(["Kein Code auf dieser Seite"])))) == []


def test_a_machine_without_zbar_gets_a_clear_error(monkeypatch):
    monkeypatch.setattr(separators, "_library", None)
    monkeypatch.setattr(separators, "LIBRARY", "libzbar-missing.so.99")

    with pytest.raises(BarcodeReaderError, match="libzbar0"):
        codes_read(Image.new("L", (100, 100), 255))
