"""Preflight: bad inputs become dead letters with a reason and never block the queue; separator
sheets split a batch into letters."""

import io
import random

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from rathaus.applications.tests import upload_samples
from rathaus.intake.models import IntakeItem, Receipt, Status
from rathaus.intake.pipeline import preflight
from rathaus.intake.pipeline.errors import DeadLetter
from rathaus.intake.pipeline.ocr_scans import TesseractScanBackend
from rathaus.intake.selectors import dead_letter_text

from .conftest import receive
from .samples import (
    batch_with_separators,
    born_digital_pdf,
    jpeg_truncated,
    letter_png,
    pdf_broken,
    pdf_join,
    tiff_pages,
)

pytestmark = pytest.mark.django_db

LETTER = "Erika Mustermann\nHiermit melde ich meinen Hund zur Hundesteuer an.\nGruß"

BAD_INPUTS = {
    "empty": (b"", "empty"),
    "zip": (upload_samples.zip_archive(), "not_a_document"),
    "html": (upload_samples.html_page(), "not_a_document"),
    "text": (b"Sehr geehrte Damen und Herren", "not_a_document"),
    "encrypted": (upload_samples.pdf_encrypted(), "encrypted"),
    "broken_pdf": (pdf_broken(), "broken"),
    "no_pages": (upload_samples.pdf_without_pages(), "no_pages"),
    "javascript": (upload_samples.pdf_with_javascript_open_action(), "active_content"),
    "blank": (upload_samples.pdf_blank(pages=2), "blank"),
    "truncated_jpeg": (jpeg_truncated(), "broken"),
    "pixel_bomb": (upload_samples.png_bomb(12000, 12000), "too_many_pixels"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_a_bad_input_is_kept_as_a_dead_letter_with_its_reason(departments, name):
    data, reason = BAD_INPUTS[name]

    receipt = receive(data, f"{name}.bin")

    item = IntakeItem.objects.get(pk=receipt.item_id)
    assert (item.status, item.dead_letter_reason, item.dead_letter_step) == (
        Status.DEAD_LETTER,
        reason,
        "preflight",
    )
    assert dead_letter_text(item=item)  # a sentence for the post room, not a code
    with item.original.open("rb") as original:
        assert original.read() == data  # nothing lost: the file is there to look at


def test_bad_inputs_do_not_block_the_queue(departments):
    for data, _reason in BAD_INPUTS.values():
        receive(data)

    good = IntakeItem.objects.get(pk=receive(born_digital_pdf(LETTER)).item_id)

    assert good.status == Status.TRIAGE  # no model in this test: the post room decides
    assert IntakeItem.objects.filter(status=Status.DEAD_LETTER).count() == len(BAD_INPUTS)
    assert Receipt.objects.count() == len(BAD_INPUTS) + 1


def test_a_file_over_the_page_limit_is_a_dead_letter(departments, settings):
    settings.RATHAUS_INTAKE_MAX_PAGES = 2
    three = pdf_join(*(born_digital_pdf(LETTER) for _ in range(3)))

    item = IntakeItem.objects.get(pk=receive(three).item_id)

    assert item.dead_letter_reason == "too_many_pages"
    assert "3" in dead_letter_text(item=item) and "2" in dead_letter_text(item=item)


def test_separator_sheets_split_a_batch_into_letters_and_are_left_out(departments):
    first = born_digital_pdf(LETTER)
    second = pdf_join(born_digital_pdf("Zweiter Brief, Seite 1"), born_digital_pdf("Seite 2"))
    batch = batch_with_separators(first, second)

    item = IntakeItem.objects.get(pk=receive(batch, "stapel.pdf").item_id)

    assert item.status == Status.SPLIT
    assert item.pages == 5
    letters = list(item.letters.order_by("pk"))
    assert [letter.pages for letter in letters] == [1, 2]
    assert [letter.transfer_note["batch_pages"] for letter in letters] == [[2, 2], [4, 5]]
    assert all(letter.status == Status.TRIAGE for letter in letters)
    assert "Hundesteuer" in letters[0].ocr_text
    assert "Zweiter Brief" in letters[1].ocr_text and "Seite 2" in letters[1].ocr_text
    assert "TRENNBLATT" not in letters[0].ocr_text + letters[1].ocr_text
    assert {a["code"] for a in item.anomalies} == {"separator_sheet"}
    # The batch is one input; its letters are not counted as receipts.
    assert Receipt.objects.count() == 1


def test_a_batch_of_only_separator_sheets_is_a_dead_letter(departments):
    from rathaus.intake.separator_sheet import separator_sheet_pdf

    item = IntakeItem.objects.get(pk=receive(pdf_join(separator_sheet_pdf())).item_id)

    assert item.dead_letter_reason == "only_separators"


def test_a_multi_page_tiff_is_counted_page_by_page():
    tiff = tiff_pages([letter_png(["Seite eins"]), letter_png(["Seite zwei"])])

    inspection = preflight.inspect(tiff, max_pages=10)

    assert (inspection.kind, inspection.pages, inspection.blank) == ("tiff", 2, [])
    assert inspection.anomalies == []
    with pytest.raises(DeadLetter) as error:
        preflight.inspect(tiff, max_pages=1)
    assert error.value.params == {"pages": 2, "limit": 1}


def test_an_image_without_resolution_is_taken_as_300_dpi():
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(letter_png(["Ohne Auflösung"])))
    plain = BytesIO()
    image.save(plain, "PNG")  # no dpi

    inspection = preflight.inspect(plain.getvalue(), max_pages=10)

    assert inspection.anomalies == [{"code": "no_resolution", "dpi": 300}]


def test_a_blank_back_page_is_noted_but_kept(departments):
    data = pdf_join(born_digital_pdf(LETTER), upload_samples.pdf_blank())

    inspection = preflight.inspect(data, max_pages=10)

    assert inspection.blank == [1]
    assert inspection.anomalies == [{"code": "blank_page", "page": 2}]
    assert inspection.segments() == [[0, 1]]


def _page_image(paper: int, ink: int | None, *, noise: float = 0.0, specks: int = 0) -> bytes:
    """An A4 page at 150 dpi: short pale lines of text (or none), scanner noise, dust."""
    image = Image.new("L", (1240, 1754), paper)
    if ink is not None:
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 22)
        for number, line in enumerate(["Rechnung Nr. 29", "Betrag: 152,46 €", "Mit Gruß"]):
            draw.text((130, 200 + 40 * number), line, font=font, fill=ink)
    pixels = np.asarray(image, dtype=np.float64)
    rng = np.random.default_rng(7)
    pixels = pixels + rng.normal(0, noise, pixels.shape) if noise else pixels
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    speckle = random.Random(7)
    for _ in range(specks):
        x, y = speckle.randrange(100, 1100), speckle.randrange(100, 1600)
        image.putpixel((x, y), 20)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(150, 150))
    return out.getvalue()


