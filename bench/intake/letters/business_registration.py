"""Gewerbeanmeldung (GewA 1) auf Papier, with re-registrations and deregistrations."""

from decimal import Decimal

from bench.intake.layouts import Block
from bench.intake.letters.common import email_doc, form_doc, lengthen, letter_doc, note_doc, ref_az
from bench.intake.people import birthday_make, company_make, person_make
from bench.intake.wording import Ctx, Opt

ACTIVITIES = [
    "Handel mit gebrauchten Fahrrädern und Ersatzteilen",
    "Hausmeisterservice und Gartenpflege",
    "Onlinehandel mit Textilien",
    "Kiosk mit Verkauf von Zeitschriften, Getränken und Tabakwaren",
    "IT-Beratung und Erstellung von Webseiten",
    "Friseursalon",
    "Reinigung von Büro- und Praxisräumen",
    "Imbiss mit Speisen zum Mitnehmen",
    "Kurierdienst",
    "Handel mit Kosmetikartikeln",
    "Fliesenlegerarbeiten",
    "Veranstaltungstechnik und Verleih",
]
NATIONALITIES = [
    "deutsch",
    "deutsch",
    "deutsch",
    "türkisch",
    "polnisch",
    "italienisch",
    "griechisch",
]
BIRTHPLACES = [
    "Wuppertal",
    "Solingen",
    "Essen",
    "Köln",
    "Hagen",
    "Izmir",
    "Krakau",
    "Bari",
    "Thessaloniki",
]


def _facts(ctx: Ctx) -> dict:
    citizen = person_make(ctx)
    site = citizen if ctx.chance(0.5) else person_make(ctx)
    return {
        "citizen": citizen,
        "activity": ctx.pick(ACTIVITIES),
        "trade_name": ctx.pick(["", f"{citizen.last_name} Service", f"Tal-{citizen.last_name}"]),
        "birthday": ctx.date(birthday_make(ctx, youngest=19, oldest=66), "numeric"),
        "birthplace": ctx.pick(BIRTHPLACES),
        "nationality": ctx.pick(NATIONALITIES),
        "begin": ctx.date(ctx.days_after(1, 45)),
        "end": ctx.date(ctx.days_after(5, 60)),
        "site": f"{site.street}, {site.town_line}",
        "old_site": f"{person_make(ctx).street}, 42103 Wuppertal",
        "fee": ctx.amount(Decimal(ctx.pick(["26.00", "26.00", "30.00", "15.00"]))),
        "employees": str(ctx.pick([0, 0, 0, 1, 2, 3, 5])),
        "ref": ctx.reference(ref_az(ctx)) if ctx.chance(0.15) else "",
    }


def _form_blocks(ctx: Ctx, values: dict, *, kind: str) -> tuple[str, list[Block]]:
    citizen = values["citizen"]
    title = {
        "GewA 1": "Gewerbe-Anmeldung\nnach § 14 GewO oder § 55c GewO – Vordruck GewA 1",
        "GewA 2": "Gewerbe-Ummeldung\nnach § 14 GewO – Vordruck GewA 2",
        "GewA 3": "Gewerbe-Abmeldung\nnach § 14 GewO – Vordruck GewA 3",
    }[kind]
    blocks = [
        Block("section", "Angaben zum Betriebsinhaber"),
        Block(
            "fields",
            rows=[
                ("1 Name", citizen.last_name),
                ("2 Vornamen", citizen.first_name),
                ("3 Geburtsdatum", values["birthday"]),
                ("3 Geburtsort", values["birthplace"]),
                ("4 Staatsangehörigkeit", values["nationality"]),
                ("5 Anschrift der Wohnung", f"{citizen.street}, {citizen.town_line}"),
                *([("Telefon", citizen.phone)] if ctx.chance(0.7) else []),
                *([("E-Mail", citizen.email)] if ctx.chance(0.5) else []),
            ],
        ),
        Block("section", "Angaben zum Betrieb"),
    ]
    rows = []
    if values["trade_name"]:
        rows.append(("Geschäftsbezeichnung", values["trade_name"]))
    if kind == "GewA 2":
        rows.append(("Bisherige Betriebsstätte", values["old_site"]))
    rows.append(("Betriebsstätte", values["site"]))
    rows.append(("Angemeldete Tätigkeit", values["activity"]))
    if kind == "GewA 3":
        rows.append(("Datum der Betriebsaufgabe", values["end"]))
    else:
        rows.append(("Datum des Beginns", values["begin"]))
        rows.append(("Zahl der Beschäftigten", values["employees"]))
    blocks.append(Block("fields", rows=rows))
    if kind == "GewA 1":
        blocks.append(
            Block(
                "checks",
                "Die Anmeldung wird erstattet für:",
                rows=[
                    ("Hauptniederlassung", True),
                    ("Zweigniederlassung", False),
                    ("Unselbst. Zweigstelle", False),
                ],
            )
        )
        blocks.append(
            Block(
                "checks",
                "Grund:",
                rows=[("Neuerrichtung", True), ("Übernahme", False), ("Wiederaufnahme", False)],
            )
        )
        blocks.append(
            Block("checks", "Im Nebenerwerb:", rows=[("ja", ctx.chance(0.4)), ("nein", False)])
        )
    return title, blocks


