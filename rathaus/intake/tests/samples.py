"""Test scans, made here: letters drawn as images (for Tesseract), born-digital PDFs, batches with
separator sheets, and broken inputs. Nothing binary is committed."""

import io

import img2pdf
import pikepdf
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def letter_png(lines: list[str], *, rotate: int = 0, dpi: int = 200) -> bytes:
    """A half page (A5 landscape) of typed text, as a scanner at `dpi` would see it."""
    width, height = round(8.27 * dpi), round(5.85 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(dpi * 0.16))
    y = round(dpi * 0.4)
    for line in lines:
        draw.text((round(dpi * 0.6), y), line, font=font, fill=0)
        y += round(dpi * 0.3)
    if rotate:
        image = image.rotate(rotate, expand=True, fillcolor=255)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def scan_page(
    lines: list[str], *, rotation: int = 0, skew: float = 0.0, dpi: int = 150, fmt: str = "JPEG"
) -> bytes:
    """A whole A4 page of typed text as a scanner writes it: crooked by `skew` degrees
    (counter-clockwise) and turned clockwise by `rotation` degrees in the file."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(dpi * 0.15))
    y = round(dpi * 1.2)
    for line in lines:
        draw.text((round(dpi * 0.9), y), line, font=font, fill=0)
        y += round(dpi * 0.28)
    if skew:
        image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    turn = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180}
    turn[270] = Image.Transpose.ROTATE_90  # Pillow turns counter-clockwise
    if rotation:
        image = image.transpose(turn[rotation])
    out = io.BytesIO()
    image.save(out, fmt, dpi=(dpi, dpi))
    return out.getvalue()


def pdf_of_images(images: list[bytes]) -> bytes:
    return img2pdf.convert(images)


def born_digital_pdf(text: str) -> bytes:
    """A PDF with a text layer, as an office program writes it (OCR skips its pages)."""
    from django.utils.html import escape, linebreaks
    from weasyprint import HTML

    html = f"<html><body style='font-family: DejaVu Sans'>{linebreaks(escape(text))}</body></html>"
    return HTML(string=html).write_pdf()


def pdf_join(*pdfs: bytes) -> bytes:
    joined = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in pdfs]
    for source in sources:
        joined.pages.extend(source.pages)
    out = io.BytesIO()
    joined.save(out)
    for source in sources:
        source.close()
    return out.getvalue()


def batch_with_separators(*letters: bytes) -> bytes:
    """Letters (PDFs) with the printed separator sheet before each one, as a scan street
    would scan a stack."""
    from rathaus.intake.separator_sheet import separator_sheet_pdf

    sheet = separator_sheet_pdf()
    parts = []
    for letter in letters:
        parts += [sheet, letter]
    return pdf_join(*parts)


def tiff_pages(images: list[bytes]) -> bytes:
    frames = [Image.open(io.BytesIO(data)) for data in images]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    return out.getvalue()


def jpeg_truncated() -> bytes:
    image = Image.new("RGB", (400, 300), "white")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()[:300]


def pdf_broken() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf\n%%EOF\n"