def test_a_pale_scan_of_a_short_letter_is_no_blank_page():
    # Thin grey type on off-white paper: hardly a pixel below mid-grey, still a letter.
    inspection = preflight.inspect(_page_image(248, 190, noise=4), max_pages=10)

    assert inspection.blank == []


def test_a_blank_page_with_scanner_noise_and_dust_is_blank():
    with pytest.raises(DeadLetter) as error:
        preflight.inspect(_page_image(245, None, noise=10, specks=300), max_pages=10)

    assert error.value.reason == "blank"


def _tiff(frames: list[Image.Image], **options) -> bytes:
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200), **options)
    return out.getvalue()


def _pdf_images(pdf: bytes) -> list[tuple[str, str, int, tuple[float, float]]]:
    """(filter, colour space, bits, page size in points) of each page's one image."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            (image,) = page.get_images().values()
            box = [float(value) for value in page.mediabox]
            found.append(
                (str(image.Filter), str(image.ColorSpace), int(image.BitsPerComponent), box[2:])
            )
    return found


def test_tiff_frames_img2pdf_would_decode_become_pdf_pages_without_a_detour(tmp_path):
    grey = Image.open(io.BytesIO(letter_png(["Gewerbeanmeldung"])))
    jpeg = _tiff([grey, grey], compression="jpeg")
    lzw = _tiff([grey.convert("1")], compression="tiff_lzw")

    pdfs = [preflight.document_pdf(data, "tiff") for data in (jpeg, lzw)]

    # A JPEG frame stays a JPEG (img2pdf would make a PNG of it, at a second a page); black
    # and white is kept losslessly, one bit a pixel. A5 landscape at 200 dpi.
    size = [round(8.27 * 72, 1), round(5.85 * 72, 1)]
    pages = [(f, c, b, [round(v, 1) for v in s]) for pdf in pdfs for f, c, b, s in _pdf_images(pdf)]
    assert pages == [
        ("/DCTDecode", "/DeviceGray", 8, size),
        ("/DCTDecode", "/DeviceGray", 8, size),
        ("/FlateDecode", "/DeviceGray", 1, size),
    ]
    for number, pdf in enumerate(pdfs):
        source, output = tmp_path / f"in-{number}.pdf", tmp_path / f"out-{number}.pdf"
        source.write_bytes(pdf)
        result = TesseractScanBackend().recognise(pdf=source, output=output)
        assert all("Gewerbeanmeldung" in page for page in result.pages)


def test_images_with_transparency_or_sixteen_bits_are_laid_on_white_and_scaled():
    grey = Image.open(io.BytesIO(letter_png(["Kita-Platz"])))
    sixteen = Image.fromarray(np.asarray(grey).astype(np.uint16) * 257)
    clear = grey.convert("RGBA")
    clear.putalpha(Image.new("L", grey.size, 0))  # fully transparent: white paper
    out = io.BytesIO()
    sixteen.save(out, "PNG")

    for data, kind in ((out.getvalue(), "png"), (_tiff([clear]), "tiff")):
        pdf = preflight.document_pdf(data, kind)
        with pikepdf.open(io.BytesIO(pdf)) as document:
            (image,) = document.pages[0].get_images().values()
            pixels = np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("L"))
        if kind == "png":
            assert pixels.min() == 0 and pixels.max() == 255  # scaled, not clipped to white
        else:
            assert pixels.min() == 255  # transparent is white
