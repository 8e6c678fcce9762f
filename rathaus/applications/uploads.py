"""Inspect a citizen's upload and return a safe, normalised copy, or refuse it with a reason.

Pure functions: no models, no storage. The type is decided by the content, never by the name or
the browser's content type. PDFs are kept byte for byte after structural checks; images are
decoded and re-encoded, which drops all metadata and anything hidden behind the image data.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import magic
import pikepdf
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

ACCEPTED = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}

EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}

MAX_PDF_PAGES = 200
MAX_IMAGE_PIXELS = 40_000_000
JPEG_QUALITY = 90
DISPLAY_NAME_MAX = 80
# Stored with the upload and shown to everyone alike, so it is not translated per request.
FALLBACK_STEM = "Dokument"

# A legitimate 200-page PDF has far fewer objects; beyond this the walk itself becomes the risk.
MAX_PDF_OBJECTS = 500_000

# Action types that run code, start programs or open embedded/imported files.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/GoToE", "/ImportData", "/RichMediaExecute"})
# Keys that only occur where a PDF carries scripts or attached files.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF"})
ACTIVE_TYPES = frozenset({"/EmbeddedFile"})
ACTIVE_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia"})

MIB = 1024 * 1024


@dataclass(frozen=True)
class CleanUpload:
    content: bytes
    mime: str
    extension: str
    display_name: str
    sha256: str
    pages: int | None


class UploadRejected(Exception):
    """The upload was refused; `message` is a translated text for the citizen."""

    def __init__(self, message, code: str):
        super().__init__(message, code)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


def _interpolate(message, params: dict[str, Any]) -> str:
    """Fill in the placeholders in the active language, numbers formatted for that language."""
    rendered = {
        key: formats.number_format(value) if isinstance(value, int | float) else value
        for key, value in params.items()
    }
    return str(message) % rendered


_interpolate_lazy = lazy(_interpolate, str)


def _message(message, **params: Any):
    """A lazy message with its placeholders filled in only when it is shown."""
    return _interpolate_lazy(message, params) if params else message


def upload_inspect(file, *, accept: list[str], max_bytes: int) -> CleanUpload:
    """Check an uploaded file by its content and return what may be stored, or raise."""
    unknown = set(accept) - ACCEPTED.keys()
    if not accept or unknown:
        raise ValueError(f"accept must be a non-empty subset of {sorted(ACCEPTED)}: {accept!r}")
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")

    data = _read_limited(file, max_bytes)
    kind = _detect_kind(data, accept)
    if kind == "pdf":
        pages = _check_pdf(data)
        content = data
    else:
        pages = None
        content = _reencode_image(data, kind)
    return CleanUpload(
        content=content,
        mime=ACCEPTED[kind],
        extension=EXTENSIONS[kind],
        display_name=display_name_clean(getattr(file, "name", "") or "", EXTENSIONS[kind]),
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
    )


def _too_large(max_bytes: int) -> UploadRejected:
    limit = round(max_bytes / MIB, 1)
    limit = max(int(limit) if limit.is_integer() else limit, 0.1)
    return UploadRejected(
        _message(_("The file is too large. Files may be at most %(limit)s MB."), limit=limit),
        code="too_large",
    )


def _read_limited(file, max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 bytes: enough to know the file is too large."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes)
    if hasattr(file, "seek"):
        file.seek(0)
    buffer = bytearray()
    while len(buffer) <= max_bytes:
        chunk = file.read(max_bytes + 1 - len(buffer))
        if not chunk:
            break
        buffer += chunk
    if len(buffer) > max_bytes:
        raise _too_large(max_bytes)
    if not buffer:
        raise UploadRejected(
            _("The file is empty. Please choose the file again and upload it."), code="empty"
        )
    return bytes(buffer)


def _detect_kind(data: bytes, accept: list[str]) -> str:
    mime = magic.from_buffer(data, mime=True)
    for kind in accept:
        if ACCEPTED[kind] == mime:
            return kind
    kinds = ", ".join(KIND_LABELS[kind] for kind in ACCEPTED if kind in accept)
    raise UploadRejected(
        _message(
            _(
                "We cannot accept this type of file. "
                "Please upload a file in one of these formats: %(kinds)s."
            ),
            kinds=kinds,
        ),
        code="wrong_type",
    )


# PDF


def _pdf_broken() -> UploadRejected:
    return UploadRejected(
        _(
            "The PDF file is damaged and cannot be opened. "
            "Please create the PDF again and upload the new file."
        ),
        code="broken",
    )


def _check_pdf(data: bytes) -> int:
    """Open the PDF, check it and return its page count; content streams stay compressed."""
    try:
        with pikepdf.open(BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                # Even a permissions-only lock (no password to open) can block printing and
                # copying text later on, when the case is processed.
                raise pikepdf.PasswordError
            pages = len(pdf.pages)
            if pages == 0:
                raise _pdf_broken()
            if pages > MAX_PDF_PAGES:
                raise UploadRejected(
                    _message(
                        _(
                            "The PDF has more than %(limit)s pages. "
                            "Please split it into several files."
                        ),
                        limit=MAX_PDF_PAGES,
                    ),
                    code="too_many_pages",
                )
            if pdf_has_active_content(pdf):
                raise UploadRejected(
                    _(
                        "The PDF contains scripts or attached files, which we cannot accept "
                        "for security reasons. Please save it again as a plain PDF, for example "
                        "with “Print to PDF”, and upload the new file."
                    ),
                    code="active_content",
                )
            return pages
    except UploadRejected:
        raise
    except pikepdf.PasswordError:
        raise UploadRejected(
            _(
                "The PDF is protected by a password. "
                "Please save it without a password and upload it again."
            ),
            code="encrypted",
        ) from None
    except Exception:
        # pikepdf raises PdfError for most damage, but malformed structures can also surface
        # as KeyError, TypeError or ValueError while walking them.
        raise _pdf_broken() from None


def pdf_has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Walk every object reachable from the trailer, looking at dictionaries only.

    Stream dictionaries are inspected but stream data is never decoded, so compressed content
    (and a decompression bomb hidden in it) stays compressed. Names are compared after qpdf has
    parsed them, so escapes like /J#61vaScript do not hide anything.
    """
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [pdf.trailer]
    visited = 0
    while pending:
        obj = pending.pop()
        objgen = obj.objgen
        if objgen != (0, 0):
            if objgen in seen:
                continue
            seen.add(objgen)
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise _pdf_broken()
        if isinstance(obj, pikepdf.Array):
            pending.extend(item for item in obj if _is_container(item))
            continue
        keys = set(obj.keys())
        if keys & ACTIVE_KEYS:
            return True
        if _name(obj, "/S") in ACTIVE_ACTIONS:
            return True
        if _name(obj, "/Type") in ACTIVE_TYPES or _name(obj, "/Subtype") in ACTIVE_SUBTYPES:
            return True
        for key in keys:
            value = obj.get(key)
            if _is_container(value):
                pending.append(value)
    return False


