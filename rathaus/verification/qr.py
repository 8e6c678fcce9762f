"""QR codes for documents: the web address of the check page with the token, drawn by segno."""

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation

# M (15 % of the code may be damaged) is the usual level for printed codes; segno raises it
# for free when the chosen size has room to spare.
ERROR_LEVEL = "m"


def token_url(*, token: str) -> str:
    """`{RATHAUS_SITE_URL}/pruefen/<TOKEN>`: a phone camera opens the check page directly."""
    return _url_prefix() + token


def _url_prefix() -> str:
    # Without a language prefix: the check page answers in German, with a link to English.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("verification:check_token", kwargs={"token": "T"})
    return settings.RATHAUS_SITE_URL + path[:-1]


def qr_code(*, token: str) -> segno.QRCode:
    """The address in two segments, each in its densest mode; a reader joins them again.

    Alphanumeric mode only knows upper-case letters, so the (lower-case) site address goes as
    bytes and the long base32 token in alphanumeric mode: 5.5 bits a character instead of 8.
    """
    return segno.make_qr([_url_prefix(), token], error=ERROR_LEVEL)


def qr_svg(*, token: str, scale: int = 4) -> str:
    """An inline SVG element (no XML declaration) for pages and HTML-to-PDF templates."""
    return qr_code(token=token).svg_inline(scale=scale, border=4, dark="#000", light="#fff")


def qr_png_data_uri(*, token: str, scale: int = 4) -> str:
    """A `data:image/png;base64,...` URI, for `<img src>` where SVG does not fit."""
    return qr_code(token=token).png_data_uri(scale=scale, border=4)