def _form(ctx: Ctx, values: dict):
    kind = ctx.pick(["GewA 1", "GewA 1", "GewA 1", "GewA 2", "GewA 3"])
    title, blocks = _form_blocks(ctx, values, kind=kind)
    hint = ctx.fill(
        "[Die Gebühr beträgt {fee}.|Gebühr {fee}, bitte bei Abgabe bezahlen.|] Die Anmeldung "
        "wird an die in § 14 Abs. 8 GewO genannten Stellen übermittelt.",
        values,
    )
    return form_doc(ctx, sender=values["citizen"], title=title, blocks=blocks, hints=hint)


def _cover_and_form(ctx: Ctx, values: dict):
    body = ctx.paragraphs(
        [
            "[anbei übersende ich Ihnen die ausgefüllte Gewerbeanmeldung.|hiermit melde ich zum "
            "{begin} ein Gewerbe an; der ausgefüllte Vordruck GewA 1 liegt bei.]",
            "[Es handelt sich um: {activity}.|Tätigkeit: {activity}.]",
            Opt(
                "[Die Gebühr in Höhe von {fee} habe ich überwiesen.|Die Gebühr von {fee} "
                "zahle ich gern nach Erhalt Ihrer Rechnung.]"
            ),
            Opt("[Eine Kopie meines Personalausweises liegt bei.|]"),
            Opt("[Für Rückfragen bin ich unter {phone} erreichbar.|]"),
        ],
        {**values, "phone": values["citizen"].phone},
    )
    title, blocks = _form_blocks(ctx, values, kind="GewA 1")
    after = [Block("pagebreak"), Block("formtitle", title), *blocks]
    return letter_doc(
        ctx,
        sender=values["citizen"],
        department="106",
        subject=ctx.fill("[Gewerbeanmeldung|Anmeldung eines Gewerbes|Gewerbeanmeldung GewA 1]"),
        body=body,
        enclosures=["Gewerbeanmeldung (GewA 1)", "Kopie Personalausweis"]
        if ctx.chance(0.5)
        else None,
        after=after,
    )


