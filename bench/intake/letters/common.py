"""What letters of every type share: the city as addressee, file references, salutations,
and the builders of the five layouts."""

import datetime

from bench.intake.layouts import Block, Doc, style_make
from bench.intake.people import Party
from bench.intake.wording import Ctx

DEPARTMENTS = {
    "010": "Anregungen und Beschwerden",
    "030": "Rechtsamt",
    "102": "Bürgerservice und Einwohnermeldeamt",
    "104": "Straßen und Verkehr",
    "105": "Bauaufsicht",
    "106": "Ordnung und Gewerbe",
    "107": "Bußgeldstelle",
    "201": "Steueramt",
    "202": "Stadtkasse",
    "301": "Soziales und Wohnen",
    "302": "Jugend und Kindertagesbetreuung",
}
CITY_ADDRESSES = [("Johannes-Rau-Platz 1", "42275 Wuppertal"), ("Neumarkt 10", "42103 Wuppertal")]
CITY_MAIL = ["poststelle@stadt.example", "info@stadt.example", "buergerservice@stadt.example"]

SALUTATIONS = [
    "Sehr geehrte Damen und Herren,",
    "Sehr geehrte Damen und Herren,",
    "Sehr geehrte Damen und Herren,",
    "Guten Tag,",
    "Sehr geehrte Damen und Herren der Stadtverwaltung,",
]
INFORMAL_SALUTATIONS = ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Hallo zusammen,"]
CLOSINGS = [
    "Mit freundlichen Grüßen",
    "Mit freundlichen Grüßen",
    "Freundliche Grüße",
    "Mit freundlichem Gruß",
    "Hochachtungsvoll",
]
INFORMAL_CLOSINGS = ["Viele Grüße", "Beste Grüße", "Mit freundlichen Grüßen", "Gruß", "LG"]


def city_recipient(ctx: Ctx, department: str | None) -> str:
    """The city's address, for the right department, the wrong one or none at all."""
    roll = ctx.rng.random()
    if department and roll < 0.45:
        code = department
    elif roll < 0.55:
        code = ctx.pick(sorted(DEPARTMENTS))
    else:
        code = None
    street, town = ctx.pick(CITY_ADDRESSES)
    head = ctx.pick(["Stadt Wuppertal", "Stadtverwaltung Wuppertal", "An die Stadt Wuppertal"])
    lines = [head]
    if code:
        name = DEPARTMENTS[code]
        lines.append(ctx.pick([f"Ressort {code} – {name}", name, f"Ressort {name}", f"– {name} –"]))
    if ctx.chance(0.15):
        lines.append(ctx.pick(["Poststelle", "z. Hd. Sachbearbeitung", "Eingangsstelle"]))
    lines += [street, town]
    return "\n".join(lines)


# File references: ours and the formats of other offices seen in letters.
def ref_ours(ctx: Ctx, department: str) -> str:
    year = ctx.today.year if ctx.chance(0.85) else ctx.today.year - 1
    return f"WUP-{department}-{year}-{ctx.between(1, 12_000):05d}"


def ref_az(ctx: Ctx) -> str:
    return (
        f"{ctx.between(10, 69)}.{ctx.between(1, 9)}-{ctx.between(1, 9999):04d}"
        f"/{ctx.today.year % 100:02d}"
    )


def ref_cash(ctx: Ctx) -> str:
    return f"{ctx.between(1, 9)}.{ctx.today.year}.{ctx.between(1, 999_999):06d}"


def ref_building(ctx: Ctx) -> str:
    return f"63-B-{ctx.today.year}-{ctx.between(1, 2500):04d}"


def ref_fine(ctx: Ctx) -> str:
    return (
        f"{ctx.between(1, 9)}.{ctx.today.year % 100:02d}.{ctx.between(100_000, 999_999)}"
        f".{ctx.between(0, 9)}"
    )


def signature(party: Party, ctx: Ctx, *, printed: bool | None = None, role: str = "") -> Block:
    """A handwritten signature, often with the name printed below it."""
    if printed is None:
        printed = ctx.chance(0.6)
    rows = [(party.name if party.kind == "person" else party.last_name, True)]
    if printed:
        rows.append((party.name + (f"\n{role}" if role else ""), False))
    return Block("signature", rows=rows)


