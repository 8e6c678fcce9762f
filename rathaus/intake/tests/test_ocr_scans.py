"""Scans read with one Tesseract run per page: orientation and skew from the ink, the original
pages kept, the text layer over the words, PDF/A; letters with a text layer go to OCRmyPDF."""

import ctypes
import io

import img2pdf
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from rathaus.intake.extraction import fields_extract, iban_grouped, ibans_unread
from rathaus.intake.pipeline import ocr_scans, preflight
from rathaus.intake.pipeline.ocr_scans import TesseractError, TesseractScanBackend
from rathaus.intake.pipeline.orientation import page_geometry

from .corpus import SENTENCES
from .samples import born_digital_pdf, pdf_join, pdf_of_images, scan_page

LINES = [
    "Erika Mustermann",
    "Hauptstraße 5",
    "42103 Wuppertal",
    "",
    "Widerspruch gegen den Bescheid vom 12. März 2026",
    *SENTENCES["objection"],
    *SENTENCES["dog_tax"][:3],
    "Mit freundlichen Grüßen",
    "Erika Mustermann",
]


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def _recognise(tmp_path, pdf: bytes):
    source, output = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(pdf)
    return TesseractScanBackend().recognise(pdf=source, output=output), output


def _shown(output, dpi: int = 100) -> tuple[Image.Image, pdfium.PdfPage, pdfium.PdfDocument]:
    document = pdfium.PdfDocument(str(output))
    page = document[0]
    return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"), page, document


def _word_ink(image: Image.Image, page: pdfium.PdfPage, word: str) -> float:
    """The share of dark pixels inside the text layer's boxes of `word` on the shown page."""
    textpage = page.get_textpage()
    searcher = textpage.search(word)
    found = searcher.get_next()
    assert found, f"{word!r} is not in the text layer"
    start, count = found
    dark = total = 0
    for index in range(start, start + count):
        left, bottom, right, top = textpage.get_charbox(index)
        corners = []
        for x, y in ((left, bottom), (right, top)):
            device_x, device_y = ctypes.c_int(), ctypes.c_int()
            pdfium.raw.FPDF_PageToDevice(
                page.raw, 0, 0, image.width, image.height, 0, x, y, device_x, device_y
            )
            corners.append((device_x.value, device_y.value))
        (x1, y1), (x2, y2) = corners
        box = image.crop((min(x1, x2), min(y1, y2), max(x1, x2) + 1, max(y1, y2) + 1))
        histogram = box.histogram()
        dark += sum(histogram[:128])
        total += box.width * box.height
    return dark / max(total, 1)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("skew", [0.0, 2.4, -1.6])
def test_the_ink_tells_which_way_up_a_page_is_and_how_crooked(rotation, skew):
    geometry = page_geometry(_image(scan_page(LINES, rotation=rotation, skew=skew, fmt="PNG")))

    assert geometry.sure
    assert geometry.rotation == rotation
    assert geometry.skew == pytest.approx(skew, abs=0.3)


def test_a_page_without_enough_lines_is_left_to_tesseract():
    assert not page_geometry(Image.new("L", (1240, 1754), 255)).sure
    two_lines = scan_page(["Widerspruch", "Erika Mustermann"], rotation=180, fmt="PNG")
    assert not page_geometry(_image(two_lines)).sure


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_turned_crooked_scan_comes_out_upright_straight_searchable_and_unchanged(
    tmp_path, rotation
):
    jpeg = scan_page(LINES, rotation=rotation, skew=2.0)

    result, output = _recognise(tmp_path, pdf_of_images([jpeg]))

    assert "Widerspruch" in result.text
    assert "Mustermann" in result.text
    assert result.pdfa and result.anomalies == []
    with pikepdf.open(output) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        page = pdf.pages[0]
        assert int(page.obj.get("/Rotate", 0)) == (360 - rotation) % 360
        # The scan itself is in the file byte for byte: turned and straightened, not re-encoded.
        images = list(page.get_images().values())
        assert [image.read_raw_bytes() for image in images] == [jpeg]
    shown, page, document = _shown(output)
    try:
        geometry = page_geometry(shown)
        assert (geometry.rotation, geometry.sure) == (0, True)
        assert abs(geometry.skew) < 0.3
        # The invisible text lies over the printed words, not beside them.
        assert _word_ink(shown, page, "Widerspruch") > 0.1
        assert _word_ink(shown, page, "Mustermann") > 0.1
    finally:
        document.close()


