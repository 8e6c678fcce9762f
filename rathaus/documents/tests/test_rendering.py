import copy
import re
import subprocess
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from rathaus.documents.errors import DocumentError
from rathaus.documents.pdfa import pdfa_problems
from rathaus.documents.rendering import _css_string, pdf_render

MM_PER_POINT = 25.4 / 72
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
# DIN 5008 form B, in mm from the top left corner of the page.
WINDOW = (20, 45, 105, 90)  # left, top, right, bottom
NOTES_ZONE_BOTTOM = 45 + 17.7


@pytest.fixture
def test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [Path(__file__).parent / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def words(
    pdf: bytes, tmp_path: Path, page: int = 1
) -> list[tuple[str, float, float, float, float]]:
    """Every word on `page` with its box in mm (left, top, right, bottom), from pdftotext."""
    path = tmp_path / "words.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(  # noqa: S603
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [
        (text, *(float(value) * MM_PER_POINT for value in box)) for *box, text in WORD.findall(html)
    ]


def first_of_each(boxes: list) -> dict[str, tuple]:
    """Each word's first box (reading order), by its text."""
    by_text: dict[str, tuple] = {}
    for box in boxes:
        by_text.setdefault(box[0], box)
    return by_text


def text_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def inside(box, area) -> bool:
    _text, left, top, right, bottom = box
    return left >= area[0] and top >= area[1] and right <= area[2] and bottom <= area[3]


def overlaps(box, area) -> bool:
    _text, left, top, right, bottom = box
    return left < area[2] and right > area[0] and top < area[3] and bottom > area[1]


def test_the_letter_is_pdf_a_3b_with_every_font_embedded(letter):
    assert pdfa_problems(letter) == []
    with pikepdf.open(BytesIO(letter)) as pdf:
        assert pdf.open_metadata().pdfa_status == "3B"
        fonts = {
            str(obj.BaseFont)
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font
        }
        assert str(pdf.Root.Lang) == "de"
        assert "/StructTreeRoot" in pdf.Root  # tagged, for screen readers
    assert fonts
    assert all("DejaVu" in font for font in fonts), fonts


def test_the_address_sits_in_the_window_of_a_dl_envelope(letter, tmp_path):
    boxes = words(letter, tmp_path)
    by_text = first_of_each(boxes)

    for word in ("Lena", "Schäfer", "Luisenstraße", "42103", "Wuppertal"):
        assert inside(by_text[word], (WINDOW[0], NOTES_ZONE_BOTTOM, WINDOW[2], WINDOW[3])), word
    # The return line sits in the top part of the field, from 25 mm (5 mm inside the field).
    return_line = [
        box
        for box in boxes
        if box[0] in {"Stadt", "Teststadt", "Rathausplatz", "12345"} and overlaps(box, WINDOW)
    ]
    assert len(return_line) == 5  # Stadt Teststadt · Rathausplatz 1 · 12345 Teststadt
    for box in return_line:
        assert inside(box, (WINDOW[0], WINDOW[1], WINDOW[2], NOTES_ZONE_BOTTOM)), box
    assert min(box[1] for box in return_line) == pytest.approx(25, abs=0.5)
    assert min(box[2] for box in return_line) == pytest.approx(45, abs=1)
    # The recipient starts at the top of the address zone, 17.7 mm into the field.
    assert by_text["Lena"][2] == pytest.approx(NOTES_ZONE_BOTTOM, abs=1)
    assert by_text["Lena"][1] < by_text["Schäfer"][1]
    assert by_text["Frau"][1] == pytest.approx(25, abs=0.5)
    # Nothing else shows through the window.
    in_window = {box[0] for box in boxes if overlaps(box, WINDOW)}
    expected = {"Frau", "Lena", "Schäfer", "Luisenstraße", "71", "42103", "Wuppertal"}
    expected |= {"Stadt", "Teststadt", "·", "Rathausplatz", "1", "12345"}
    assert in_window <= expected


def test_letterhead_information_block_and_subject_are_where_din_5008_puts_them(letter, tmp_path):
    by_text = first_of_each(words(letter, tmp_path))
    # The information block: 125 mm from the left, 50 mm from the top, 75 mm wide.
    rows = [box for box in by_text.values() if box[1] > 120 and 40 < box[2] < 98]
    assert min(box[1] for box in rows) == pytest.approx(125, abs=0.5)
    assert max(box[3] for box in rows) <= 200
    assert min(box[2] for box in rows) == pytest.approx(50, abs=1)
    assert by_text["WUP-104-2026-00042"][1] > 125
    # The subject (it names the plate) starts at 98.46 mm, at the left margin of 25 mm.
    subject = by_text["W-LS"]
    assert subject[2] == pytest.approx(98.46, abs=1)
    assert min(box[1] for box in by_text.values() if box[2] == subject[2]) == pytest.approx(25)
    assert by_text["Straßen"][4] < WINDOW[1]  # the department, in the letterhead above the window


def test_fold_and_hole_marks_are_printed_at_the_left_edge(letter, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-r", "144", "-gray", "-png", "-f", "1", "-l", "1", path, tmp_path / "p"],  # noqa: S607
        check=True,
        timeout=60,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    px_per_mm = image.width / 210

    def marks(left_mm: float, right_mm: float) -> list[float]:
        """Centres (mm from the top) of the dark horizontal strokes between left_mm and right_mm."""
        columns = range(round(left_mm * px_per_mm), round(right_mm * px_per_mm))
        dark = [
            y for y in range(image.height) if any(image.getpixel((x, y)) < 160 for x in columns)
        ]
        runs: list[list[int]] = []
        for y in dark:
            if runs and y == runs[-1][-1] + 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        return [sum(run) / len(run) / px_per_mm for run in runs]

    # Nothing else is printed in the left 15 mm of the first page.
    assert marks(0, 15) == [
        pytest.approx(105, abs=0.5),
        pytest.approx(148.5, abs=0.5),
        pytest.approx(210, abs=0.5),
    ]
    assert len(marks(5.5, 9.5)) == 3  # 5 mm strokes from 5 mm off the edge, the hole mark longer
    assert len(marks(10.5, 11.5)) == 1


def test_every_page_says_page_x_of_y(test_templates, tmp_path, english):
    paragraphs = [f"Paragraph {n}. " + "Lorem ipsum dolor sit amet. " * 12 for n in range(40)]
    pdf = pdf_render(
        template="documents_tests/long_letter.html",
        context={"recipient_lines": ["Max Muster"], "paragraphs": paragraphs},
    )
    pages = text_pages(pdf, tmp_path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert "Max Muster" in pages[0]
    assert "Max Muster" not in pages[1]  # the window address is on the first page only
    assert pdfa_problems(pdf) == []


def test_the_page_label_follows_the_active_language(test_templates, tmp_path):
    with translation.override("de"):
        pdf = pdf_render(
            template="documents_tests/long_letter.html",
            context={"recipient_lines": ["Max Muster"], "paragraphs": ["Kurz."]},
        )
        expected = gettext("Page {page} of {pages}").format(page=1, pages=1)
    assert expected in text_pages(pdf, tmp_path)[0]


def test_context_text_is_escaped_not_interpreted(tmp_path):
    pdf = pdf_render(
        template="documents/letter_base.html",
        context={"recipient_lines": ['<img src="file:///etc/hostname">Fritz & Co']},
    )
    page = text_pages(pdf, tmp_path)[0]
    assert '<img src="file:///etc/hostname">Fritz & Co' in page


@pytest.mark.parametrize(
    "url", ["file:///etc/hostname", "http://127.0.0.1:9/logo.png", "HTTPS://example.org/a.png"]
)
def test_a_template_may_not_load_external_resources(test_templates, url):
    with pytest.raises(DocumentError) as excinfo:
        pdf_render(
            template="documents_tests/image_letter.html",
            context={"recipient_lines": ["Max Muster"], "image_url": url},
        )
    assert excinfo.value.code == "external_resource"


def test_a_template_may_embed_data_urls(test_templates):
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
        "YAAAAAYAAjCB0C8AAAAASUVORK5CYII="
    )
    pdf = pdf_render(
        template="documents_tests/image_letter.html",
        context={"recipient_lines": ["Max Muster"], "image_url": pixel},
    )
    assert pdfa_problems(pdf) == []


def test_css_strings_cannot_break_out_of_the_style_element():
    css = _css_string('Seite "1" </style><script>')
    assert css.startswith('"') and css.endswith('"')
    assert '"' not in css[1:-1] and "<" not in css and ">" not in css