def sender_block(ctx: Ctx, party: Party) -> Block:
    lines = party.lines()
    if ctx.chance(0.4):
        lines.append(ctx.pick([f"Tel. {party.phone}", f"Telefon: {party.phone}", party.email]))
    return Block("sender", "\n".join(lines))


def letter_doc(
    ctx: Ctx,
    *,
    sender: Party,
    department: str | None,
    subject: str,
    body: list[str],
    signer: Party | None = None,
    role: str = "",
    letterhead: str = "",
    info: list[tuple[str, str]] | None = None,
    enclosures: list[str] | None = None,
    footer: str = "",
    salutation: str | None = None,
    closing: str | None = None,
    after: list[Block] | None = None,
) -> Doc:
    """A DIN 5008 letter: sender, address field, date, subject, body, signature."""
    blocks = []
    if letterhead:
        blocks.append(Block("letterhead", letterhead))
    else:
        blocks.append(sender_block(ctx, sender))
    if letterhead or ctx.chance(0.4):
        blocks.append(Block("return", f"{sender.name} · {sender.street} · {sender.town_line}"))
    blocks.append(Block("recipient", city_recipient(ctx, department)))
    dated = ctx.date(ctx.today)
    if info is not None or (letterhead and ctx.chance(0.6)):
        rows = list(info or [])
        rows.append(("Datum", dated))
        blocks.append(Block("info", rows=rows))
    else:
        blocks.append(Block("dateline", f"{sender.town}, {dated}" if ctx.chance(0.7) else dated))
    blocks.append(Block("subject", subject))
    blocks.append(Block("para", salutation or ctx.pick(SALUTATIONS)))
    blocks += [Block("para", paragraph) for paragraph in body]
    blocks.append(Block("closing", closing or ctx.pick(CLOSINGS)))
    blocks.append(signature(signer or sender, ctx, role=role))
    if enclosures:
        head = ctx.pick(["Anlagen:", "Anlage:", "Anlagen", "Beigefügt:"])
        blocks.append(Block("list", head, rows=[(item,) for item in enclosures]))
    if footer:
        blocks.append(Block("footer", footer))
    blocks += after or []
    return Doc("letter", blocks, sender, style_make(ctx, "letter"))


def _mail_sent(ctx: Ctx) -> str:
    day: datetime.date = ctx.today
    hour, minute = ctx.between(6, 23), ctx.between(0, 59)
    if ctx.chance(0.6):
        return f"{ctx.date(day, 'weekday')} {hour:02d}:{minute:02d}"
    return f"{ctx.date(day, 'numeric')}, {hour:02d}:{minute:02d} Uhr"


def email_doc(
    ctx: Ctx,
    *,
    sender: Party,
    subject: str,
    body: list[str],
    address_in_signature: float = 0.5,
    formal: bool | None = None,
    signature_lines: list[str] | None = None,
) -> Doc:
    """A printed e-mail: header lines, body, a typed signature, perhaps with the address."""
    if formal is None:
        formal = ctx.chance(0.6)
    to = ctx.pick(CITY_MAIL)
    head = [
        ("Von", f"{sender.name} <{sender.email}>"),
        ("Gesendet" if ctx.chance(0.6) else "Datum", _mail_sent(ctx)),
        ("An", to),
    ]
    if ctx.chance(0.2):
        head.append(("Cc", ctx.pick(CITY_MAIL)))
    head.append(("Betreff", subject))
    blocks = [Block("mailhead", rows=head)]
    blocks.append(Block("para", ctx.pick(SALUTATIONS if formal else INFORMAL_SALUTATIONS)))
    blocks += [Block("para", paragraph) for paragraph in body]
    blocks.append(Block("closing", ctx.pick(CLOSINGS if formal else INFORMAL_CLOSINGS)))
    lines = signature_lines or [sender.name]
    gold = None
    if ctx.chance(address_in_signature):
        lines = [*lines, sender.street, sender.town_line]
        gold = sender
        if ctx.chance(0.5):
            lines.append(f"Tel.: {sender.phone}")
    blocks.append(Block("signature", rows=[("\n".join(lines), False)]))
    if ctx.chance(0.25):
        blocks.append(
            Block(
                "small",
                ctx.pick(
                    [
                        "Von meinem Smartphone gesendet",
                        "Diese E-Mail wurde ausgedruckt und mit der Post übersandt.",
                        "Bitte denken Sie an die Umwelt, bevor Sie diese E-Mail ausdrucken.",
                    ]
                ),
            )
        )
    doc = Doc("email", blocks, gold, style_make(ctx, "email"))
    return doc


