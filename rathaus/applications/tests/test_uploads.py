import hashlib
from io import BytesIO

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from rathaus.applications.tests import upload_samples as samples
from rathaus.applications.uploads import (
    CleanUpload,
    UploadRejected,
    display_name_clean,
    upload_inspect,
)

ALL_KINDS = ["pdf", "jpeg", "png"]
MAX_BYTES = 10 * 1024 * 1024


def inspect(data: bytes, name: str = "upload.bin", **options) -> CleanUpload:
    options.setdefault("accept", ALL_KINDS)
    options.setdefault("max_bytes", MAX_BYTES)
    return upload_inspect(SimpleUploadedFile(name, data), **options)


def refusal(data: bytes, name: str = "upload.bin", **options) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect(data, name, **options)
    message = str(caught.value.message)
    assert message.strip()
    assert "%(" not in message
    return caught.value


# PDF


def test_good_pdf_is_kept_byte_for_byte():
    data = samples.pdf_blank()

    clean = inspect(data, "antrag.pdf")

    assert clean.content == data
    assert clean.mime == "application/pdf"
    assert clean.extension == "pdf"
    assert clean.pages == 1
    assert clean.display_name == "antrag.pdf"
    assert clean.sha256 == hashlib.sha256(data).hexdigest()


def test_pdf_with_200_pages_is_accepted_and_201_refused():
    assert inspect(samples.pdf_blank(200)).pages == 200
    assert refusal(samples.pdf_blank(201)).code == "too_many_pages"


def test_pdf_with_a_user_password_is_refused():
    assert refusal(samples.pdf_encrypted(user="u", owner="o"), "a.pdf").code == "encrypted"


def test_pdf_with_only_an_owner_password_is_refused_too():
    data = samples.pdf_encrypted(user="", owner="o")
    with pikepdf.open(BytesIO(data)) as pdf:
        assert pdf.is_encrypted

    assert refusal(data, "a.pdf").code == "encrypted"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.7\n", id="header-only"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 8, id="header-and-garbage"),
        pytest.param(samples.pdf_blank()[:200], id="truncated"),
        pytest.param(samples.pdf_without_pages(), id="no-pages"),
    ],
)
def test_broken_pdf_is_refused(data):
    assert refusal(data, "bescheid.pdf").code == "broken"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(samples.pdf_with_javascript_open_action(), id="javascript-open-action"),
        pytest.param(
            samples.pdf_with_javascript_open_action(hex_escaped_name=True),
            id="javascript-hex-escaped-name",
        ),
        pytest.param(samples.pdf_with_javascript_names_tree(), id="javascript-names-tree"),
        pytest.param(samples.pdf_with_launch_link(), id="launch-action-in-annotation"),
        pytest.param(samples.pdf_with_embedded_file(), id="embedded-file"),
    ],
)
def test_pdf_with_active_content_is_refused(data):
    assert refusal(data, "formular.pdf").code == "active_content"


def test_active_content_is_found_in_the_structure_not_by_grepping_bytes():
    data = samples.pdf_with_javascript_names_tree()
    assert b"JavaScript" not in data  # hidden in a compressed object stream

    assert refusal(data).code == "active_content"


def test_pdf_with_an_ordinary_web_link_is_accepted():
    assert inspect(samples.pdf_with_uri_link()).pages == 1


# Images


def test_jpeg_is_reencoded_without_exif_or_gps():
    data = samples.jpeg_with_gps()
    with Image.open(BytesIO(data)) as original:
        assert original.getexif().get_ifd(samples.GPS_IFD)  # the sample really has GPS
    assert b"PhoneMaker" in data
    assert samples.XMP_MARKER in data
    assert b"ICC_PROFILE" in data

    clean = inspect(data, "foto.jpeg")

    assert clean.mime == "image/jpeg"
    assert clean.extension == "jpg"
    assert clean.display_name == "foto.jpg"
    assert clean.pages is None
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()
    with Image.open(BytesIO(clean.content)) as image:
        image.load()
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        assert not image.getexif()
        assert "exif" not in image.info
        assert "icc_profile" not in image.info
    assert b"Exif" not in clean.content
    assert b"GPS" not in clean.content
    assert b"PhoneMaker" not in clean.content
    assert samples.XMP_MARKER not in clean.content
    assert b"ICC_PROFILE" not in clean.content


