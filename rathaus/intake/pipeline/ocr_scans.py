"""Scanned letters read at the speed of Tesseract itself: one Tesseract run per page, nothing else.

OCRmyPDF reads a page in four programs: it rasterises the page into a PNG, runs Tesseract once
for the orientation and once for the skew, rotates the image and saves it as a PNG again, and
then runs Tesseract to read it. On a scanned letter that is three to five times what Tesseract
alone needs for the page. For a letter whose pages are all scans (no text layer), this backend
does the same work in one Tesseract run per page:

1. **The page image as scanned.** A page that only shows one image (what scanners, img2pdf and
   our preflight write) gives that image itself: an upright, straight JPEG goes to Tesseract
   byte for byte, other images are decoded once. Any other page is rendered at 300 dpi.
2. **Orientation and skew from the ink** (`orientation.page_geometry`, on a 150 dpi preview,
   some 15 ms). Only when the ink leaves it unsure does Tesseract's own orientation detection
   (`--psm 0`) decide.
3. **Tesseract reads** the image once, turned upright and, from MIN_DESKEW on, straightened
   (Tesseract drops whole paragraphs of long lines that are a few degrees off), and writes its
   text and an invisible text layer (`textonly_pdf`).
4. **The searchable PDF** keeps every original page unchanged: the page is turned upright by
   its `/Rotate` entry and straightened by a transformation of its content (no image is
   re-encoded, so no detail is lost); the text layer, read from the straightened image, lies
   over the straightened page. pikepdf declares and validates PDF/A-2b (`pikepdf.pdfa.save`);
   a file that does not pass stays a plain searchable PDF and the item says so.

Letters with a text layer on any page (born digital, or mixed) go to OCRmyPDF as before
(`OcrmypdfBackend`), which keeps the text that is there.
"""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
from django.conf import settings
from PIL import Image

from ..extraction import fields_extract, iban_grouped, ibans_unread
from .errors import DeadLetter
from .ocr import OcrBackend, OcrmypdfBackend, OcrResult, ocr_jobs
from .orientation import page_geometry
from .tesseract import TesseractError, engine

TESSERACT = "tesseract"
RENDER_DPI = 300
PREVIEW_DPI = 150
# Straightened only from this skew on; below it nobody sees it.
MIN_DESKEW = 0.2
# A page Tesseract has not read after this long is given up (the step is retried).
TESSERACT_TIMEOUT = 600
TRANSPOSE = {  # the content is turned clockwise by the key; Pillow turns counter-clockwise
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}
_OSD_ROTATE = re.compile(rb"Rotate:\s*(\d+)")


@dataclass
class PageScan:
    """One page on its way through: the image Tesseract reads and how the page lies."""

    number: int
    image: Path
    dpi: float
    rotation: int = 0
    skew: float = 0.0
    asked_tesseract: bool = False
    text: str = ""
    layer: Path | None = None


def has_text_layer(pdf_path: Path) -> bool:
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            characters = textpage.count_chars()
            textpage.close()
            page.close()
            if characters:
                return True
        return False
    finally:
        document.close()


class TesseractScanBackend(OcrBackend):
    """Scans read by Tesseract once per page; anything with a text layer by OCRmyPDF."""

    def recognise(self, *, pdf: Path, output: Path) -> OcrResult:
        try:
            text_layer = has_text_layer(pdf)
        except pdfium.PdfiumError as exc:
            raise DeadLetter("ocr_failed", error=type(exc).__name__) from exc
        if text_layer:
            return OcrmypdfBackend().recognise(pdf=pdf, output=output)
        with tempfile.TemporaryDirectory(prefix="rathaus-ocr-") as folder:
            work = Path(folder)
            try:
                with pikepdf.open(pdf) as document:
                    pages = [
                        _page_image(document.pages[number], number, pdf, work)
                        for number in range(len(document.pages))
                    ]
            except (pikepdf.PdfError, pdfium.PdfiumError) as exc:
                raise DeadLetter("ocr_failed", error=type(exc).__name__) from exc
            with ThreadPoolExecutor(max_workers=max(1, ocr_jobs())) as pool:
                pages = list(pool.map(lambda page: _read(page, work), pages))
            pdfa = _assemble(pdf, pages, output)
        anomalies = [] if pdfa else [{"code": "not_pdfa"}]
        return OcrResult(pages=[page.text for page in pages], pdfa=pdfa, anomalies=anomalies)


