"""Photos of proposals: accepted by their content, re-encoded so that no metadata survives.

A phone photo carries where it was taken (GPS), the camera and often the owner's name. We decode
the picture, turn it upright as its EXIF orientation says, and encode the pixels alone again:
no EXIF, XMP, ICC profile or text chunks reach the storage.
"""

import io
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# MIME type by content → (Pillow format, file extension)
FORMATS = {"image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png")}


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded picture, ready to be stored; only `image_clean` makes one."""

    content: bytes
    extension: str
    width: int
    height: int


def _invalid() -> ValidationError:
    return ValidationError(
        _("The file is not a JPEG or PNG picture, or it is damaged."), code="invalid_image"
    )


def image_clean(*, data: bytes) -> CleanImage:
    """Check an upload is a JPEG or PNG picture within the limits and re-encode it."""
    if len(data) > settings.RATHAUS_BUDGET_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The picture is too large: at most %(size)s MB.")
            % {"size": settings.RATHAUS_BUDGET_IMAGE_MAX_BYTES // 1_000_000},
            code="too_large",
        )
    mime = magic.from_buffer(data[:4096], mime=True)
    if mime not in FORMATS:
        raise _invalid()
    image_format, extension = FORMATS[mime]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != image_format:
                raise _invalid()
            # Refuse decompression bombs before decoding any pixels.
            if probe.width * probe.height > settings.RATHAUS_BUDGET_IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The picture has too many pixels: at most %(megapixels)s megapixels.")
                    % {"megapixels": settings.RATHAUS_BUDGET_IMAGE_MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _invalid() from exc
    edge = settings.RATHAUS_BUDGET_IMAGE_MAX_EDGE
    if max(upright.size) > edge:
        upright.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    if image_format == "JPEG":
        mode = "RGB"
    else:
        mode = "RGBA" if "A" in upright.getbands() or "transparency" in upright.info else "RGB"
    converted = upright.convert(mode)
    # A new image from the bare pixels: nothing of the original's info (EXIF, XMP, ICC, text)
    # can be carried over by the encoder.
    bare = Image.frombytes(mode, converted.size, converted.tobytes())
    out = io.BytesIO()
    if image_format == "JPEG":
        bare.save(out, "JPEG", quality=85, optimize=True)
    else:
        bare.save(out, "PNG", optimize=True)
    return CleanImage(
        content=out.getvalue(), extension=extension, width=bare.width, height=bare.height
    )