def test_jpeg_exif_orientation_is_applied_to_the_pixels():
    data = samples.jpeg_with_gps((64, 48), orientation=6)  # "rotate 90° clockwise to view"

    clean = inspect(data, "foto.jpg")

    with Image.open(BytesIO(clean.content)) as image:
        assert image.size == (48, 64)
        assert not image.getexif()


def test_png_is_reencoded_without_text_chunks():
    data = samples.png_with_text()
    assert samples.PNG_TEXT_KEY.encode() in data
    assert b"iCCP" in data

    clean = inspect(data, "scan.png")

    assert clean.mime == "image/png"
    assert clean.extension == "png"
    with Image.open(BytesIO(clean.content)) as image:
        image.load()
        assert image.format == "PNG"
        assert image.size == (32, 32)
        assert image.text == {}
        assert not image.getexif()
        assert "icc_profile" not in image.info
    for marker in (samples.PNG_TEXT_KEY.encode(), b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"):
        assert marker not in clean.content


@pytest.mark.parametrize(("mode", "expected"), [("RGBA", "RGBA"), ("P", "RGB"), ("L", "L")])
def test_png_becomes_a_plain_rgb_rgba_or_greyscale_image(mode, expected):
    clean = inspect(samples.png_with_text(mode))

    with Image.open(BytesIO(clean.content)) as image:
        assert image.mode == expected


@pytest.mark.parametrize(
    ("image", "payload"),
    [
        pytest.param(samples.jpeg_with_gps(), samples.zip_archive(), id="jpeg+zip"),
        pytest.param(samples.jpeg_with_gps(), samples.APPENDED_HTML, id="jpeg+html"),
        pytest.param(samples.png_with_text(), samples.APPENDED_HTML, id="png+html"),
    ],
)
def test_polyglot_loses_what_was_appended_to_the_image(image, payload):
    clean = inspect(image + payload, "bild.jpg")

    assert clean.content != image + payload
    assert payload not in clean.content
    assert b"PK\x03\x04" not in clean.content
    assert b"<script" not in clean.content
    with Image.open(BytesIO(clean.content)) as decoded:
        decoded.load()


@pytest.mark.parametrize(
    ("width", "height"),
    [
        pytest.param(7000, 7000, id="49MP-our-limit"),
        pytest.param(10000, 10000, id="100MP-pillow-warning"),
        pytest.param(20000, 20000, id="400MP-pillow-error"),
    ],
)
def test_image_with_too_many_pixels_is_refused_before_decoding(width, height):
    data = samples.png_bomb(width, height)
    assert len(data) < 200_000  # small on disk, huge once decoded

    assert refusal(data, "scan.png").code == "too_many_pixels"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(samples.png_with_text()[:60], id="png-truncated"),
        pytest.param(samples.jpeg_with_gps()[:300], id="jpeg-truncated"),
    ],
)
def test_broken_image_is_refused(data):
    assert refusal(data, "foto.png").code == "broken"


# Type by content


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(samples.html_page(), "bescheid.pdf", id="html-named-pdf"),
        pytest.param(b"Sehr geehrte Damen und Herren,\n", "bescheid.pdf", id="text-named-pdf"),
        pytest.param(samples.svg_with_script(), "foto.png", id="svg-named-png"),
        pytest.param(samples.zip_archive(), "antrag.pdf", id="zip-named-pdf"),
        pytest.param(samples.zip_bomb(), "unterlagen.zip", id="zip-bomb"),
        pytest.param(samples.gif(), "bild.gif", id="gif"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "scan.jpg", id="exe-named-jpg"),
    ],
)
def test_file_of_another_type_is_refused_whatever_its_name(data, name):
    assert refusal(data, name).code == "wrong_type"