# --- The page images ---------------------------------------------------------------------------


def _single_image(page: pikepdf.Page) -> pikepdf.Object | None:
    """The image a page consists of, if it shows nothing but one image over the whole page."""
    images = list(page.get_images(recursive=False).values()) if "/Resources" in page.obj else []
    if len(images) != 1:
        return None
    matrix = None
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "cm":
            matrix = [float(value) for value in operands]
        elif name == "Do":
            if matrix is None:
                return None
        elif name not in ("q", "Q"):
            return None
    box = _box(page)
    width, height = box[2] - box[0], box[3] - box[1]
    if matrix is None or abs(matrix[1]) > 0.01 or abs(matrix[2]) > 0.01:
        return None
    covers = (
        abs(matrix[0] - width) < 1
        and abs(matrix[3] - height) < 1
        and abs(matrix[4] - box[0]) < 1
        and abs(matrix[5] - box[1]) < 1
    )
    return images[0] if covers else None


def _box(page: pikepdf.Page) -> list[float]:
    """The visible part of the page (its crop box): x0, y0, x1, y1 in points."""
    return [float(value) for value in page.cropbox]


def _embedded(image_object: pikepdf.Object) -> tuple[bytes | None, Image.Image | None, int]:
    """The scan itself: (JPEG bytes, or else the decoded image; its width in pixels)."""
    picture = pikepdf.PdfImage(image_object)
    if picture.filters == ["/DCTDecode"] and picture.colorspace in ("/DeviceGray", "/DeviceRGB"):
        return image_object.read_raw_bytes(), None, picture.width
    full = picture.as_pil_image()
    return None, full, full.width