def note_doc(ctx: Ctx, *, sender: Party, lines: list[str], address: float = 0.5) -> Doc:
    """A short handwritten note, perhaps with the sender's address on top."""
    blocks = []
    gold = None
    if ctx.chance(address):
        blocks.append(Block("hand", "\n".join(sender.lines())))
        gold = sender
    if ctx.chance(0.6):
        blocks.append(Block("hand", ctx.date(ctx.today, ctx.pick(["numeric", "short"]))))
    blocks += [Block("hand", line) for line in lines]
    blocks.append(Block("hand", ctx.pick(["Danke!", "Gruß", "Mit freundlichen Grüßen", "MfG", ""])))
    blocks.append(
        Block("signature", rows=[(sender.name if ctx.chance(0.5) else sender.last_name, True)])
    )
    blocks = [block for block in blocks if block.text or block.rows]
    return Doc("note", blocks, gold, style_make(ctx, "note"))


def form_doc(
    ctx: Ctx,
    *,
    sender: Party,
    title: str,
    blocks: list[Block],
    place_date: bool = True,
    hints: str = "",
) -> Doc:
    """A paper form filled in by hand: title box, sections, fields, checkboxes, signature."""
    out = [Block("formtitle", title), *blocks]
    if place_date:
        out.append(Block("fields", rows=[("Ort, Datum", f"Wuppertal, {ctx.date(ctx.today)}")]))
    out.append(Block("signature", rows=[(sender.name, True), ("Unterschrift", False)]))
    if hints:
        out.append(Block("small", hints))
    if ctx.length == "long":  # the printed second page of many paper forms
        heading, *paragraphs = DATA_PROTECTION
        out += [Block("pagebreak"), Block("heading", heading)]
        out += [Block("small", text) for text in paragraphs]
    return Doc("form", out, sender, style_make(ctx, "form"))


# What people add when they write at length; shared by every type.
GENERAL_EXTRAS = [
    "[Ich habe mich vorab auf Ihrer Internetseite informiert, dort aber keine eindeutige "
    "Auskunft gefunden.|Auf Ihrer Internetseite habe ich leider nicht alle Informationen "
    "gefunden, die ich brauche.] [Auch telefonisch war leider niemand zu erreichen.|]",
    "[Sollten noch Unterlagen fehlen, teilen Sie mir das bitte möglichst bald mit, damit ich sie "
    "nachreichen kann.|Falls Sie weitere Angaben benötigen, melden Sie sich bitte bei mir.]",
    "[Ich bin berufstätig und tagsüber nur schwer erreichbar; am besten erreichen Sie mich per "
    "E-Mail oder nach 17 Uhr.|Wegen meiner Arbeitszeiten kann ich leider nicht persönlich "
    "vorbeikommen.]",
    "[Für Ihre Mühe bedanke ich mich schon jetzt.|Vielen Dank im Voraus für Ihre Unterstützung.]",
    "Zu meiner Situation: Ich lebe seit [zwölf|fünfzehn|über zwanzig] Jahren in Wuppertal "
    "[und habe bisher kaum mit der Stadtverwaltung zu tun gehabt|und kenne mich mit Anträgen "
    "und Formularen leider nicht gut aus]. [Deshalb bitte ich um Nachsicht, falls ich etwas "
    "falsch gemacht habe.|Ich hoffe, dass ich alles richtig angegeben habe.] [Meine Kinder "
    "haben mir beim Schreiben geholfen.|Eine Bekannte hat mir beim Ausfüllen geholfen.|]",
    "Ich habe mich bemüht, alle Angaben vollständig und wahrheitsgemäß zu machen. [Sollte "
    "etwas unklar sein, rufen Sie mich bitte an, bevor Sie entscheiden.|Wenn etwas fehlt, "
    "reiche ich es selbstverständlich umgehend nach.] [Mir ist wichtig, dass die "
    "Angelegenheit schnell und ohne weitere Umwege geklärt wird.|Ich möchte unnötigen "
    "Schriftverkehr vermeiden.]",
    "[Ich bitte um Verständnis, dass ich mich schriftlich an Sie wende.|Ich schreibe Ihnen, "
    "weil ich telefonisch niemanden erreicht habe.] [Eine persönliche Vorsprache ist mir "
    "derzeit wegen meiner Arbeitszeiten und der langen Wartezeiten auf einen Termin kaum "
    "möglich.|Einen Termin im Bürgerbüro habe ich in den nächsten Wochen nicht bekommen.]",
]


