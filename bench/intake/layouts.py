"""A letter as blocks, and the two ways it is put out: clean text and HTML for WeasyPrint.

The text and the HTML are made from the same blocks, so the gold text is exactly what is
printed. Layouts (DIN 5008 letter, printed e-mail, filled paper form, invoice, handwritten
note) differ in which blocks they use and in the style sheet.
"""

from dataclasses import dataclass, field
from html import escape

from bench.intake.people import Party
from bench.intake.wording import Ctx

BODY_FONTS = [
    "Liberation Serif",
    "Liberation Sans",
    "DejaVu Sans",
    "DejaVu Serif",
    "Liberation Sans Narrow",
    "DejaVu Sans Condensed",
]
MAIL_FONTS = ["Liberation Sans", "DejaVu Sans", "Liberation Mono", "DejaVu Sans Mono"]
HAND_FONT = "Comic Neue"
INKS = ["#1b2f8a", "#14206b", "#222222", "#0d3b7a"]
# Every font family the layouts use: the generator refuses to run without them, because a
# substituted font would change line breaks and page counts.
FONTS = sorted({*BODY_FONTS, *MAIL_FONTS, HAND_FONT})

TEXT_KINDS = {
    "letterhead",
    "return",
    "sender",
    "recipient",
    "dateline",
    "subject",
    "para",
    "closing",
    "hand",
    "small",
    "section",
    "formtitle",
    "footer",
    "heading",
}


@dataclass
class Block:
    kind: str
    text: str = ""
    rows: list[tuple] = field(default_factory=list)

    def as_text(self) -> str:
        if self.kind in TEXT_KINDS:
            return self.text
        if self.kind == "signature":
            return "\n".join(row[0] for row in self.rows)
        if self.kind in ("info", "fields", "mailhead", "totals"):
            return "\n".join(f"{label}: {value}" if label else value for label, value in self.rows)
        if self.kind == "checks":
            marks = [f"{'☒' if checked else '☐'} {label}" for label, checked in self.rows]
            return (self.text + "\n" if self.text else "") + "  ".join(marks)
        if self.kind == "list":
            return (self.text + "\n" if self.text else "") + "\n".join(
                f"– {r[0]}" for r in self.rows
            )
        if self.kind == "table":
            return "\n".join("\t".join(row) for row in self.rows)
        if self.kind == "pagebreak":
            return ""
        raise ValueError(self.kind)


@dataclass
class Doc:
    layout: str  # "letter", "email", "form", "invoice" or "note"
    blocks: list[Block]
    sender: Party | None  # the gold sender: None when no postal address of the sender is printed
    style: dict = field(default_factory=dict)

    def text(self) -> str:
        parts = [block.as_text() for block in self.blocks]
        return "\n\n".join(part for part in parts if part)


def style_make(ctx: Ctx, layout: str) -> dict:
    font = ctx.pick(MAIL_FONTS if layout == "email" else BODY_FONTS)
    size = ctx.pick([10, 10.5, 11, 11, 11.5, 12]) if layout != "note" else ctx.pick([13, 14, 15])
    return {
        "font": font,
        "size": size,
        "line": ctx.pick([1.2, 1.3, 1.35, 1.45]),
        "ink": ctx.pick(INKS),
        "sender_right": ctx.chance(0.5),
        "head_center": ctx.chance(0.5),
        "justify": ctx.chance(0.3),
        "margin_left": ctx.pick([20, 22, 25, 25]),
        "margin_top": ctx.pick([12, 15, 18]),
        "shade": ctx.pick(["#e6e6e6", "#d9d9d9", "#eeeeee"]),
    }


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


CSS = """
@page {{ size: A4; margin: {margin_top}mm 18mm 18mm {margin_left}mm; }}
body {{ font-family: '{font}'; font-size: {size}pt; line-height: {line}; color: #111; }}
p {{ margin: 0 0 0.8em 0; text-align: {align}; }}
.hand, .value, .sig {{ font-family: '{hand}'; color: {ink}; }}
.letterhead {{ text-align: {head_align}; border-bottom: 1.2pt solid #333; padding-bottom: 2mm;
  margin-bottom: 6mm; }}
.letterhead .first {{ font-size: 1.6em; font-weight: bold; letter-spacing: 0.04em; }}
.sender {{ {sender_float} font-size: 0.95em; margin-bottom: 4mm; }}
.return {{ font-size: 7.5pt; text-decoration: underline; margin-top: 14mm; }}
.recipient {{ margin: 2mm 0 10mm 0; width: 85mm; min-height: 27mm; }}
.dateline {{ text-align: right; margin-bottom: 6mm; }}
.info {{ font-size: 0.9em; margin: 0 0 4mm auto; width: 72mm; }}
.info td {{ padding: 0 2mm 0 0; vertical-align: top; }}
.subject {{ font-weight: bold; margin: 6mm 0 6mm 0; clear: both; }}
.closing {{ margin-top: 5mm; }}
.sig {{ font-size: 1.7em; margin: 2mm 0 0 0; }}
.signame {{ margin: 0; }}
.footer {{ margin-top: 10mm; border-top: 0.6pt solid #555; padding-top: 2mm; font-size: 7.5pt;
  color: #333; }}
.small {{ font-size: 8pt; color: #333; }}
.list {{ margin: 0 0 0.8em 0; }}
.list div {{ padding-left: 5mm; text-indent: -4mm; }}
.mailhead {{ border-bottom: 1pt solid #777; padding-bottom: 2mm; margin-bottom: 6mm; }}
.mailhead td {{ padding: 0.5mm 3mm 0.5mm 0; vertical-align: top; }}
.mailhead .label {{ font-weight: bold; }}
.formtitle {{ border: 1.5pt solid #222; padding: 3mm; margin-bottom: 4mm; }}
.formtitle .first {{ font-size: 1.35em; font-weight: bold; }}
.section {{ background: {shade}; font-weight: bold; padding: 1mm 2mm; margin: 4mm 0 1mm 0;
  font-size: 0.95em; }}
.fields {{ width: 100%; border-collapse: collapse; margin-bottom: 1mm; }}
.fields td {{ border: 0.6pt solid #444; padding: 1mm 2mm; vertical-align: top; }}
.fields .label {{ font-size: 0.72em; color: #333; display: block; }}
.fields .value {{ font-size: 1.25em; }}
.checks {{ margin: 2mm 0; }}
.checks span.box {{ margin-right: 6mm; white-space: nowrap; }}
.checks .mark {{ font-family: 'DejaVu Sans'; }}
.table {{ width: 100%; border-collapse: collapse; margin: 4mm 0; font-size: 0.92em; }}
.table th {{ text-align: left; border-bottom: 1pt solid #222; padding: 1mm; background: {shade}; }}
.table td {{ padding: 1mm; border-bottom: 0.4pt solid #aaa; vertical-align: top; }}
.table .num {{ text-align: right; white-space: nowrap; }}
.totals {{ width: 75mm; margin: 0 0 6mm auto; border-collapse: collapse; }}
.totals td {{ padding: 0.5mm 1mm; }}
.totals td.num {{ text-align: right; }}
.totals tr:last-child td {{ font-weight: bold; border-top: 1pt solid #222; }}
.heading {{ font-size: 1.3em; font-weight: bold; margin: 4mm 0; }}
.note {{ font-family: '{hand}'; color: {ink}; }}
.pagebreak {{ break-after: page; }}
"""


