"""One item of a data set: its letter, its PDF, its scan and its manifest line.

Everything about an item follows from its `ItemSpec`: the letter from one seeded random
source, the scan from another, so items can be made in any order and in parallel.
"""

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from bench.intake.layouts import Doc, doc_html
from bench.intake.letters import letter_compose
from bench.intake.scan import FORMAT_SUFFIX, page_degrade, pages_save, pdf_pages, scan_params
from bench.intake.wording import Ctx

FIRST_DAY = datetime.date(2026, 1, 7)
DAYS = 340


@dataclass(frozen=True)
class ItemSpec:
    seed: int
    set_name: str
    index: int
    label: str
    length: str  # "short", "medium" or "long"
    container: str  # "born_digital", "pdf", "tiff", "jpeg" or "png"
    rotation: int  # 0, 90, 180 or 270 (scans only)

    @property
    def id(self) -> str:
        return f"{self.set_name}-{self.index:04d}"

    def rng(self, purpose: str) -> random.Random:
        seed = f"rathaus-intake/{self.seed}/{self.set_name}/{self.index}/{purpose}"
        return random.Random(seed)  # noqa: S311 (reproducible data, not secrets)


@dataclass
class Letter:
    doc: Doc
    text: str
    fields: dict
    html: str


def item_letter(spec: ItemSpec) -> Letter:
    """Compose the item's letter: its blocks, clean text, gold fields and HTML."""
    rng = spec.rng("letter")
    today = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
    while today.weekday() >= 5:
        today -= datetime.timedelta(days=1)
    ctx = Ctx(rng=rng, length=spec.length, today=today, split=spec.set_name, seed=spec.seed)
    doc = letter_compose(spec.label, ctx)
    text = doc.text()
    fields = ctx.gold(text)
    fields["sender"] = doc.sender.gold() if doc.sender else None
    return Letter(doc=doc, text=text, fields=fields, html=doc_html(doc))


def letter_pdf(letter: Letter) -> tuple[bytes, int]:
    """The letter as a born-digital PDF (with text layer) and its page count."""
    from weasyprint import HTML  # imported late: spawning workers need not pay for it twice

    document = HTML(string=letter.html).render()
    return document.write_pdf(), len(document.pages)


def item_format(spec: ItemSpec, pages: int, rng: random.Random) -> str:
    """The file format: JPEG and PNG hold one page, so longer letters become TIFF or PDF."""
    if spec.container == "born_digital":
        return "pdf"
    if spec.container in ("jpeg", "png") and pages > 1:
        return rng.choice(["tiff", "pdf"])
    return spec.container


def item_build(spec: ItemSpec, directory: Path) -> dict:
    """Make the item's file in `directory` and return its manifest entry."""
    letter = item_letter(spec)
    pdf, pages = letter_pdf(letter)
    rng = spec.rng("scan")
    fmt = item_format(spec, pages, rng)
    name = spec.id + FORMAT_SUFFIX[fmt]
    born_digital = spec.container == "born_digital"
    if born_digital:
        (directory / name).write_bytes(pdf)
        rotation = 0
    else:
        rotation = spec.rotation
        params = scan_params(rng, rotation=rotation, fmt=fmt)
        images = [page_degrade(page, params, rng) for page in pdf_pages(pdf, color=params.color)]
        pages_save(images, directory / name, fmt=fmt, rng=rng, title=spec.id)
    return {
        "id": spec.id,
        "file": name,
        "label": spec.label,
        "pages": pages,
        "rotation": rotation,
        "born_digital": born_digital,
        "layout": letter.doc.layout,
        "fields": letter.fields,
        "text": letter.text,
    }