def lengthen(ctx: Ctx, doc: Doc, extras: list[str], values: dict) -> Doc:
    """Long letters of private people say more: the type's paragraphs after the first two of
    the body, general ones before the closing (companies and offices write their long
    letters themselves)."""
    if ctx.length != "long" or doc.layout not in ("letter", "email"):
        return doc
    if doc.sender is not None and doc.sender.kind != "person":
        return doc
    closing = next((i for i, b in enumerate(doc.blocks) if b.kind == "closing"), None)
    if closing is None:
        return doc
    chosen = ctx.sample(extras, min(len(extras), ctx.between(4, 6)))
    general = ctx.sample(GENERAL_EXTRAS, ctx.between(2, 4))
    doc.blocks[closing:closing] = [Block("para", ctx.fill(t, values)) for t in general]
    # the type's own paragraphs follow the first two of the body (what and why)
    body = [i for i, b in enumerate(doc.blocks[:closing]) if b.kind == "para"][1:]
    at = body[min(2, len(body)) - 1] + 1 if body else closing
    doc.blocks[at:at] = [Block("para", ctx.fill(t, values)) for t in chosen]
    return doc


DATA_PROTECTION = [
    "Hinweise zur Datenverarbeitung (Art. 13 DSGVO)",
    "Verantwortlich für die Verarbeitung Ihrer Daten ist die Stadt Wuppertal, vertreten durch "
    "den Oberbürgermeister. Die Datenschutzbeauftragte der Stadt erreichen Sie unter der "
    "Anschrift der Stadtverwaltung.",
    "Ihre Angaben werden ausschließlich zur Bearbeitung Ihres Anliegens verarbeitet. "
    "Rechtsgrundlage ist Art. 6 Abs. 1 Buchstabe e DSGVO in Verbindung mit den jeweiligen "
    "Fachgesetzen.",
    "Eine Übermittlung an Dritte erfolgt nur, soweit eine Rechtsvorschrift dies vorsieht. Die "
    "Daten werden gelöscht, sobald sie für die Erfüllung der Aufgabe nicht mehr erforderlich sind "
    "und keine Aufbewahrungsfristen entgegenstehen.",
    "Sie haben das Recht auf Auskunft über die zu Ihrer Person gespeicherten Daten, auf "
    "Berichtigung unrichtiger Daten, auf Einschränkung der Verarbeitung und, soweit die "
    "Voraussetzungen vorliegen, auf Löschung. Sie können sich bei der Landesbeauftragten für "
    "Datenschutz und Informationsfreiheit Nordrhein-Westfalen beschweren.",
    "Unvollständige Anträge verzögern die Bearbeitung. Bitte prüfen Sie vor dem Absenden, ob "
    "alle Angaben gemacht und alle erforderlichen Nachweise beigefügt sind. Reichen Sie Kopien "
    "ein, keine Originale; eingereichte Unterlagen werden nicht zurückgesandt.",
]
