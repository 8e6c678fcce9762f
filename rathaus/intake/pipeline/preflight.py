"""Preflight: what a received file is, judged by its content, and whether it can be processed.

Pure functions on bytes: no models, no storage. A file that cannot be processed raises
DeadLetter with the reason; everything else gets its page count, its anomalies (blank pages, a
missing resolution) and the positions of its separator sheets.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import img2pdf
import magic
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from rathaus.applications.uploads import pdf_has_active_content

from .errors import DeadLetter
from .separators import separator_pages

ACCEPTED = {
    "application/pdf": "pdf",
    "image/tiff": "tiff",
    "image/jpeg": "jpeg",
    "image/png": "png",
}
PIL_FORMATS = {"tiff": "TIFF", "jpeg": "JPEG", "png": "PNG"}
# A4 at 600 dpi is 35 megapixels, A3 at 600 dpi 70: anything far beyond is no scan.
MAX_PAGE_PIXELS = 100_000_000
# Scanners write their resolution into the file; without it we assume the usual 300 dpi.
DEFAULT_DPI = 300
PLAUSIBLE_DPI = range(72, 1201)
# Pages are looked at in this resolution for separator codes and blank pages.
PREVIEW_DPI = 150
# A page with fewer dark pixels than this (inside the margins, specks filtered out) is blank:
# a single word ("Ja.") on a page is ten times as much.
BLANK_INK = 0.0001
# A page with at least this many characters in a text layer is born digital.
TEXT_LAYER_CHARS = 20


@dataclass(frozen=True)
class Inspection:
    kind: str  # pdf, tiff, jpeg or png
    mime: str
    pages: int
    born_digital: bool
    separators: list[int] = field(default_factory=list)  # 0-based page numbers
    blank: list[int] = field(default_factory=list)
    anomalies: list[dict] = field(default_factory=list)

    def segments(self) -> list[list[int]]:
        """The letters between separator sheets, as lists of 0-based pages, blank ones kept."""
        letters: list[list[int]] = [[]]
        for page in range(self.pages):
            if page in self.separators:
                letters.append([])
            else:
                letters[-1].append(page)
        blank = set(self.blank)
        return [pages for pages in letters if any(p not in blank for p in pages)]


def inspect(data: bytes, *, max_pages: int) -> Inspection:
    """Check a received file; raise DeadLetter when it cannot be processed."""
    if not data:
        raise DeadLetter("empty")
    mime = magic.from_buffer(data, mime=True)
    kind = ACCEPTED.get(mime)
    if kind is None:
        raise DeadLetter("not_a_document", kind=magic.from_buffer(data)[:80])
    anomalies: list[dict] = []
    if kind == "pdf":
        pages = _pdf_check(data, max_pages=max_pages)
    else:
        pages = _image_check(data, kind, max_pages=max_pages, anomalies=anomalies)
    pdf = document_pdf(data, kind)
    born_digital, blank, codes = _pages_look(pdf)
    separators = separator_pages(codes)
    if len(blank) == pages:
        raise DeadLetter("blank")
    inspection = Inspection(
        kind=kind,
        mime=mime,
        pages=pages,
        born_digital=born_digital,
        separators=separators,
        blank=[p for p in blank if p not in separators],
        anomalies=anomalies,
    )
    if not inspection.segments():
        raise DeadLetter("only_separators")
    for page in inspection.blank:
        inspection.anomalies.append({"code": "blank_page", "page": page + 1})
    for page in separators:
        inspection.anomalies.append({"code": "separator_sheet", "page": page + 1})
    return inspection


def _pdf_check(data: bytes, *, max_pages: int) -> int:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise DeadLetter("encrypted")
            pages = len(pdf.pages)
            if pages == 0:
                raise DeadLetter("no_pages")
            if pages > max_pages:
                raise DeadLetter("too_many_pages", pages=pages, limit=max_pages)
            if pdf_has_active_content(pdf):
                raise DeadLetter("active_content")
            return pages
    except DeadLetter:
        raise
    except pikepdf.PasswordError:
        raise DeadLetter("encrypted") from None
    except Exception:
        # pikepdf raises PdfError for most damage; malformed structures surface as others.
        raise DeadLetter("broken") from None


def _image_open(data: bytes, kind: str) -> Image.Image:
    with warnings.catch_warnings():
        # Our own pixel limit decides; Pillow's warning would only be noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]])


def _image_check(data: bytes, kind: str, *, max_pages: int, anomalies: list[dict]) -> int:
    """Count the pages (TIFF frames), check their size and decode each one."""
    try:
        with _image_open(data, kind) as image:
            pages = getattr(image, "n_frames", 1)
            if pages > max_pages:
                raise DeadLetter("too_many_pages", pages=pages, limit=max_pages)
            for frame in range(pages):
                image.seek(frame)
                width, height = image.size
                if width * height > MAX_PAGE_PIXELS:
                    raise DeadLetter("too_many_pixels", limit=MAX_PAGE_PIXELS // 1_000_000)
                image.load()
            if _dpi(image) is None:
                anomalies.append({"code": "no_resolution", "dpi": DEFAULT_DPI})
            return pages
    except DeadLetter:
        raise
    except Image.DecompressionBombError:
        raise DeadLetter("too_many_pixels", limit=MAX_PAGE_PIXELS // 1_000_000) from None
    except Exception:
        raise DeadLetter("broken") from None


def _dpi(image: Image.Image) -> int | None:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value in PLAUSIBLE_DPI else None


def document_pdf(data: bytes, kind: str) -> bytes:
    """The file as a PDF: a PDF as it is, images losslessly wrapped into pages (img2pdf)."""
    if kind == "pdf":
        return data
    with _image_open(data, kind) as image:
        dpi = _dpi(image)
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi or DEFAULT_DPI, dpi or DEFAULT_DPI))
    try:
        return img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
    except Exception:
        # Transparency, unusual colour spaces or bit depths: decode and re-encode the pages.
        return img2pdf.convert(_frames_as_png(data, kind), layout_fun=layout)


def _frames_as_png(data: bytes, kind: str) -> list[bytes]:
    frames = []
    with _image_open(data, kind) as image:
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)
            page = image.convert("RGBA") if image.mode in ("P", "PA", "LA") else image
            if page.mode == "RGBA":
                white = Image.new("RGB", page.size, "white")
                white.paste(page, mask=page.getchannel("A"))
                page = white
            elif page.mode not in ("1", "L", "RGB"):
                page = page.convert("RGB")
            out = io.BytesIO()
            page.save(out, "PNG")
            frames.append(out.getvalue())
    return frames


def _pages_look(pdf: bytes) -> tuple[bool, list[int], dict[int, list[str]]]:
    """Render every page small: text layer present? blank pages? codes on the pages?"""
    from .separators import codes_read

    blank: list[int] = []
    born_digital = False
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError:
        raise DeadLetter("broken") from None
    with tempfile.TemporaryDirectory(prefix="rathaus-preflight-") as folder:
        previews: list[Path] = []
        try:
            for number in range(len(document)):
                page = document[number]
                text = page.get_textpage()
                characters = text.count_chars()
                text.close()
                born_digital = born_digital or characters >= TEXT_LAYER_CHARS
                image = page.render(scale=PREVIEW_DPI / 72, grayscale=True).to_pil().convert("L")
                page.close()
                if not characters and _is_blank(image):
                    blank.append(number)
                preview = Path(folder) / f"{number:05d}.pgm"
                image.save(preview)
                previews.append(preview)
        except pdfium.PdfiumError:
            raise DeadLetter("broken") from None
        finally:
            document.close()
        codes = codes_read(previews)
    return born_digital, blank, codes


def _is_blank(image: Image.Image) -> bool:
    width, height = image.size
    inner = image.crop((width // 20, height // 20, width - width // 20, height - height // 20))
    histogram = inner.filter(ImageFilter.MedianFilter(3)).histogram()
    dark = sum(histogram[:128])
    return dark / max(1, inner.size[0] * inner.size[1]) < BLANK_INK


def pdf_pages(pdf: bytes, pages: list[int]) -> bytes:
    """A new PDF of the given (0-based) pages: one letter of a batch."""
    with pikepdf.open(io.BytesIO(pdf)) as source:
        letter = pikepdf.new()
        for number in pages:
            letter.pages.append(source.pages[number])
        out = io.BytesIO()
        letter.save(out, deterministic_id=True)
    return out.getvalue()
