"""A quick PDF/A check of the rules our documents could break (not a full veraPDF validation).

It looks at what a change to a template, a font or the seal could spoil: the PDF/A
identification in the XMP metadata and its agreement with the document information, the output
intent with its ICC profile, embedded fonts, encryption, JavaScript and the file identifier.
"""

from collections.abc import Iterator
from io import BytesIO

import pikepdf
from django.utils.translation import gettext as _

from .errors import DocumentError

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
# Document information entries and the XMP properties that must say the same (ISO 19005-2, 6.6.3).
INFO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
}
CONFORMANCE = {"1": {"A", "B"}, "2": {"A", "B", "U"}, "3": {"A", "B", "U"}, "4": {"", "E", "F"}}


def _xmp_problems(pdf: pikepdf.Pdf) -> list[str]:
    if not isinstance(pdf.Root.get("/Metadata"), pikepdf.Stream):
        return [_("The document has no XMP metadata.")]
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        part = str(meta.get("pdfaid:part", ""))
        conformance = str(meta.get("pdfaid:conformance", ""))
        xmp_values = {key: meta.get(prop) for key, prop in INFO_XMP.items()}
    except Exception:  # pikepdf raises several kinds of XML errors for broken XMP
        return [_("The XMP metadata of the document cannot be read.")]
    problems = []
    if part not in CONFORMANCE or conformance not in CONFORMANCE[part]:
        problems.append(
            _(
                "The XMP metadata does not identify the document as PDF/A "
                "(pdfaid:part, pdfaid:conformance)."
            )
        )
    info = pdf.trailer.get("/Info")
    for key, value in info.items() if isinstance(info, pikepdf.Dictionary) else []:
        if key not in INFO_XMP:
            continue
        xmp = xmp_values[key]
        if isinstance(xmp, list):
            xmp = ", ".join(str(item) for item in xmp)
        if str(value) != str(xmp or ""):
            problems.append(
                _("The document information %(key)s does not match the XMP metadata.")
                % {"key": key.lstrip("/")}
            )
    return problems


def _output_intent_problems(pdf: pikepdf.Pdf) -> list[str]:
    for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
        if intent.get("/S") != pikepdf.Name.GTS_PDFA1:
            continue
        profile = intent.get("/DestOutputProfile")
        if isinstance(profile, pikepdf.Stream) and profile.read_bytes()[36:40] == b"acsp":
            return []
        return [_("The PDF/A output intent has no embedded ICC colour profile.")]
    return [_("The document has no PDF/A output intent (GTS_PDFA1).")]


def _font_embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True  # its glyphs are drawn by the document itself
    if font.get("/Subtype") == pikepdf.Name.Type0:
        descendants = font.get("/DescendantFonts", pikepdf.Array())
        return len(descendants) > 0 and all(_font_embedded(child) for child in descendants)
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        isinstance(descriptor.get(key), pikepdf.Stream) for key in FONT_FILES
    )


def _dictionaries(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary | pikepdf.Stream]:
    """Every dictionary reachable from the trailer, direct or indirect, each once."""
    containers = pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array
    seen: set[tuple[int, int]] = set()
    pending: list = [pdf.trailer]
    while pending:
        obj = pending.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        children = obj if isinstance(obj, pikepdf.Array) else obj.values()
        pending.extend(child for child in children if isinstance(child, containers))
        if not isinstance(obj, pikepdf.Array):
            yield obj


def _is_javascript(obj: pikepdf.Dictionary | pikepdf.Stream) -> bool:
    return obj.get("/S") == pikepdf.Name.JavaScript or "/JS" in obj


def pdfa_problems(pdf_bytes: bytes) -> list[str]:
    """What stops `pdf_bytes` from being a valid PDF/A document (empty: nothing found).

    Raises DocumentError when the bytes are not a PDF at all.
    """
    try:
        pdf = pikepdf.open(BytesIO(pdf_bytes))
    except pikepdf.PasswordError:
        return [_("The document is encrypted.")]
    except pikepdf.PdfError as exc:
        raise DocumentError(_("The file is not a readable PDF document."), code="not_pdf") from exc
    with pdf:
        problems = []
        if pdf.is_encrypted:
            problems.append(_("The document is encrypted."))
        problems += _xmp_problems(pdf)
        problems += _output_intent_problems(pdf)
        if "/ID" not in pdf.trailer:
            problems.append(_("The document has no file identifier (ID)."))
        unembedded: set[str] = set()
        javascript = "/JavaScript" in pdf.Root.get("/Names", pikepdf.Dictionary())
        for obj in _dictionaries(pdf):
            if obj.get("/Type") == pikepdf.Name.Font and not _font_embedded(obj):
                unembedded.add(str(obj.get("/BaseFont", "?")).lstrip("/"))
            javascript = javascript or _is_javascript(obj)
        problems += [
            _("The font %(font)s is not embedded.") % {"font": font} for font in sorted(unembedded)
        ]
        if javascript:
            problems.append(_("The document contains JavaScript."))
        return problems
