"""The printable separator sheet: a large QR code reading RATHAUS-TRENNBLATT."""

import segno

from rathaus.documents.rendering import pdf_render

from .pipeline.separators import SEPARATOR_CODE


def separator_sheet_pdf() -> bytes:
    """A one-page PDF/A; its code is read on the scanned page, which is then dropped."""
    # Error level H: the code still reads with a fold, a staple or a coffee stain on it.
    code = segno.make_qr(SEPARATOR_CODE, error="h")
    return pdf_render(
        template="intake/separator_sheet.html",
        context={"qr_svg": code.svg_inline(scale=12, border=4), "code": SEPARATOR_CODE},
    )
