"""Lieferantenrechnung: invoices with tables and totals from the city's suppliers, part
invoices, reminders, credit notes, invoices sent as e-mail and a craftsman's handwritten bill.

Suppliers deliver to every department, so invoices mention Kitas, parking signs, building
sites and dog-waste bags: classification must look at what the letter is, not at its topic.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from bench.intake.layouts import Block, Doc, style_make
from bench.intake.letters.common import city_recipient, email_doc, letter_doc, note_doc, ref_ours
from bench.intake.people import bank_name, company_make, iban_make, person_make
from bench.intake.wording import Ctx, Opt

# trade, department it delivers to, VAT rate, items (description, unit, price range in euro)
SECTORS = [
    (
        "Bürobedarf",
        "202",
        19,
        [
            ("Kopierpapier A4, 80 g/m², 500 Blatt", "Pack", (3, 6)),
            ("Ordner breit, blau", "Stück", (2, 4)),
            ("Toner schwarz für Drucker MX-410", "Stück", (60, 140)),
            ("Kugelschreiber, Packung à 50", "Pack", (9, 20)),
            ("Briefumschläge DIN lang mit Fenster, 1.000 Stück", "Karton", (18, 35)),
            ("Haftnotizen 76 x 76 mm", "Pack", (4, 9)),
        ],
    ),
    (
        "IT-Systemhaus",
        "202",
        19,
        [
            ("Notebook 14 Zoll inkl. Dockingstation", "Stück", (700, 1200)),
            ("Monitor 27 Zoll", "Stück", (160, 320)),
            ("Einrichtung und Inbetriebnahme", "Std.", (75, 110)),
            ("Wartungsvertrag Netzwerk, Monat", "Monat", (200, 600)),
            ("Softwarelizenz Bürosuite, Jahr", "Lizenz", (90, 180)),
        ],
    ),
    (
        "Gebäudereinigung",
        "202",
        19,
        [
            ("Unterhaltsreinigung Bürgerbüro Barmen", "Monat", (900, 2400)),
            ("Glasreinigung Rathaus Elberfeld", "pauschal", (300, 900)),
            ("Sonderreinigung nach Veranstaltung", "Std.", (28, 40)),
        ],
    ),
    (
        "Catering",
        "302",
        7,
        [
            ("Mittagsverpflegung Kita Sonnenschein", "Essen", (3, 5)),
            ("Mittagsverpflegung Kita Arrenberger Zwerge", "Essen", (3, 5)),
            ("Obst- und Gemüsekorb für Kindertageseinrichtungen", "Lieferung", (20, 45)),
            ("Getränke für Elternabend Kita Regenbogen", "pauschal", (40, 90)),
        ],
    ),
    (
        "Verkehrstechnik",
        "104",
        19,
        [
            (
                "Verkehrszeichen 314 mit Zusatzzeichen „Bewohner mit Parkausweis“",
                "Stück",
                (60, 140),
            ),
            ("Wartung Parkscheinautomat", "Stück", (80, 160)),
            ("Markierungsarbeiten Bewohnerparkgebiet", "lfd. m", (3, 9)),
            ("Aufstellen mobiler Halteverbotszone", "Tag", (30, 60)),
        ],
    ),
    (
        "Bauunternehmung",
        "105",
        19,
        [
            ("Erdarbeiten Baugrube", "m³", (20, 45)),
            ("Mauerwerk Kalksandstein 24 cm", "m²", (60, 95)),
            ("Baustelleneinrichtung", "pauschal", (1200, 4000)),
            ("Stundenlohnarbeiten Facharbeiter", "Std.", (48, 68)),
        ],
    ),
    (
        "Garten- und Landschaftsbau",
        "104",
        19,
        [
            ("Grünpflege Spielplatz Nützenberg", "pauschal", (400, 1500)),
            ("Hundekotbeutel, Rolle à 200", "Karton", (40, 80)),
            ("Rückschnitt Straßenbegleitgrün", "Std.", (40, 60)),
            ("Leerung Hundekotbeutelspender", "Monat", (150, 400)),
        ],
    ),
    (
        "Druckerei",
        "202",
        19,
        [
            ("Broschüre „Wohngeld – was Sie wissen müssen“, 16 Seiten", "Stück", (1, 2)),
            ("Plakate A1, 4-farbig", "Stück", (3, 8)),
            ("Briefbogen Stadt Wuppertal, 5.000 Stück", "Auflage", (150, 300)),
        ],
    ),
    (
        "Kfz-Werkstatt",
        "202",
        19,
        [
            ("Inspektion Dienstfahrzeug W-SW 1234", "pauschal", (220, 480)),
            ("Bremsbeläge vorne inkl. Montage", "Satz", (140, 260)),
            ("Reifenwechsel inkl. Einlagerung", "pauschal", (60, 120)),
        ],
    ),
]


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _invoice_facts(ctx: Ctx) -> dict:
    trade, department, vat, items = ctx.pick(SECTORS)
    company = company_make(ctx, trade=trade)
    count = {"short": ctx.between(1, 2), "medium": ctx.between(2, 6), "long": ctx.between(14, 26)}
    positions = []
    for _ in range(count[ctx.length]):
        description, unit, (low, high) = ctx.pick(items)
        price = _money(Decimal(ctx.between(low * 100, high * 100)) / 100)
        quantity = ctx.pick([1, 1, 2, 3, 4, 5, 10, 12, 20, 25, 40]) if unit != "pauschal" else 1
        positions.append((description, unit, quantity, price))
    net = sum((_money(price * quantity) for _, _, quantity, price in positions), Decimal(0))
    tax = _money(net * vat / 100)
    invoice_day = ctx.days_before(1, 12)
    return {
        "company": company,
        "department": department,
        "vat": vat,
        "positions": positions,
        "net": net,
        "tax": tax,
        "gross": net + tax,
        "invoice_day": invoice_day,
        "due_day": invoice_day + datetime.timedelta(days=ctx.pick([14, 14, 30, 30, 10])),
        "number": ctx.pick(
            [
                f"RE-{ctx.today.year}-{ctx.between(1, 99999):05d}",
                f"{ctx.today.year % 100}{ctx.between(1000, 9999)}",
                f"R{ctx.between(100000, 999999)}",
            ]
        ),
        "customer": str(ctx.between(10000, 99999)),
        "iban": iban_make(ctx),
        "their_ref": ctx.reference(ref_ours(ctx, department)) if ctx.chance(0.2) else "",
        "order": f"45{ctx.between(10_000_000, 99_999_999)}" if ctx.chance(0.4) else "",
    }


def _footer(ctx: Ctx, facts: dict) -> str:
    company = facts["company"]
    parts = [
        f"{company.name} · {company.street} · {company.town_line}",
        f"Bank: {bank_name(facts['iban'])} · IBAN {ctx.iban(facts['iban'])}",
    ]
    if ctx.chance(0.7):
        parts.append(
            f"Amtsgericht {ctx.pick(['Wuppertal', 'Düsseldorf', 'Essen'])} "
            f"HRB {ctx.between(1000, 39999)}"
            f" · USt-IdNr. DE{ctx.between(100_000_000, 999_999_999)}"
        )
    return "\n".join(parts)


def _standard(ctx: Ctx, facts: dict, *, title: str = "Rechnung", credit: bool = False) -> Doc:
    company = facts["company"]
    info = [
        ("Rechnungsnummer" if not credit else "Gutschrift-Nr.", facts["number"]),
        ("Kundennummer", facts["customer"]),
    ]
    if facts["their_ref"]:
        info.append(("Ihr Zeichen", facts["their_ref"]))
    if facts["order"]:
        info.append(("Ihre Bestellung", facts["order"]))
    if ctx.chance(0.6):
        delivered = facts["invoice_day"] - datetime.timedelta(days=ctx.between(1, 20))
        info.append(
            ("Lieferdatum" if ctx.chance(0.5) else "Leistungsdatum", ctx.date(delivered, "numeric"))
        )
    info.append(("Rechnungsdatum", ctx.date(facts["invoice_day"], "numeric")))
    rows = [("Pos.", "Bezeichnung", "Menge", "Einheit", "Einzelpreis", "Gesamt")]
    for number, (description, unit, quantity, price) in enumerate(facts["positions"], start=1):
        rows.append(
            (
                str(number),
                description,
                str(quantity),
                unit,
                ctx.amount(price, "suffix"),
                ctx.amount(_money(price * quantity), "suffix"),
            )
        )
    totals = [
        ("Summe netto", ctx.amount(facts["net"], "suffix")),
        (f"zzgl. {facts['vat']} % USt.", ctx.amount(facts["tax"], "suffix")),
        (
            "Gesamtbetrag" if not credit else "Gutschriftbetrag",
            ctx.amount(facts["gross"], "suffix"),
        ),
    ]
    values = {
        "gross": ctx.amount(facts["gross"]),
        "due": ctx.date(facts["due_day"]),
        "number": facts["number"],
        "iban": ctx.iban(facts["iban"]),
        "days": str((facts["due_day"] - facts["invoice_day"]).days),
    }
    intro = ctx.fill(
        "[für die Lieferung und Leistung berechnen wir Ihnen wie folgt:|wir bedanken uns für Ihren "
        "Auftrag und stellen Ihnen folgende Leistungen in Rechnung:|vereinbarungsgemäß berechnen "
        "wir:]"
        if not credit
        else "für die zurückgesandte Ware schreiben wir Ihnen gut:"
    )
    payment = ctx.fill(
        "[Bitte überweisen Sie den Betrag von {gross} bis zum {due} ohne Abzug auf das unten "
        "genannte Konto.|Zahlbar innerhalb von {days} Tagen ohne Abzug bis {due}.|Bitte zahlen "
        "Sie den Rechnungsbetrag bis {due} unter Angabe der Rechnungsnummer {number} auf "
        "IBAN {iban}.]"
        if not credit
        else "Den Betrag von {gross} überweisen wir auf Ihr Konto oder verrechnen ihn mit der "
        "nächsten Rechnung.",
        values,
    )
    blocks = [
        Block(
            "letterhead",
            f"{company.name}\n{company.street} · {company.town_line} · Tel. {company.phone}",
        ),
        Block("return", f"{company.name} · {company.street} · {company.town_line}"),
        Block("recipient", city_recipient(ctx, facts["department"])),
        Block("info", rows=info),
        Block("subject", f"{title} Nr. {facts['number']}"),
    ]
    if ctx.chance(0.5):
        blocks.append(Block("para", "Sehr geehrte Damen und Herren,"))
    blocks += [Block("para", intro), Block("table", rows=rows), Block("totals", rows=totals)]
    blocks.append(Block("para", payment))
    if ctx.keep_optional():
        blocks.append(
            Block(
                "para",
                ctx.fill(
                    "[Vielen Dank für Ihren Auftrag!|Wir danken für die "
                    "gute Zusammenarbeit.|Bei Fragen zur Rechnung "
                    "erreichen Sie uns unter {phone}.]",
                    {"phone": company.phone},
                ),
            )
        )
    blocks.append(Block("footer", _footer(ctx, facts)))
    return Doc("invoice", blocks, company, style_make(ctx, "invoice"))


def _invoice(ctx: Ctx, facts: dict) -> Doc:
    return _standard(ctx, facts)


def _credit(ctx: Ctx, facts: dict) -> Doc:
    return _standard(ctx, facts, title="Gutschrift", credit=True)


def _part(ctx: Ctx, facts: dict) -> Doc:
    project = ctx.pick(
        [
            "Sanierung Grundschule Hombüchel",
            "Neubau Kita Sonnenschein",
            "Umbau Bürgerbüro Vohwinkel",
            "Erneuerung Gehweg Sedanstraße",
        ]
    )
    doc = _standard(ctx, facts, title=ctx.pick(["Abschlagsrechnung", "2. Abschlagsrechnung"]))
    note = ctx.fill(
        "Bauvorhaben: {project}. [Leistungsstand {share} % laut Aufmaß.|Abschlag nach "
        "Baufortschritt ({share} %).]",
        {"project": project, "share": str(ctx.pick([30, 40, 60, 75]))},
    )
    doc.blocks.insert(5, Block("para", note))
    return doc


def _reminder(ctx: Ctx, facts: dict) -> Doc:
    company = facts["company"]
    fee = Decimal(ctx.pick(["5.00", "7.50", "10.00"]))
    values = {
        "number": facts["number"],
        "invoice_day": ctx.date(facts["invoice_day"] - datetime.timedelta(days=40)),
        "gross": ctx.amount(facts["gross"]),
        "fee": ctx.amount(fee),
        "total": ctx.amount(facts["gross"] + fee),
        "due": ctx.date(ctx.days_after(7, 14)),
        "iban": ctx.iban(facts["iban"]),
    }
    body = ctx.paragraphs(
        [
            "[sicher haben Sie übersehen, dass unsere Rechnung Nr. {number} vom {invoice_day} über "
            "{gross} noch offen ist.|bei der Durchsicht unserer Konten haben wir festgestellt, "
            "dass "
            "die Rechnung Nr. {number} vom {invoice_day} ({gross}) noch nicht beglichen wurde.]",
            Opt(
                "[Wir berechnen eine Mahngebühr von {fee}; der offene Betrag beläuft sich damit "
                "auf "
                "{total}.|]"
            ),
            "Bitte überweisen Sie den Betrag bis zum {due} auf unser Konto IBAN {iban}.",
            Opt(
                "Sollten Sie die Zahlung bereits veranlasst haben, betrachten Sie dieses Schreiben "
                "bitte als gegenstandslos."
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=company,
        signer=person_make(ctx),
        role="Buchhaltung",
        department=facts["department"],
        letterhead=f"{company.name}\n{company.street} · {company.town_line}",
        info=[("Kundennummer", facts["customer"])],
        subject=ctx.pick(["Zahlungserinnerung", "1. Mahnung", "Erinnerung an offene Rechnung"])
        + f" – Rechnung Nr. {facts['number']}",
        body=body,
        footer=_footer(ctx, facts),
    )


def _email(ctx: Ctx, facts: dict) -> Doc:
    company = facts["company"]
    values = {
        "number": facts["number"],
        "gross": ctx.amount(facts["gross"]),
        "due": ctx.date(facts["due_day"]),
        "iban": ctx.iban(facts["iban"]),
        "ref": facts["their_ref"] or facts["order"],
    }
    body = ctx.paragraphs(
        [
            "[anbei erhalten Sie unsere Rechnung Nr. {number} als PDF.|im Anhang senden wir Ihnen "
            "die Rechnung {number}[ zu Ihrer Bestellung {ref}|].]",
            "[Der Rechnungsbetrag von {gross} ist fällig am {due}.|Bitte überweisen Sie {gross} "
            "bis {due} auf IBAN {iban}.]",
            Opt("[Für Rückfragen stehen wir gern zur Verfügung.|Vielen Dank für den Auftrag.]"),
        ],
        values,
    )
    clerk = person_make(ctx)
    return email_doc(
        ctx,
        sender=company,
        subject=f"Rechnung {facts['number']}",
        body=body,
        formal=True,
        signature_lines=[clerk.name, "Buchhaltung", company.name],
        address_in_signature=0.8,
    )


def _handwritten(ctx: Ctx, facts: dict) -> Doc:
    craftsman = person_make(ctx)
    craftsman.name = (
        f"{ctx.pick(['Malerbetrieb', 'Tischlerei', 'Schlosserei'])} {craftsman.last_name}"
    )
    craftsman.kind = "company"
    job = ctx.pick(
        [
            "Reparatur Gartentor Kita Sonnenschein",
            "Streichen Flur Bürgerbüro",
            "Austausch Türschloss Jugendtreff",
        ]
    )
    amount = _money(Decimal(ctx.between(8000, 60000)) / 100)
    lines = [
        f"Rechnung Nr. {ctx.between(10, 300)}",
        f"{job}: {ctx.amount(amount)}",
        ctx.fill("[Betrag enthält 19 % MwSt.|Kleinunternehmer, keine MwSt. nach § 19 UStG]"),
        f"Bitte überweisen auf IBAN {ctx.iban(facts['iban'])}",
    ]
    return note_doc(ctx, sender=craftsman, lines=lines, address=0.9)


VARIANTS = [_invoice, _invoice, _invoice, _part, _credit, _reminder, _email, _handwritten]


def compose(ctx: Ctx) -> Doc:
    facts = _invoice_facts(ctx)
    return ctx.pick(VARIANTS)(ctx, facts)
