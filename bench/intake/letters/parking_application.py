"""Papierantrag Bewohnerparkausweis: new permits, renewals, a new car, company cars."""

from decimal import Decimal

from bench.intake.layouts import Block
from bench.intake.letters.common import (
    email_doc,
    form_doc,
    lengthen,
    letter_doc,
    note_doc,
    ref_ours,
)
from bench.intake.people import birthday_make, company_make, person_make, plate_make
from bench.intake.wording import Ctx, One, Opt

ZONES = [
    "E1 Luisenviertel",
    "E2 Ölberg",
    "E3 Nordstadt",
    "E4 Briller Viertel",
    "E5 Arrenberg",
    "B1 Unterbarmen",
    "B2 Rott",
    "B3 Sedansberg",
    "V1 Vohwinkel-Mitte",
    "R1 Ronsdorf-Zentrum",
]
CARS = [
    "VW Golf",
    "Opel Corsa",
    "Ford Fiesta",
    "Skoda Octavia",
    "Toyota Yaris",
    "Renault Clio",
    "BMW 320d",
    "Fiat 500",
    "Hyundai i30",
    "Mercedes-Benz A 180",
    "Tesla Model 3",
    "Seat Ibiza",
    "Dacia Sandero",
    "VW ID.3",
]
FEES = ["30.70", "60.00", "120.00"]


def _facts(ctx: Ctx) -> dict:
    zone = ctx.pick(ZONES)
    return {
        "zone": zone,
        "zone_code": zone.split()[0],
        "plate": plate_make(ctx),
        "old_plate": plate_make(ctx),
        "car": ctx.pick(CARS),
        "moved": ctx.date(ctx.days_before(10, 90, weekday=False)),
        "start": ctx.date(ctx.days_after(3, 30)),
        "expires": ctx.date(ctx.days_after(5, 40)),
        "permit_no": f"{zone.split()[0]}-{ctx.between(1, 9999):04d}",
        "fee": ctx.amount(Decimal(ctx.pick(FEES))),
        "ref": ctx.reference(ref_ours(ctx, "104")) if ctx.chance(0.35) else "",
    }


ENCLOSURES = [
    "Kopie der Zulassungsbescheinigung Teil I",
    "Kopie des Fahrzeugscheins",
    "Kopie des Personalausweises",
    "Meldebescheinigung",
    "Bestätigung des Arbeitgebers",
]