def test_kind_not_in_accept_is_refused_and_the_message_names_only_accepted_kinds(english):
    refused = refusal(samples.png_with_text(), "scan.png", accept=["pdf"])

    assert refused.code == "wrong_type"
    assert "PDF" in str(refused.message)
    assert "PNG" not in str(refused.message)


def test_unknown_kind_in_accept_is_a_programming_error():
    with pytest.raises(ValueError, match="accept"):
        inspect(samples.pdf_blank(), accept=["pdf", "svg"])


# Size


def test_file_larger_than_the_limit_is_refused_with_the_limit_in_the_message(english):
    data = samples.jpeg_with_gps((200, 200))
    assert len(data) > 1000

    refused = refusal(data, max_bytes=1000)

    assert refused.code == "too_large"
    assert "0.1 MB" in str(refused.message)


def test_limit_is_checked_on_the_bytes_read_not_on_the_reported_size():
    upload = SimpleUploadedFile("a.pdf", samples.pdf_blank(5))
    upload.size = 10

    with pytest.raises(UploadRejected) as caught:
        upload_inspect(upload, accept=ALL_KINDS, max_bytes=500)
    assert caught.value.code == "too_large"


def test_file_of_exactly_the_limit_is_accepted():
    data = samples.pdf_blank()

    assert inspect(data, max_bytes=len(data)).content == data


def test_file_read_before_is_read_from_the_start():
    upload = SimpleUploadedFile("a.pdf", samples.pdf_blank())
    upload.read()

    assert upload_inspect(upload, accept=["pdf"], max_bytes=MAX_BYTES).pages == 1


def test_empty_file_is_refused():
    assert refusal(b"", "leer.pdf").code == "empty"


# Display name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\..\\evil.pdf", "evil.pdf"),
        ("C:\\Users\\x\\..\\..", "Dokument.pdf"),
        ("<script>.pdf", "script.pdf"),
    ],
)
def test_display_name_keeps_only_a_harmless_base_name(name, expected):
    # Django's UploadedFile already drops POSIX directories; Windows paths reach us intact.
    clean = inspect(samples.pdf_blank(), name)

    assert clean.display_name == expected
    assert "/" not in clean.display_name
    assert "\\" not in clean.display_name
    assert ".." not in clean.display_name


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("Lebenslauf Müller.PDF", "pdf", "Lebenslauf Müller.pdf"),
        ("Lebenslauf Mu\u0308ller.pdf", "pdf", "Lebenslauf Müller.pdf"),  # decomposed umlaut
        ("Straße_Übersicht-2024.pdf", "pdf", "Straße_Übersicht-2024.pdf"),
        ("café résumé.pdf", "pdf", "cafe resume.pdf"),
        ("foto.png", "jpg", "foto.jpg"),
        ("Bescheid vom 12.03", "pdf", "Bescheid vom 12.03.pdf"),
        ("rechnung\u202egpj.exe", "pdf", "rechnunggpj.pdf"),  # right-to-left override
        ("a\x00b\r\n.pdf", "pdf", "ab.pdf"),
        ("  viel   \t Platz  .pdf", "pdf", "viel Platz.pdf"),
        ("...versteckt.pdf", "pdf", "versteckt.pdf"),
        ("Antrag (final) [2].pdf", "pdf", "Antrag final 2.pdf"),
        ("写真.jpg", "jpg", "Dokument.jpg"),
        ("..", "pdf", "Dokument.pdf"),
        ("../..", "pdf", "Dokument.pdf"),
        ("", "png", "Dokument.png"),
        ("/etc/passwd", "pdf", "passwd.pdf"),
    ],
)
def test_display_name_is_normalised(name, extension, expected):
    assert display_name_clean(name, extension) == expected


def test_display_name_is_capped_at_80_characters_with_the_extension():
    name = display_name_clean("x" * 300 + ".pdf", "pdf")

    assert len(name) == 80
    assert name.endswith("x.pdf")
