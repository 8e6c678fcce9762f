"""Render a Django template to a PDF/A document with WeasyPrint.

Letters extend `documents/letter_base.html` (DIN 5008 form B for a DL window envelope). Fonts come
from the system (Debian's fonts-dejavu-core) and are embedded, subset, in every PDF. Templates may
use no external resources: only `data:` URLs are fetched, so rendering never touches the network
or the file system on behalf of a template.
"""

import re
import threading

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from .errors import DocumentError
from .selectors import letterhead

# PDF/A-3b: archivable (ISO 19005-3), and unlike PDF/A-2 it may later carry machine-readable
# attachments (the decision as XML, an e-invoice) next to the printed letter.
PDF_VARIANT = "pdf/a-3b"


class _DataOnlyFetcher(URLFetcher):
    """Fetches `data:` URLs only; anything else stops the rendering."""

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise FatalURLFetchingError(f"documents may not load external resources: {url[:80]}")
        return super().fetch(url, headers)


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string that is safe inside a <style> element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;-/()" else f"\\{ord(ch):x} " for ch in str(text)
    )
    return f'"{escaped}"'


def page_numbers_css() -> SafeString:
    """The CSS `content` of the page number ("Seite 2 von 3") in the active language."""
    label = _("Page {page} of {pages}")
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", label):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts))  # built from escaped CSS strings only


_local = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread: loading the system fonts again costs every letter."""
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def pdf_render(*, template: str, context: dict) -> bytes:
    """Render `template` with `context` to a PDF/A-3b document (tagged, fonts embedded)."""
    full_context = {
        "letterhead": letterhead(),
        "date": timezone.localdate(),
        "page_numbers_css": page_numbers_css(),
        **context,
    }
    html = render_to_string(template, full_context)
    try:
        return HTML(string=html, url_fetcher=_DataOnlyFetcher()).write_pdf(
            font_config=_font_config(),
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,  # a screen reader can follow the letter's structure
            pdf_identifier=True,
        )
    except FatalURLFetchingError as exc:
        raise DocumentError(
            _("The document template refers to an external resource, which is not allowed."),
            code="external_resource",
        ) from exc
