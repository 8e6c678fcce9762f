from collections.abc import Callable
from io import BytesIO

import pikepdf
import pytest

from rathaus.documents.errors import DocumentError
from rathaus.documents.pdfa import pdfa_problems

pytestmark = pytest.mark.usefixtures("english")  # the assertions read the English messages


def changed(pdf_bytes: bytes, change: Callable[[pikepdf.Pdf], None], **save) -> bytes:
    """`pdf_bytes` after `change`, saved again with pikepdf."""
    output = BytesIO()
    with pikepdf.open(BytesIO(pdf_bytes)) as pdf:
        change(pdf)
        pdf.save(output, **save)
    return output.getvalue()


def test_the_letter_has_no_problems_and_survives_a_plain_resave(letter):
    assert pdfa_problems(letter) == []
    assert pdfa_problems(changed(letter, lambda pdf: None)) == []


def test_a_missing_output_intent_is_reported(letter):
    def remove(pdf):
        del pdf.Root.OutputIntents

    assert pdfa_problems(changed(letter, remove)) == [
        "The document has no PDF/A output intent (GTS_PDFA1)."
    ]


def test_an_output_intent_without_icc_profile_is_reported(letter):
    def strip(pdf):
        del pdf.Root.OutputIntents[0].DestOutputProfile

    assert pdfa_problems(changed(letter, strip)) == [
        "The PDF/A output intent has no embedded ICC colour profile."
    ]


def test_a_font_that_is_not_embedded_is_reported(letter):
    def add_helvetica(pdf):
        page = pdf.pages[0]
        helvetica = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        page.Resources.Font.FHelv = helvetica
        page.contents_add(pdf.make_stream(b"BT /FHelv 10 Tf 100 100 Td (Hallo) Tj ET"))

    assert pdfa_problems(changed(letter, add_helvetica)) == ["The font Helvetica is not embedded."]


def test_a_composite_font_whose_descendant_lost_its_font_file_is_reported(letter):
    def strip(pdf):
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == pikepdf.Name.Type0:
                del obj.DescendantFonts[0].FontDescriptor.FontFile2
                return

    problems = pdfa_problems(changed(letter, strip))
    assert problems
    assert all(p.startswith("The font ") and "DejaVu" in p for p in problems), problems


def test_missing_or_wrong_xmp_metadata_is_reported(letter):
    def remove(pdf):
        del pdf.Root.Metadata

    def unidentify(pdf):
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta["pdfaid:part"]

    assert pdfa_problems(changed(letter, remove)) == ["The document has no XMP metadata."]
    assert pdfa_problems(changed(letter, unidentify)) == [
        "The XMP metadata does not identify the document as PDF/A "
        "(pdfaid:part, pdfaid:conformance)."
    ]


def test_document_information_that_disagrees_with_the_xmp_metadata_is_reported(letter):
    def retitle(pdf):
        pdf.docinfo.Title = "Ein anderer Titel"

    assert pdfa_problems(changed(letter, retitle)) == [
        "The document information Title does not match the XMP metadata."
    ]


def test_javascript_is_reported(letter):
    def open_action(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")

    assert pdfa_problems(changed(letter, open_action)) == ["The document contains JavaScript."]


@pytest.mark.parametrize("user_password", ["", "geheim"])
def test_encryption_is_reported(letter, user_password):
    encrypted = changed(
        letter, lambda pdf: None, encryption=pikepdf.Encryption(owner="owner", user=user_password)
    )
    assert "The document is encrypted." in pdfa_problems(encrypted)


@pytest.mark.parametrize("data", [b"", b"GIF89a", b"%PDF-1.7\ngarbage"])
def test_bytes_that_are_no_pdf_raise_a_clear_error(data):
    with pytest.raises(DocumentError) as excinfo:
        pdfa_problems(data)
    assert excinfo.value.code == "not_pdf"
    assert str(excinfo.value.message) == "The file is not a readable PDF document."