def _is_container(obj: Any) -> bool:
    return isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream))


def _name(obj: Any, key: str) -> str | None:
    value = obj.get(key)
    return str(value) if isinstance(value, pikepdf.Name) else None


# Images


def _image_broken() -> UploadRejected:
    return UploadRejected(
        _(
            "The image file is damaged and cannot be opened. "
            "Please take or save the picture again and upload the new file."
        ),
        code="broken",
    )


def _too_many_pixels() -> UploadRejected:
    return UploadRejected(
        _message(
            _(
                "The picture is too large (more than %(limit)s megapixels). "
                "Please make it smaller and upload it again."
            ),
            limit=MAX_IMAGE_PIXELS // 1_000_000,
        ),
        code="too_many_pixels",
    )


def _reencode_image(data: bytes, kind: str) -> bytes:
    """Decode the image and encode its pixels into a fresh file without any metadata."""
    pil_format = "JPEG" if kind == "jpeg" else "PNG"
    try:
        # Pillow warns (above ~89 MP) and errors (above ~179 MP) at open time, before our own
        # check; turning the warning into an error keeps a bomb from being decoded at all.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=[pil_format]) as image:
                _check_pixels(image.size)
                image.verify()
            with Image.open(BytesIO(data), formats=[pil_format]) as image:
                _check_pixels(image.size)
                image.load()
                plain = _plain_image(_upright(image), kind)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:
        raise _image_broken() from None

    # A fresh info dict: nothing from the original (EXIF, XMP, ICC, text chunks) is written.
    plain.info = {}
    out = BytesIO()
    if kind == "jpeg":
        plain.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        plain.save(out, "PNG")
    return out.getvalue()


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels()


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; a malformed EXIF block is no reason to refuse the photo."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        return image


def _plain_image(image: Image.Image, kind: str) -> Image.Image:
    """Convert to L, RGB or RGBA: the modes every viewer and our later steps understand."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # 16-bit greyscale: scale down instead of letting convert() clip everything to white.
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if kind == "jpeg":
        return image if image.mode == "L" else image.convert("RGB")
    if image.has_transparency_data:
        return image.convert("RGBA")
    if image.mode in ("1", "L"):
        return image.convert("L")
    return image.convert("RGB")


# Display name

_EXTENSION_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,4}")
_ALLOWED_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-_äöüÄÖÜß"
)


def display_name_clean(name: str, extension: str) -> str:
    """A harmless name to show the citizen and caseworkers; never used as a storage path."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    chars = []
    for char in name:
        if char in _ALLOWED_CHARS:
            chars.append(char)
        elif unicodedata.category(char).startswith("C"):
            # Control, format (e.g. right-to-left override) and unassigned characters.
            continue
        else:
            # Keep the base letter of accented characters (é -> e); anything else becomes a gap.
            base = "".join(
                part for part in unicodedata.normalize("NFKD", char) if part in _ALLOWED_CHARS
            )
            chars.append(base or " ")
    cleaned = re.sub(r"\.{2,}", ".", "".join(chars))
    cleaned = re.sub(r"\s+", " ", cleaned)
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not _EXTENSION_LIKE.fullmatch(suffix):
        stem = cleaned
    stem = stem.strip(" .-_")[: DISPLAY_NAME_MAX - len(extension) - 1].rstrip(" .-_")
    return f"{stem or FALLBACK_STEM}.{extension}"