def _tax_adviser(ctx: Ctx, values: dict):
    office = company_make(
        ctx, trade="Steuerberatung", forms=("Steuerberatungsgesellschaft mbH", "PartG mbB")
    )
    adviser = person_make(ctx, surname=office.last_name)
    client = values["citizen"]
    values = {
        **values,
        "client": client.name,
        "client_address": f"{client.street}, {client.town_line}",
    }
    body = ctx.paragraphs(
        [
            "[namens und im Auftrag unseres Mandanten|im Auftrag unserer Mandantschaft] "
            "{client}, {client_address}, melden wir zum {begin} folgendes Gewerbe an: {activity}.",
            "[Der ausgefüllte und unterschriebene Vordruck GewA 1 ist beigefügt.|Anbei erhalten "
            "Sie "
            "die Gewerbeanmeldung mit Unterschrift unseres Mandanten.]",
            Opt(
                "Wir bitten, die Gewerbeanmeldung auch an das Finanzamt Wuppertal zu übermitteln "
                "und "
                "uns eine Kopie der Bestätigung zukommen zu lassen."
            ),
            Opt(
                "Die Gebühr von {fee} bitten wir, unserem Mandanten direkt in Rechnung zu stellen."
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=office,
        signer=adviser,
        role="Steuerberater",
        department="106",
        letterhead=f"{office.name}\n{office.street} · {office.town_line}\nTelefon {office.phone}",
        subject=ctx.fill("Gewerbeanmeldung[ unseres Mandanten|] {client}", values),
        body=body,
        enclosures=["Vordruck GewA 1", "Vollmacht"],
    )


def _move(ctx: Ctx, values: dict):
    citizen = values["citizen"]
    ref = f"\nAz.: {values['ref']}" if values["ref"] else ""
    body = ctx.paragraphs(
        [
            "[zum {begin} verlege ich meinen Betrieb ({activity}) an eine neue Adresse.|hiermit "
            "melde ich die Verlegung meiner Betriebsstätte zum {begin} an.]",
            "Bisherige Betriebsstätte: {old_site}\nNeue Betriebsstätte: {site}",
            Opt(
                "[Die Tätigkeit bleibt unverändert.|Zusätzlich biete ich künftig auch "
                "Montagearbeiten an.]"
            ),
            Opt("[Den Vordruck GewA 2 habe ich ausgefüllt beigelegt.|]"),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="106",
        subject=ctx.fill(
            "[Gewerbeummeldung|Ummeldung meines Gewerbes|Verlegung der Betriebsstätte]"
        )
        + ref,
        body=body,
    )


def _quit(ctx: Ctx, values: dict):
    citizen = values["citizen"]
    body = ctx.paragraphs(
        [
            "[hiermit melde ich mein Gewerbe ({activity}) zum {end} ab.|zum {end} gebe ich "
            "meinen Betrieb auf und melde das Gewerbe hiermit ab.]",
            Opt(
                "[Grund ist die Aufnahme einer Festanstellung.|Aus gesundheitlichen Gründen kann "
                "ich den Betrieb nicht weiterführen.|Der Umsatz reicht leider nicht aus.]",
                1.5,
            ),
            Opt(
                "[Bitte senden Sie mir eine Bestätigung der Abmeldung.|Ich bitte um eine "
                "Abmeldebestätigung für das Finanzamt.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="106",
        subject=ctx.fill("[Gewerbeabmeldung|Abmeldung meines Gewerbes]"),
        body=body,
    )


def _email(ctx: Ctx, values: dict):
    citizen = values["citizen"]
    body = ctx.paragraphs(
        [
            "[ich möchte zum {begin} ein Gewerbe anmelden: {activity}.|ich will mich "
            "selbstständig machen ({activity}) und das Gewerbe zum {begin} anmelden.]",
            "[Den ausgefüllten Vordruck GewA 1 und meinen Ausweis habe ich eingescannt.|Reicht es, "
            "wenn ich die Gewerbeanmeldung per Post schicke?]",
            Opt(
                "[Brauche ich für diese Tätigkeit noch eine weitere Erlaubnis?|Wie hoch ist die "
                "Gebühr?]"
            ),
        ],
        values,
    )
    return email_doc(
        ctx,
        sender=citizen,
        subject=ctx.fill(
            "[Gewerbeanmeldung|Anmeldung Gewerbe zum {begin}|Frage zur Gewerbeanmeldung]", values
        ),
        body=body,
    )


def _note(ctx: Ctx, values: dict):
    lines = [
        ctx.fill(
            "[Gewerbeanmeldung anbei.|Anbei die Anmeldung für mein Gewerbe.|Gewerbe-"
            "Anmeldung für {activity}]",
            values,
        ),
        ctx.fill("[Personalausweis-Kopie liegt bei.|Gebühr {fee} habe ich beigelegt.|]", values),
    ]
    return note_doc(
        ctx, sender=values["citizen"], lines=[line for line in lines if line], address=0.7
    )


VARIANTS = [_form, _form, _cover_and_form, _tax_adviser, _move, _quit, _email, _note]


EXTRAS = [
    "Die Mitteilung an das Finanzamt erledige ich [parallel|selbst|über meinen Steuerberater].",
    "[Eine Kopie meines Personalausweises liegt bei.|Meinen Personalausweis kann ich bei Bedarf "
    "vorlegen.]",
    "Für Rückfragen zur Tätigkeit ({activity}) stehe ich gern zur Verfügung.",
    "[Die Industrie- und Handelskammer habe ich ebenfalls informiert.|Die Handwerkskammer weiß "
    "Bescheid.]",
    "[Bitte senden Sie die Bestätigung an meine Wohnanschrift.|Die Bestätigung können Sie mir "
    "auch per E-Mail schicken.]",
    "[Ich bin seit Jahren in diesem Bereich tätig.|Die Entscheidung ist mir nicht leichtgefallen.]",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