def _new_letter(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[hiermit beantrage ich einen Bewohnerparkausweis für das Bewohnerparkgebiet {zone}."
            "|ich beantrage die Ausstellung eines Bewohnerparkausweises für meine Wohnung im "
            "Gebiet {zone}.|ich möchte einen Anwohnerparkausweis beantragen (Parkgebiet {zone}).]",
            "[Mein Fahrzeug, ein {car}, hat das amtliche Kennzeichen {plate}.|Es handelt sich um "
            "das Fahrzeug {plate} ({car}).|Das Kennzeichen lautet {plate}.]",
            Opt(
                "[Ich bin am {moved} zugezogen und wohne dort mit Hauptwohnsitz."
                "|Seit dem {moved} bin ich unter dieser Anschrift gemeldet.]",
                1.5,
            ),
            Opt(
                "[Den Ausweis benötige ich ab dem {start}.|Bitte stellen Sie den Ausweis ab dem "
                "{start} aus.]"
            ),
            Opt(
                "[Die Gebühr von {fee} überweise ich nach Erhalt des Bescheides."
                "|Mit der Gebühr von {fee} bin ich einverstanden.]"
            ),
            Opt("[Kopien der Zulassungsbescheinigung und meiner Meldebescheinigung liegen bei.|]"),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="104",
        subject=ctx.fill(
            "[Antrag auf Bewohnerparkausweis|Antrag auf Ausstellung eines Bewohnerparkausweises"
            "|Bewohnerparken – Antrag|Anwohnerparkausweis für {plate}]",
            values,
        ),
        body=body,
        enclosures=ctx.sample(ENCLOSURES[:4], ctx.between(1, 3)) if ctx.chance(0.6) else None,
    )


def _renewal(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    ref = f"\nAktenzeichen: {values['ref']}" if values["ref"] else ""
    body = ctx.paragraphs(
        [
            "[mein Bewohnerparkausweis Nr. {permit_no} läuft am {expires} ab.|die Gültigkeit "
            "meines Bewohnerparkausweises ({permit_no}) endet am {expires}.] [Ich beantrage die "
            "Verlängerung.|Hiermit beantrage ich die Verlängerung um [ein Jahr|zwei Jahre].]",
            "[An Fahrzeug ({plate}) und Wohnanschrift hat sich nichts geändert.|Die Angaben "
            "sind unverändert: Kennzeichen {plate}, Gebiet {zone}.]",
            Opt(
                "[Bitte senden Sie mir den neuen Ausweis per Post zu.|Den Gebührenbescheid "
                "können Sie mir gern per E-Mail schicken.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="104",
        subject=ctx.fill(
            "[Verlängerung Bewohnerparkausweis {permit_no}|Antrag auf Verlängerung "
            "meines Bewohnerparkausweises]",
            values,
        )
        + ref,
        body=body,
    )


def _new_car(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[ich habe ein neues Fahrzeug|ich habe mein Auto gewechselt] und bitte darum, "
            "meinen Bewohnerparkausweis Nr. {permit_no} auf das neue Kennzeichen umzuschreiben.",
            "Bisheriges Kennzeichen: {old_plate}\nNeues Kennzeichen: {plate} ({car})",
            Opt(
                "[Den alten Ausweis lege ich bei.|Der alte Ausweis liegt diesem Schreiben bei.]",
                1.5,
            ),
            Opt("[Eine Kopie der neuen Zulassungsbescheinigung ist beigefügt.|]"),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="104",
        subject=ctx.fill(
            "[Änderung des Kennzeichens|Bewohnerparkausweis – neues Fahrzeug]"
            "[ – Ausweis {permit_no}|]",
            values,
        ),
        body=body,
    )


def _company_car(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    employer = company_make(
        ctx, trade=ctx.pick(["Pflegedienst", "Elektrotechnik", "Software", "Logistik"])
    )
    values = {**values, "employer": employer.name, "first": citizen.name}
    body = ctx.paragraphs(
        [
            "[hiermit beantrage ich einen Bewohnerparkausweis für das Gebiet {zone}.|ich "
            "beantrage einen Bewohnerparkausweis für mein Dienstfahrzeug.]",
            "Das Fahrzeug {plate} ({car}) ist auf meinen Arbeitgeber, die {employer}, "
            "zugelassen und wird mir dauerhaft auch zur privaten Nutzung überlassen.",
            "[Die Bestätigung meines Arbeitgebers ist beigefügt.|Eine Bescheinigung des "
            "Arbeitgebers über die Überlassung liegt bei.]",
            Opt("Ich wohne seit dem {moved} im Bewohnerparkgebiet."),
        ],
        values,
    )
    confirmation = [
        Block("pagebreak"),
        Block("heading", "Bestätigung des Arbeitgebers"),
        Block(
            "para",
            ctx.fill(
                "Hiermit bestätigen wir, dass wir unserem Mitarbeiter bzw. unserer Mitarbeiterin "
                "{first} das Fahrzeug mit dem Kennzeichen {plate} dauerhaft zur dienstlichen und "
                "privaten Nutzung überlassen.",
                values,
            ),
        ),
        Block("para", f"{employer.name}\n{employer.street}\n{employer.town_line}"),
        Block("signature", rows=[(person_make(ctx).name, True), ("Unterschrift, Stempel", False)]),
    ]
    return letter_doc(
        ctx,
        sender=citizen,
        department="104",
        subject="Antrag auf Bewohnerparkausweis (Firmenfahrzeug)",
        body=body,
        enclosures=["Bestätigung des Arbeitgebers"],
        after=confirmation if ctx.length != "short" else None,
    )


def _email(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            One(
                "ich bin am {moved} in das Bewohnerparkgebiet {zone} gezogen und [brauche|benötige]"
                " einen Parkausweis für mein Auto ({plate}).",
                "[bitte schicken Sie mir|ich hätte gern] einen Bewohnerparkausweis für {plate}, "
                "Gebiet {zone}.",
                "mein Anwohnerparkausweis läuft am {expires} ab. Ich möchte ihn hiermit "
                "verlängern. Kennzeichen {plate}.",
            ),
            Opt(
                "[Den Fahrzeugschein habe ich eingescannt und angehängt.|Die Unterlagen schicke "
                "ich per Post hinterher.]"
            ),
            Opt(
                "[Kann ich die Gebühr von {fee} auch überweisen?|Wie lange dauert die Bearbeitung "
                "ungefähr?]"
            ),
        ],
        values,
    )
    return email_doc(
        ctx,
        sender=citizen,
        subject=ctx.fill(
            "[Bewohnerparkausweis|Anwohnerparken {zone_code}|Parkausweis für {plate}]", values
        ),
        body=body,
        address_in_signature=0.7,
    )


def _note(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    lines = [
        ctx.fill(
            "[Anbei mein Antrag auf Bewohnerparkausweis.|Bitte Parkausweis für {plate} ausstellen."
            "|Antrag Anwohnerparken, Kopie Fahrzeugschein anbei.]",
            values,
        ),
        ctx.fill("[Gebiet {zone}.|Kennzeichen {plate}.|]", values),
    ]
    return note_doc(ctx, sender=citizen, lines=[line for line in lines if line], address=0.8)


def _form(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    renewal = ctx.chance(0.3)
    holder = ctx.pick(
        ["Antragsteller/in", "Antragsteller/in", "Arbeitgeber", "Leasing/Firmenwagen"]
    )
    title = ctx.pick(
        [
            "Antrag auf Ausstellung eines Bewohnerparkausweises\nStadt Wuppertal – Straßen und "
            "Verkehr",
            "Bewohnerparkausweis – Antrag\nnach § 45 Abs. 1b Nr. 2a StVO",
            "Antrag Bewohnerparken\nBitte in Druckbuchstaben ausfüllen",
        ]
    )
    blocks = [
        Block("section", "1. Angaben zur antragstellenden Person"),
        Block(
            "fields",
            rows=[
                ("Familienname", citizen.last_name),
                ("Vorname", citizen.first_name),
                ("Geburtsdatum", ctx.date(birthday_make(ctx), "numeric")),
                ("Straße und Hausnummer", citizen.street),
                ("PLZ, Ort", citizen.town_line),
                *([("Telefon", citizen.phone)] if ctx.chance(0.6) else []),
            ],
        ),
        Block("section", "2. Bewohnerparkgebiet"),
        Block("fields", rows=[("Gebiet", values["zone"])]),
        Block("checks", "Wohnung:", rows=[("Hauptwohnung", True), ("Nebenwohnung", False)]),
        Block("section", "3. Fahrzeug"),
        Block(
            "fields", rows=[("Amtliches Kennzeichen", values["plate"]), ("Fahrzeug", values["car"])]
        ),
        Block(
            "checks",
            "Halter/in des Fahrzeugs:",
            rows=[
                (h, h == holder) for h in ["Antragsteller/in", "Arbeitgeber", "Leasing/Firmenwagen"]
            ],
        ),
        Block("section", "4. Antrag"),
        Block(
            "checks",
            rows=[("Neuausstellung", not renewal), ("Verlängerung", renewal), ("Änderung", False)],
        ),
    ]
    if renewal:
        blocks.append(Block("fields", rows=[("Bisherige Ausweis-Nr.", values["permit_no"])]))
    blocks.append(Block("fields", rows=[("Gültig ab", values["start"])]))
    hints = ctx.fill(
        "Bitte fügen Sie eine Kopie der Zulassungsbescheinigung Teil I bei. [Die Gebühr beträgt "
        "{fee} je Jahr.|Gebühr: {fee} pro Jahr.] Ihre Daten werden nur zur Bearbeitung dieses "
        "Antrags verarbeitet.",
        values,
    )
    return form_doc(ctx, sender=citizen, title=title, blocks=blocks, hints=hints)


VARIANTS = [_new_letter, _renewal, _new_car, _company_car, _email, _note, _form, _form]


EXTRAS = [
    "[In unserer Straße ist die Parksituation seit Jahren angespannt.|Abends finde ich ohne "
    "Bewohnerparkausweis kaum einen Parkplatz in der Nähe meiner Wohnung.]",
    "[Ich bin auf das Auto angewiesen, weil ich im Schichtdienst arbeite.|Ich pflege meine Mutter "
    "in Cronenberg und brauche das Fahrzeug täglich.]",
    "[Einen Stellplatz oder eine Garage habe ich nicht.|Zur Wohnung gehört kein eigener "
    "Stellplatz.]",
    "[Das Fahrzeug mit dem Kennzeichen {plate} nutze ich täglich.|Ohne das Auto {plate} komme "
    "ich nicht zur Arbeit.]",
    "[Bitte senden Sie den Ausweis an meine Wohnanschrift.|Den Ausweis kann ich auch persönlich "
    "abholen.]",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