def test_a_page_the_ink_leaves_unsure_is_turned_by_tesseracts_orientation_detection(
    tmp_path, monkeypatch
):
    asked = []
    detect = ocr_scans._tesseract_orientation
    monkeypatch.setattr(
        ocr_scans,
        "_tesseract_orientation",
        lambda image, dpi: asked.append(dpi) or detect(image, dpi=dpi),
    )
    short = scan_page(["Widerspruch gegen den Bescheid", "Erika Mustermann"], rotation=180)

    result, output = _recognise(tmp_path, pdf_of_images([short]))

    assert asked == [150]  # on the preview
    assert "Widerspruch" in result.text
    with pikepdf.open(output) as pdf:
        assert int(pdf.pages[0].obj.Rotate) == 180


def test_a_page_that_is_more_than_one_image_is_rendered_and_read(tmp_path):
    png = scan_page(LINES, fmt="PNG")
    # A4 page with the scan on a smaller area: not "one image over the whole page".
    a4, border = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)), (40.0, 40.0)
    layout = img2pdf.get_layout_fun(a4, None, border)
    pdf = img2pdf.convert(png, layout_fun=layout)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert ocr_scans._single_image(document.pages[0]) is None

    result, _output = _recognise(tmp_path, pdf)

    assert "Widerspruch" in result.text
    assert result.pdfa


def test_a_scan_pikepdf_cannot_decode_is_rendered_and_read(tmp_path):
    # The scan as a spot colour (Separation): pikepdf does not decode it, pdfium draws it.
    with pikepdf.open(io.BytesIO(pdf_of_images([scan_page(LINES, fmt="PNG")]))) as document:
        image = next(iter(document.pages[0].get_images().values()))
        tint = document.make_indirect(
            pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1], C1=[0], N=1)
        )
        image.ColorSpace = pikepdf.Array(
            [pikepdf.Name.Separation, pikepdf.Name.Black, pikepdf.Name.DeviceGray, tint]
        )
        image.Decode = pikepdf.Array([1, 0])
        out = io.BytesIO()
        document.save(out)

    result, output = _recognise(tmp_path, out.getvalue())

    assert "Widerspruch" in result.text
    # A device grey spot colour cannot be PDF/A with an sRGB intent: the item says so.
    assert (result.pdfa, result.anomalies) == (False, [{"code": "not_pdfa"}])
    with pikepdf.open(output) as pdf:
        assert len(pdf.pages) == 1


def test_a_letter_with_a_text_layer_keeps_it_and_its_scans_are_read_by_ocrmypdf(tmp_path):
    typed = born_digital_pdf("Kassenzeichen 4711\nIhr Schreiben vom 3. März")
    scanned = pdf_of_images([scan_page(LINES, fmt="PNG")])

    result, _output = _recognise(tmp_path, pdf_join(typed, scanned))

    assert "Kassenzeichen 4711" in result.pages[0]
    assert "Widerspruch" in result.pages[1]


def test_a_failing_tesseract_is_an_error_the_step_retries_and_leaves_no_file(tmp_path, settings):
    settings.RATHAUS_INTAKE_OCR_LANGUAGES = "xxx"  # no language data: Tesseract cannot start

    with pytest.raises(TesseractError):
        _recognise(tmp_path, pdf_of_images([scan_page(LINES)]))

    assert not (tmp_path / "out.pdf").exists()


def test_an_iban_tesseract_misread_is_read_again_from_its_line(tmp_path, monkeypatch):
    # A generated invoice (bench/intake, seed 9, a development letter): on the page, Tesseract
    # reads the IBAN's 8 as a 3, and the checksum refuses it; read again from its line, larger
    # and as digits and capitals only, it passes.
    from bench.intake.generate import set_plan
    from bench.intake.items import item_build

    spec = set_plan(seed=9, set_name="eval", count=300)[12]
    entry = item_build(spec, tmp_path)
    (gold,) = entry["fields"]["ibans"]
    data = (tmp_path / entry["file"]).read_bytes()
    pdf = preflight.document_pdf(data, preflight.inspect(data, max_pages=10).kind)

    result, _output = _recognise(tmp_path, pdf)

    assert fields_extract(result.text).ibans == (gold,)
    assert iban_grouped(gold) in result.text
    # Without the second reading the IBAN is lost.
    monkeypatch.setattr(ocr_scans, "ibans_unread", lambda text: [])
    first, _output = _recognise(tmp_path, pdf)
    assert gold not in fields_extract(first.text).ibans
    assert ibans_unread(first.text)


def test_a_valid_iban_or_a_tax_number_is_not_read_again(tmp_path, monkeypatch):
    lines = ["Rechnung 4711", "IBAN DE44 5001 0517 5407 3249 31", "USt-IdNr. DE123456789"]
    asked = []
    monkeypatch.setattr(
        ocr_scans, "_ibans_read_again", lambda *arguments: asked.append(arguments) or ""
    )

    result, _output = _recognise(tmp_path, pdf_of_images([scan_page(lines, dpi=300)]))

    assert fields_extract(result.text).ibans == ("DE44500105175407324931",)
    assert asked == []