def _numeric(cell: str) -> bool:
    return cell.endswith(("€", "EUR")) or cell.replace(",", "").replace(".", "").isdigit()


def _block_html(block: Block) -> str:
    kind = block.kind
    if kind == "letterhead" or kind == "formtitle":
        first, _, rest = block.text.partition("\n")
        rest_html = f"<br>{_lines(rest)}" if rest else ""
        return f'<div class="{kind}"><span class="first">{escape(first)}</span>{rest_html}</div>'
    if kind in ("para", "subject", "closing", "small", "dateline", "heading"):
        return f'<p class="{kind}">{_lines(block.text)}</p>'
    if kind in ("return", "sender", "recipient", "footer", "section"):
        return f'<div class="{kind}">{_lines(block.text)}</div>'
    if kind == "hand":
        return f'<p class="hand">{_lines(block.text)}</p>'
    if kind == "signature":
        out = []
        for text, hand in block.rows:
            css = "sig" if hand else "signame"
            out.append(f'<p class="{css}">{_lines(text)}</p>')
        return "".join(out)
    if kind in ("info", "mailhead"):
        rows = "".join(
            f'<tr><td class="label">{escape(label)}:</td><td>{_lines(value)}</td></tr>'
            for label, value in block.rows
        )
        return f'<table class="{kind}">{rows}</table>'
    if kind == "fields":
        cells = []
        for label, value in block.rows:
            cells.append(
                f'<tr><td><span class="label">{escape(label)}:</span>'
                f'<span class="value">{_lines(value)}</span></td></tr>'
            )
        return f'<table class="fields">{"".join(cells)}</table>'
    if kind == "checks":
        head = f"<div>{escape(block.text)}</div>" if block.text else ""
        marks = "".join(
            f'<span class="box"><span class="mark">{"☒" if checked else "☐"}</span> '
            f"{escape(label)}</span> "
            for label, checked in block.rows
        )
        return f'<div class="checks">{head}{marks}</div>'
    if kind == "list":
        head = f"<div>{escape(block.text)}</div>" if block.text else ""
        items = "".join(f"<div>– {_lines(row[0])}</div>" for row in block.rows)
        return f'<div class="list">{head}{items}</div>'
    if kind == "table":
        header, *body = block.rows
        head = "".join(
            f'<th class="{"num" if i >= len(header) - 2 else ""}">{escape(c)}</th>'
            for i, c in enumerate(header)
        )
        rows = "".join(
            "<tr>"
            + "".join(f'<td class="{"num" if _numeric(c) else ""}">{_lines(c)}</td>' for c in row)
            + "</tr>"
            for row in body
        )
        return f'<table class="table"><tr>{head}</tr>{rows}</table>'
    if kind == "totals":
        rows = "".join(
            f'<tr><td>{escape(label)}:</td><td class="num">{escape(value)}</td></tr>'
            for label, value in block.rows
        )
        return f'<table class="totals">{rows}</table>'
    if kind == "pagebreak":
        return '<div class="pagebreak"></div>'
    raise ValueError(kind)


def doc_html(doc: Doc) -> str:
    style = doc.style
    css = CSS.format(
        margin_top=style["margin_top"],
        margin_left=style["margin_left"],
        font=style["font"],
        size=style["size"],
        line=style["line"],
        align="justify" if style["justify"] else "left",
        hand=HAND_FONT,
        ink=style["ink"],
        head_align="center" if style["head_center"] else "left",
        sender_float="text-align: right;" if style["sender_right"] else "",
        shade=style["shade"],
    )
    body = "\n".join(_block_html(block) for block in doc.blocks)
    css_class = "note" if doc.layout == "note" else doc.layout
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><style>{css}</style>'
        f'</head><body class="{css_class}">{body}</body></html>'
    )