def _page_image(page: pikepdf.Page, number: int, pdf: Path, work: Path) -> PageScan:
    """The page's image for Tesseract, upright, and how the page lies."""
    box = _box(page)
    image_object = _single_image(page)
    jpeg: bytes | None = None
    full: Image.Image | None = None
    if image_object is not None:
        try:
            jpeg, full, pixels_wide = _embedded(image_object)
        except Exception:
            # An encoding or colour space pikepdf cannot decode: pdfium renders the page.
            image_object = None
    if image_object is None:
        full = _render(pdf, number)
        pixels_wide = full.width
    dpi = pixels_wide / ((box[2] - box[0]) / 72)
    if jpeg is not None:
        preview = Image.open(io.BytesIO(jpeg))
        scale = max(1, round(dpi / PREVIEW_DPI))
        preview.draft("L", (preview.width // scale, preview.height // scale))
    else:
        preview = full
    preview = preview.convert("L")
    factor = max(1, round(dpi * preview.width / pixels_wide / PREVIEW_DPI))
    if factor > 1:
        preview = preview.reduce(factor)
    geometry = page_geometry(preview)
    scan = PageScan(number=number, image=work / f"page-{number:04d}", dpi=dpi)
    upright_and_straight = geometry.rotation == 0 and abs(geometry.skew) < MIN_DESKEW
    if jpeg is not None and geometry.sure and upright_and_straight:
        # As it is: Tesseract reads the scanned JPEG.
        scan.image = scan.image.with_suffix(".jpg")
        scan.image.write_bytes(jpeg)
        return scan
    if full is None:
        full = Image.open(io.BytesIO(jpeg))
        full.draft("L", full.size)  # the JPEG's brightness only: Tesseract reads grey anyway
    if full.mode not in ("1", "L"):
        full = full.convert("L")
    rotation = geometry.rotation
    if not geometry.sure:
        # On the preview: as sure as on the full page (40 of 40 turned pages of the training
        # letters), in two thirds of the time.
        preview_dpi = round(dpi * preview.width / pixels_wide)
        osd_image = _write_plain(preview, work / f"osd-{number:04d}")
        rotation = _tesseract_orientation(osd_image, dpi=preview_dpi)
        scan.asked_tesseract = True
    scan.rotation = rotation
    # The skew holds if Tesseract agrees that the lines run across (or down) the file.
    scan.skew = geometry.skew if rotation % 180 == geometry.rotation % 180 else 0.0
    upright = full.transpose(TRANSPOSE[rotation]) if rotation else full
    if abs(scan.skew) >= MIN_DESKEW:
        # Tesseract drops whole paragraphs of long lines that are 2 degrees off; nearest
        # neighbour keeps a 300 dpi scan as legible for it as smoother filters, in a tenth of
        # their time.
        white = {"1": 1, "L": 255}[upright.mode]
        upright = upright.rotate(-scan.skew, resample=Image.Resampling.NEAREST, fillcolor=white)
    scan.image = _write_plain(upright, scan.image)
    return scan


def _render(pdf: Path, number: int) -> Image.Image:
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[number]
        page.set_rotation(0)  # the image as the page lies in the file, like an embedded scan
        return page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
    finally:
        document.close()


def _write_plain(image: Image.Image, stem: Path) -> Path:
    """Save without compression (PBM or PGM): quicker to write and read than PNG."""
    if image.mode not in ("1", "L"):
        image = image.convert("L")
    path = stem.with_suffix({"1": ".pbm", "L": ".pgm"}[image.mode])
    image.save(path)
    return path


def _tesseract(arguments: list[str], *, timeout: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run(  # noqa: S603 (our own files)
            [TESSERACT, *arguments], capture_output=True, timeout=timeout, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TesseractError(type(exc).__name__) from exc
    return result


def _tesseract_orientation(image: Path, *, dpi: int) -> int:
    """Tesseract's orientation detection: degrees the content is turned clockwise."""
    result = _tesseract(
        [str(image), "-", "--psm", "0", "--dpi", str(dpi)], timeout=TESSERACT_TIMEOUT
    )
    found = _OSD_ROTATE.search(result.stdout)
    # "Rotate: N" is how far to turn the image clockwise to make it upright.
    return (360 - int(found.group(1))) % 360 if found else 0


def _read(page: PageScan, work: Path) -> PageScan:
    base = work / f"text-{page.number:04d}"
    with engine(settings.RATHAUS_INTAKE_OCR_LANGUAGES) as tesseract:
        reading = tesseract.read(page.image, base, dpi=round(page.dpi), timeout=TESSERACT_TIMEOUT)
        page.text = reading.text.replace("\r\n", "\n").strip()
        if ibans_unread(page.text):
            page.text = _ibans_read_again(page, reading.words_tsv, tesseract)
    layer = base.with_suffix(".pdf")
    if not layer.exists():
        raise TesseractError("Tesseract wrote no text layer")
    page.layer = layer
    return page


# --- IBANs read again --------------------------------------------------------------------------

# A line is read again this much larger, as one line, with only these characters: Tesseract's
# dictionary no longer pulls digits towards words, and a 3 no longer passes for an 8.
REREAD_SCALE = 2
IBAN_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "


def _ibans_read_again(page: PageScan, words_tsv: str, tesseract) -> str:
    """The page's text with each IBAN that did not pass its checksum read again from its line
    of the image: where the closer reading passes the checksum, it replaces the line's IBAN
    from its country code on (a wrong IBAN passes by accident once in 97 readings, and only one
    reading is tried). On the development letters this recovered 3 of the 8 IBANs Tesseract had
    misread."""
    text = page.text
    lines = _tsv_lines(words_tsv)
    picture = None
    for start in reversed(ibans_unread(text)):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = len(text) if (end := text.find("\n", start)) < 0 else end
        box = lines.get(" ".join(text[line_start:line_end].split()))
        if box is None:
            continue
        if picture is None:
            picture = Image.open(page.image)
            picture = picture.convert("L") if picture.mode != "L" else picture
        left, top, _right, bottom = box
        margin = (bottom - top) // 2
        crop = picture.crop(
            (max(0, left - margin), max(0, top - margin), picture.width, bottom + margin)
        )
        crop = crop.resize(
            (crop.width * REREAD_SCALE, crop.height * REREAD_SCALE), Image.Resampling.LANCZOS
        )
        again = tesseract.read_line(
            crop, dpi=round(page.dpi * REREAD_SCALE), characters=IBAN_CHARACTERS
        )
        found = fields_extract(again).ibans
        if len(found) == 1:
            text = text[:start] + iban_grouped(found[0]) + text[line_end:]
    return text


def _tsv_lines(words_tsv: str) -> dict[str, tuple[int, int, int, int]]:
    """Each line of Tesseract's words, as its words joined by single spaces, with its box (left,
    top, right, bottom) in the image's pixels."""
    lines: dict[tuple[str, ...], list[tuple[str, int, int, int, int]]] = {}
    for row in words_tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, top, width, height = (int(value) for value in cells[6:10])
        lines.setdefault(tuple(cells[1:5]), []).append(
            (cells[11], left, top, left + width, top + height)
        )
    boxes = {}
    for words in lines.values():
        joined = " ".join(" ".join(word for word, *_ in words).split())
        boxes.setdefault(
            joined,
            (
                min(word[1] for word in words),
                min(word[2] for word in words),
                max(word[3] for word in words),
                max(word[4] for word in words),
            ),
        )
    return boxes


# --- The searchable PDF ------------------------------------------------------------------------


def _to_default(rotation: int, width: float, height: float, x0: float, y0: float) -> np.ndarray:
    """From the upright page as shown (the content turned back by `rotation` clockwise, so
    shown with /Rotate 360 - rotation) to the page's own coordinates."""
    shown = (360 - rotation) % 360
    a, b, c, d, e, f = {
        0: (1, 0, 0, 1, 0, 0),
        90: (0, 1, -1, 0, width, 0),
        180: (-1, 0, 0, -1, width, height),
        270: (0, -1, 1, 0, 0, height),
    }[shown]
    return np.array([[a, c, e + x0], [b, d, f + y0], [0, 0, 1]], dtype=np.float64)


def _turn(angle: float, cx: float, cy: float) -> np.ndarray:
    """A counter-clockwise turn by `angle` degrees about (cx, cy)."""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return np.array(
        [[cos, -sin, cx - cos * cx + sin * cy], [sin, cos, cy - sin * cx - cos * cy], [0, 0, 1]]
    )


def _cm(matrix: np.ndarray) -> bytes:
    values = (matrix[0, 0], matrix[1, 0], matrix[0, 1], matrix[1, 1], matrix[0, 2], matrix[1, 2])
    return (" ".join(f"{value:.6f}" for value in values) + " cm").encode()


def page_transforms(
    *, rotation: int, skew: float, box: list[float], layer_size: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """(content, text layer): how the original content is turned and straightened, and where
    the text layer Tesseract wrote for the upright, straightened image goes, both in the page's
    own coordinates."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    shown_w, shown_h = (height, width) if rotation in (90, 270) else (width, height)
    to_default = _to_default(rotation, width, height, x0, y0)
    straighten = np.eye(3)
    if abs(skew) >= MIN_DESKEW:
        straighten = _turn(-skew, shown_w / 2, shown_h / 2)
    content = to_default @ straighten @ np.linalg.inv(to_default)
    scale = np.diag([shown_w / layer_size[0], shown_h / layer_size[1], 1.0])
    layer = to_default @ scale
    return content, layer


def _assemble(source: Path, pages: list[PageScan], output: Path) -> bool:
    """The original pages, upright and straight, each with its text layer; PDF/A if it passes."""
    from pikepdf.pdfa import Flavour, PdfaError, save

    with pikepdf.open(source) as document:
        for scan in pages:
            page = document.pages[scan.number]
            with pikepdf.open(scan.layer) as layer_pdf:
                layer_page = layer_pdf.pages[0]
                layer_box = [float(value) for value in layer_page.mediabox]
                form = document.copy_foreign(layer_page.as_form_xobject())
            box = _box(page)
            content, layer = page_transforms(
                rotation=scan.rotation,
                skew=scan.skew,
                box=box,
                layer_size=(layer_box[2] - layer_box[0], layer_box[3] - layer_box[1]),
            )
            name = page.add_resource(form, pikepdf.Name.XObject, prefix="OCR")
            page.contents_add(pikepdf.Stream(document, b"q " + _cm(content) + b"\n"), prepend=True)
            page.contents_add(
                pikepdf.Stream(document, b"\nQ q " + _cm(layer) + f" {name} Do Q\n".encode())
            )
            page.obj.Rotate = (360 - scan.rotation) % 360
        try:
            save(document, output, Flavour.PDFA_2B)
            return True
        except PdfaError:
            document.save(output)
            return False
