"""Preflight: what a received file is, judged by its content, and whether it can be processed.

Pure functions on bytes: no models, no storage. A file that cannot be processed raises
DeadLetter with the reason; everything else gets its page count, its anomalies (blank pages, a
missing resolution) and the positions of its separator sheets.
"""

from __future__ import annotations

import io
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import img2pdf
import magic
import numpy as np
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from rathaus.applications.uploads import pdf_has_active_content

from .errors import DeadLetter
from .separators import codes_read, separator_pages

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
# Pages are looked at in this resolution for blank pages, and in the lower one for separator
# codes: our sheet's QR code still reads at 50 dpi, and zbar takes a third of the time it needs
# at 150 dpi.
PREVIEW_DPI = 150
CODE_DPI = 100
# A page with fewer dark pixels than this (inside the margins, specks filtered out) is blank:
# a single word ("Ja.") on a page is ten times as much.
BLANK_INK = 0.0001
# Ink is at least this much darker than the paper (0-255; scanner noise after a median filter
# stays far below it).
INK_CONTRAST = 48
# A page with this much ink before any filtering is no blank page, whatever its noise.
SURELY_INKED = 0.002
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
        previews = _pdf_previews(data)
    else:
        pages = _image_check(data, kind, max_pages=max_pages, anomalies=anomalies)
        previews = _image_previews(data, kind)
    text_layer, blank, codes = _pages_look(previews)
    born_digital = text_layer >= TEXT_LAYER_CHARS
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
    """Count the pages (TIFF frames); the frames are decoded one by one for their previews."""
    try:
        with _image_open(data, kind) as image:
            pages = getattr(image, "n_frames", 1)
            if pages > max_pages:
                raise DeadLetter("too_many_pages", pages=pages, limit=max_pages)
            if _dpi(image) is None:
                anomalies.append({"code": "no_resolution", "dpi": DEFAULT_DPI})
            return pages
    except DeadLetter:
        raise
    except Image.DecompressionBombError:
        raise DeadLetter("too_many_pixels", limit=MAX_PAGE_PIXELS // 1_000_000) from None
    except Exception:
        raise DeadLetter("broken") from None


def _image_previews(data: bytes, kind: str) -> Iterator[Image.Image]:
    """Each frame checked for its size, decoded (a damaged one fails here) and previewed."""
    try:
        with _image_open(data, kind) as image:
            dpi = _dpi(image) or DEFAULT_DPI
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                width, height = image.size
                if width * height > MAX_PAGE_PIXELS:
                    raise DeadLetter("too_many_pixels", limit=MAX_PAGE_PIXELS // 1_000_000)
                shown = dpi
                if kind == "jpeg":
                    # Decoded at a half, quarter or eighth of its size straight away (every
                    # block is still read, so damage still shows).
                    scale = max(1, round(dpi / PREVIEW_DPI))
                    image.draft("L", (width // scale, height // scale))
                    shown = dpi * image.size[0] / width
                image.load()
                yield _preview(image, shown)
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
    """The file as a PDF: a PDF as it is, images wrapped into pages without decoding them
    where the PDF can hold them as they are (JPEG, PNG, CCITT G4 TIFF: img2pdf), otherwise
    frame by frame (`_frames_pdf`)."""
    if kind == "pdf":
        return data
    with _image_open(data, kind) as image:
        dpi = _dpi(image)
        native = kind != "tiff" or _tiff_native(image)
    if native:
        layout = img2pdf.get_fixed_dpi_layout_fun((dpi or DEFAULT_DPI, dpi or DEFAULT_DPI))
        try:
            return img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
        except Exception:  # transparency, unusual colour spaces or bit depths
            return _frames_pdf(data, kind, dpi or DEFAULT_DPI)
    return _frames_pdf(data, kind, dpi or DEFAULT_DPI)


def _tiff_native(image: Image.Image) -> bool:
    """Whether img2pdf embeds every frame as it is: only CCITT G4 frames. It would turn any
    other TIFF frame into a PNG, at some 0.8 s a page."""
    for frame in range(getattr(image, "n_frames", 1)):
        image.seek(frame)
        if image.info.get("compression") != "group4":
            return False
    return True


def _frames_pdf(data: bytes, kind: str, dpi: int) -> bytes:
    """One page a frame, each decoded once: a JPEG-compressed TIFF frame stays a JPEG (quality
    95, over the JPEG it was: its artefacts are kept, nothing is added that one could see),
    black and white stays one bit a pixel, anything else is kept losslessly (Flate, level 1:
    the quickest; the original file is kept besides). Transparency is laid on white paper."""
    document = pikepdf.new()
    with _image_open(data, kind) as image:
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)
            jpeg = image.info.get("compression") in ("jpeg", "tiff_jpeg")
            page = _flat(image)
            if jpeg and page.mode in ("L", "RGB"):
                out = io.BytesIO()
                page.save(out, "JPEG", quality=95)
                stream, filters = out.getvalue(), pikepdf.Name.DCTDecode
            else:
                stream, filters = zlib.compress(page.tobytes(), 1), pikepdf.Name.FlateDecode
            picture = pikepdf.Stream(document, stream)
            picture.Type, picture.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
            picture.Width, picture.Height = page.width, page.height
            picture.ColorSpace = {"RGB": pikepdf.Name.DeviceRGB}.get(
                page.mode, pikepdf.Name.DeviceGray
            )
            picture.BitsPerComponent = 1 if page.mode == "1" else 8
            picture.Filter = filters
            width, height = page.width * 72 / dpi, page.height * 72 / dpi
            content = f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /Im0 Do Q".encode()
            document.pages.append(
                pikepdf.Page(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Page,
                        MediaBox=[0, 0, width, height],
                        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture)),
                        Contents=pikepdf.Stream(document, content),
                    )
                )
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _flat(image: Image.Image) -> Image.Image:
    """The frame as black and white, grey or RGB, transparency on white paper."""
    if image.mode in ("P", "PA", "LA", "RGBA"):
        image = image.convert("RGBA")
        white = Image.new("RGB", image.size, "white")
        white.paste(image, mask=image.getchannel("A"))
        return white
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode.startswith("I"):  # 16-bit grey: Pillow's own conversion would clip it
        pixels = np.asarray(image).astype(np.uint32)
        return Image.fromarray((pixels // 257 if pixels.max() > 255 else pixels).astype(np.uint8))
    return image.convert("RGB")


def _preview(image: Image.Image, dpi: float) -> Image.Image:
    """A greyscale copy at about PREVIEW_DPI (white where the image is transparent)."""
    if image.mode in ("P", "PA", "LA", "RGBA"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(white, image)
    grey = image.convert("L")
    factor = max(1, round(dpi / PREVIEW_DPI))
    return grey.reduce(factor) if factor > 1 else grey


def _pdf_previews(pdf: bytes) -> Iterator[Image.Image]:
    """Every page rendered at PREVIEW_DPI, its text layer's length in `info["characters"]`."""
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError:
        raise DeadLetter("broken") from None
    try:
        for number in range(len(document)):
            page = document[number]
            text = page.get_textpage()
            characters = text.count_chars()
            text.close()
            image = page.render(scale=PREVIEW_DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            image.info["characters"] = characters
            yield image
    except pdfium.PdfiumError:
        raise DeadLetter("broken") from None
    finally:
        document.close()


def _pages_look(previews: Iterable[Image.Image]) -> tuple[int, list[int], dict[int, list[str]]]:
    """The longest text layer of any page, the blank pages, and the codes on each page. One
    preview at a time is held: a hundred-page batch needs no more memory than one page."""
    text_layer = 0
    blank = []
    codes = {}
    for number, image in enumerate(previews):
        characters = image.info.get("characters", 0)
        text_layer = max(text_layer, characters)
        # A page with text is no blank page, whatever its ink.
        if not characters and _is_blank(image):
            blank.append(number)
        size = (image.width * CODE_DPI // PREVIEW_DPI, image.height * CODE_DPI // PREVIEW_DPI)
        found = codes_read(image.resize(size, Image.Resampling.BOX))
        if found:
            codes[number] = found
    return text_layer, blank, codes


def _is_blank(image: Image.Image) -> bool:
    """Too little ink inside the margins. Ink is what is clearly darker than the paper: a pale
    scan of a thin typeface has hardly a pixel below mid-grey and is still a letter."""
    width, height = image.size
    inner = image.crop((width // 20, height // 20, width - width // 20, height - height // 20))
    pixels = max(1, inner.size[0] * inner.size[1])
    histogram = inner.histogram()
    paper, seen = 255, 0
    for level in range(255, -1, -1):  # the brightest level half the page reaches
        seen += histogram[level]
        if seen >= pixels / 2:
            paper = level
            break
    ink = max(0, paper - INK_CONTRAST)
    if sum(histogram[:ink]) / pixels >= SURELY_INKED:
        return False  # a page of text: the filter below would only cost time
    # Specks of dust and scanner noise are no ink: a median filter removes them.
    filtered = inner.filter(ImageFilter.MedianFilter(3)).histogram()
    return sum(filtered[:ink]) / pixels < BLANK_INK


def pdf_pages(pdf: bytes, pages: list[int]) -> bytes:
    """A new PDF of the given (0-based) pages: one letter of a batch."""
    with pikepdf.open(io.BytesIO(pdf)) as source:
        letter = pikepdf.new()
        for number in pages:
            letter.pages.append(source.pages[number])
        out = io.BytesIO()
        letter.save(out, deterministic_id=True)
    return out.getvalue()
