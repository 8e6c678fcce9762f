"""Generated upload samples: every test file is built here, nothing binary is committed."""

import struct
import zipfile
import zlib
from io import BytesIO

import pikepdf
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

GPS_IFD = 0x8825
PNG_TEXT_KEY = "SecretComment"
PNG_TEXT_VALUE = "Musterstrasse 1, 12345 Musterstadt"
APPENDED_HTML = b"<html><script>alert('polyglot')</script></html>"
XMP_MARKER = b"SecretXmpCreator"


def icc_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _pdf_bytes(pdf: pikepdf.Pdf, **save_options) -> bytes:
    out = BytesIO()
    pdf.save(out, **save_options)
    return out.getvalue()


def pdf_blank(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    return _pdf_bytes(pdf)


def pdf_encrypted(*, user: str = "u", owner: str = "o") -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    return _pdf_bytes(pdf, encryption=pikepdf.Encryption(owner=owner, user=user))


def pdf_with_javascript_open_action(*, hex_escaped_name: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi');"))
    )
    data = _pdf_bytes(
        pdf, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable
    )
    if hex_escaped_name:
        # /J#61vaScript is the same name to a PDF reader; a byte grep would miss it.
        data = data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    return data


def pdf_with_javascript_names_tree() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    action = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi');"))
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), action]))
    )
    # Compressed object streams: the script is invisible to a grep over the raw bytes.
    return _pdf_bytes(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def pdf_with_launch_link() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    return _pdf_bytes(pdf)


def pdf_with_embedded_file() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not really")
    return _pdf_bytes(pdf)


def pdf_with_uri_link() -> bytes:
    """An ordinary web link: not active content."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/")),
    )
    pdf.pages[0].Annots = pikepdf.Array([pdf.make_indirect(link)])
    return _pdf_bytes(pdf)


def pdf_without_pages() -> bytes:
    pdf = pikepdf.new()
    return _pdf_bytes(pdf)


def jpeg_with_gps(size: tuple[int, int] = (64, 48), *, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    # Mark the top-left corner so a rotation can be seen in the output.
    image.paste((0, 0, 255), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    if orientation is not None:
        exif[0x0112] = orientation
    exif[GPS_IFD] = {
        1: "N",  # GPSLatitudeRef
        2: (52.0, 31.0, 12.0),  # GPSLatitude
        3: "E",  # GPSLongitudeRef
        4: (13.0, 24.0, 36.0),  # GPSLongitude
    }
    out = BytesIO()
    xmp = (
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><x:creator>"
        + XMP_MARKER
        + b"</x:creator></x:xmpmeta>"
    )
    image.save(out, "JPEG", exif=exif.tobytes(), icc_profile=icc_profile(), xmp=xmp, quality=95)
    return out.getvalue()


def png_with_text(mode: str = "RGB") -> bytes:
    image = Image.new(mode, (32, 32))
    info = PngInfo()
    info.add_text(PNG_TEXT_KEY, PNG_TEXT_VALUE)
    info.add_text("Comment", PNG_TEXT_VALUE, zip=True)
    out = BytesIO()
    image.save(out, "PNG", pnginfo=info, icc_profile=icc_profile() if mode == "RGB" else None)
    return out.getvalue()


def gif() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "GIF")
    return out.getvalue()


def zip_archive(members: dict[str, bytes] | None = None) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (members or {"readme.txt": b"hello"}).items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_bomb(uncompressed_mb: int = 64) -> bytes:
    """A small archive that inflates to uncompressed_mb megabytes of zeros."""
    out = BytesIO()
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("bomb.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(uncompressed_mb):
            member.write(zeros)
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def png_bomb(width: int, height: int) -> bytes:
    """A one-colour 1-bit PNG, a few kilobytes on disk and width x height pixels decoded."""
    row = b"\x00" + bytes((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><h1>Bescheid</h1><script>alert(1)</script></body></html>"
