"""Antwort auf Anhörung im Bußgeldverfahren: the filled hearing form, admissions, naming the
driver, lawyers asking for the file, fleet owners answering the witness questionnaire."""

from decimal import Decimal

from bench.intake.layouts import Block
from bench.intake.letters.common import (
    email_doc,
    form_doc,
    lengthen,
    letter_doc,
    note_doc,
    ref_az,
    ref_fine,
    ref_ours,
)
from bench.intake.people import birthday_make, company_make, law_firm_make, person_make, plate_make
from bench.intake.wording import Ctx, One, Opt

OFFENCES = [
    ("Überschreitung der zulässigen Höchstgeschwindigkeit innerorts um {kmh} km/h", (15, 40)),
    ("Parken im absoluten Halteverbot", (25, 70)),
    ("Parken auf einem Gehweg", (55, 100)),
    ("Nichtbeachten des Rotlichts der Lichtzeichenanlage", (90, 200)),
    ("Benutzen eines Mobiltelefons während der Fahrt", (100, 100)),
    ("Parken ohne gültigen Parkschein", (20, 40)),
    ("Parken in einem Bewohnerparkgebiet ohne Bewohnerparkausweis", (40, 55)),
]
PLACES = [
    "Friedrich-Engels-Allee",
    "Carnaper Straße",
    "Uellendahler Straße",
    "Kaiserstraße",
    "Hofaue",
    "Briller Straße",
    "L 418 (Parkstraße)",
    "Cronenberger Straße",
    "Steinweg",
]


def _facts(ctx: Ctx) -> dict:
    offence, (low, high) = ctx.pick(OFFENCES)
    when = ctx.days_before(10, 40, weekday=False)
    roll = ctx.rng.random()
    if roll < 0.6:
        ref = ctx.reference(ref_fine(ctx))
    elif roll < 0.75:
        ref = ctx.reference(ref_ours(ctx, "107"))
    elif roll < 0.85:
        ref = ctx.reference(ref_az(ctx))
    else:
        ref = ""
    return {
        "offence": offence.format(kmh=ctx.between(11, 30)),
        "when": ctx.date(when),
        "time": f"{ctx.between(6, 22):02d}:{ctx.between(0, 59):02d} Uhr",
        "place": ctx.pick(PLACES),
        "plate": plate_make(ctx),
        "fine": ctx.amount(Decimal(ctx.between(low, high) // 5 * 5)),
        "ref": ref,
        "letter_date": ctx.date(ctx.days_before(3, 9)),
    }


def _refline(values: dict, ctx: Ctx) -> str:
    if not values["ref"]:
        return ""
    return (
        "\n"
        + ctx.pick(["Aktenzeichen", "Az.", "Ihr Zeichen", "Bußgeld-Nr.", "Vorgang"])
        + ": "
        + values["ref"]
    )


def _subject(ctx: Ctx, values: dict) -> str:
    return ctx.fill(
        "[Anhörung im Bußgeldverfahren|Ihr Anhörungsbogen vom {letter_date}|Ordnungswidrigkeit vom "
        "{when}, Kennzeichen {plate}|Stellungnahme zur Anhörung]",
        values,
    ) + _refline(values, ctx)


def _not_driver(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    driver = person_make(ctx, surname=citizen.last_name if ctx.chance(0.5) else None)
    relation = ctx.pick(
        ["mein Sohn", "meine Tochter", "mein Ehemann", "meine Ehefrau", "ein Bekannter"]
    )
    values = {
        **values,
        "driver": driver.name,
        "driver_address": f"{driver.street}, {driver.town_line}",
        "relation": relation,
        "driver_birthday": ctx.date(birthday_make(ctx, youngest=18, oldest=70)),
    }
    body = ctx.paragraphs(
        [
            "[bezüglich des mir vorgeworfenen Verstoßes am {when} ({offence}) teile ich mit, dass "
            "ich das Fahrzeug {plate} nicht selbst geführt habe.|ich habe Ihren Anhörungsbogen "
            "erhalten. Zum Tatzeitpunkt am {when} um {time} war ich nicht der Fahrer.]",
            One(
                "[Gefahren ist|Das Fahrzeug wurde geführt von] {relation}, {driver}, geboren am "
                "{driver_birthday}, wohnhaft {driver_address}.",
                "Fahrer war {relation} {driver}, {driver_address}.",
                "Ich mache von meinem Zeugnisverweigerungsrecht Gebrauch, da es sich bei der "
                "Fahrerin oder dem Fahrer um einen Angehörigen handelt.",
            ),
            Opt(
                "[Bitte richten Sie das Verfahren gegen die genannte Person.|Ich bitte, das "
                "Verfahren gegen mich einzustellen.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx, sender=citizen, department="107", subject=_subject(ctx, values), body=body
    )


def _admit(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[den Verstoß vom {when} ({offence}, {place}) räume ich ein.|ich gebe zu, dass ich am "
            "{when} in der {place} [zu schnell gefahren bin|falsch geparkt habe].]",
            One(
                "[Leider kann ich das Verwarnungsgeld von {fine} nicht auf einmal zahlen. Ich "
                "bitte "
                "um Ratenzahlung in monatlichen Raten.|Ich bitte darum, mir eine Ratenzahlung zu "
                "gewähren, da ich derzeit nur ein geringes Einkommen habe.]",
                "[Ich war auf dem Weg ins Krankenhaus, weil mein Vater gestürzt war. Ich bitte, "
                "dies zu berücksichtigen und von einem Bußgeld abzusehen.|Es war ein Notfall; ich "
                "bitte um Nachsicht.]",
                "[Das Verwarnungsgeld von {fine} werde ich fristgerecht überweisen.|Den Betrag von "
                "{fine} habe ich heute überwiesen.]",
            ),
            Opt("Ich bitte um Bestätigung."),
        ],
        values,
    )
    return letter_doc(
        ctx, sender=citizen, department="107", subject=_subject(ctx, values), body=body
    )


def _lawyer(ctx: Ctx, values: dict):
    firm, lawyer = law_firm_make(ctx)
    client = person_make(ctx)
    values = {
        **values,
        "client": client.name,
        "mandant": "unserer Mandantin" if client.gender == "f" else "unseres Mandanten",
        "silent": "Unsere Mandantin" if client.gender == "f" else "Unser Mandant",
    }
    body = ctx.paragraphs(
        [
            "[in der Bußgeldsache gegen {client} zeigen wir die Verteidigung an.|hiermit zeigen "
            "wir an, dass wir {client} im Bußgeldverfahren wegen des Vorwurfs vom {when} "
            "verteidigen.] Eine Vollmacht ist beigefügt.",
            "Namens und im Auftrag {mandant} beantragen wir Akteneinsicht[, insbesondere "
            "in das Messprotokoll, den Eichschein und die Schulungsnachweise des Messpersonals|].",
            "[Eine Stellungnahme erfolgt nach Einsicht in die Akte.|Bis dahin wird sich {silent} "
            "zur Sache nicht äußern.]",
            Opt(
                "Wir bitten, die Akte an unsere Kanzlei zu übersenden; sie wird umgehend "
                "zurückgegeben."
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=firm,
        signer=lawyer,
        role="Rechtsanwältin" if lawyer.gender == "f" else "Rechtsanwalt",
        department="107",
        letterhead=f"{firm.name}\n{firm.street} · {firm.town_line}",
        subject=ctx.fill("Bußgeldverfahren gegen {client}", values) + _refline(values, ctx),
        body=body,
        enclosures=["Vollmacht"],
    )


def _email(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[ich habe Ihren Anhörungsbogen wegen {offence} bekommen.|zu dem Vorwurf vom {when} "
            "möchte ich Folgendes sagen:]",
            One(
                "Ich habe dort nur kurz gehalten, um Einkäufe für meine kranke Nachbarin "
                "auszuladen. Ein Parkplatz war weit und breit nicht frei.",
                "Das Foto ist so unscharf, dass man den Fahrer nicht erkennen kann. Ich war es "
                "nicht.",
                "Ich habe einen gültigen Parkschein gehabt; er lag nur umgedreht im Auto.",
            ),
            Opt(
                "[Ich bitte, das Verfahren einzustellen.|Vielleicht können Sie von einem "
                "Bußgeld absehen.]"
            ),
        ],
        values,
    )
    subject = ctx.fill("[Anhörungsbogen|Anhörung {plate}|Ihr Schreiben]", values) + (
        f" – {values['ref']}" if values["ref"] else ""
    )
    return email_doc(ctx, sender=citizen, subject=subject.replace("\n", ""), body=body)


def _fleet(ctx: Ctx, values: dict):
    company = company_make(
        ctx, trade=ctx.pick(["Logistik", "Transporte", "Pflegedienst", "Sanitär"])
    )
    driver = person_make(ctx)
    clerk = person_make(ctx)
    values = {
        **values,
        "driver": driver.name,
        "driver_address": f"{driver.street}, {driver.town_line}",
    }
    body = ctx.paragraphs(
        [
            "[zu Ihrem Zeugenfragebogen|zu Ihrem Schreiben] vom {letter_date} teilen wir mit, "
            "dass das Fahrzeug {plate} auf unser Unternehmen zugelassen ist.",
            "[Zum Tatzeitpunkt wurde es von unserem Mitarbeiter {driver}, {driver_address}, "
            "geführt.|Fahrer war laut Fahrtenbuch {driver}, {driver_address}.]",
            Opt("Eine Kopie des Fahrtenbuchs liegt bei."),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=company,
        signer=clerk,
        role="Fuhrparkverwaltung",
        department="107",
        letterhead=f"{company.name}\n{company.street} · {company.town_line}",
        subject=ctx.fill("[Zeugenfragebogen|Anhörung – Halterauskunft] {plate}", values)
        + _refline(values, ctx),
        body=body,
    )


def _form(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    admitted = ctx.chance(0.5)
    remark = ctx.pick(
        [
            "Ich habe nur kurz zum Ausladen gehalten.",
            "Bitte um Ratenzahlung.",
            "Es tut mir leid, kommt nicht wieder vor.",
            "",
        ]
        if admitted
        else [
            "Ich war nicht der Fahrer.",
            "Das Schild war zugewachsen und nicht zu sehen.",
            "Ich hatte einen gültigen Parkschein.",
            "",
        ]
    )
    blocks = [
        Block(
            "fields",
            rows=[
                *([("Aktenzeichen", values["ref"])] if values["ref"] else []),
                ("Tatvorwurf", values["offence"]),
                ("Tatzeit", f"{values['when']}, {values['time']}"),
                ("Tatort", f"Wuppertal, {values['place']}"),
                ("Kennzeichen", values["plate"]),
            ],
        ),
        Block("section", "Angaben zur Person"),
        Block(
            "fields",
            rows=[
                ("Name, Vorname", f"{citizen.last_name}, {citizen.first_name}"),
                ("Geburtsdatum", ctx.date(birthday_make(ctx))),
                ("Anschrift", f"{citizen.street}, {citizen.town_line}"),
            ],
        ),
        Block("section", "Angaben zur Sache"),
        Block(
            "checks",
            rows=[
                ("Ich gebe den Verstoß zu.", admitted),
                ("Ich gebe den Verstoß nicht zu.", not admitted),
            ],
        ),
    ]
    if remark:
        blocks.append(Block("fields", rows=[("Bemerkungen", remark)]))
    hints = (
        "Sie sind nicht verpflichtet, sich zur Sache zu äußern. Angaben zur Person sind "
        "Pflicht (§ 111 OWiG)."
    )
    return form_doc(
        ctx,
        sender=citizen,
        title=ctx.pick(
            [
                "Anhörungsbogen\nAnhörung im Bußgeldverfahren – Äußerung des Betroffenen",
                "Anhörung im Bußgeldverfahren\nBitte zurücksenden an: Stadt Wuppertal, "
                "Bußgeldstelle",
            ]
        ),
        blocks=blocks,
        hints=hints,
    )


def _note(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    lines = [
        ctx.fill("[Zum Anhörungsbogen|Betr. Bußgeld|Zu Ihrem Schreiben]")
        + (f" {values['ref']}" if values["ref"] else "")
        + ":",
        ctx.fill(
            "[Ich fahre das Auto nicht, meine Frau fährt.|Ich war das nicht.|Ich zahle, "
            "bitte in Raten.|Bin nur kurz ausgestiegen.]"
        ),
    ]
    return note_doc(ctx, sender=citizen, lines=lines, address=0.7)


VARIANTS = [_not_driver, _admit, _lawyer, _email, _fleet, _form, _form, _note]


EXTRAS = [
    "[An dem Tag herrschte starker Regen und die Sicht war schlecht.|Es war dunkel, und die "
    "Beschilderung war kaum zu erkennen.]",
    "[Ich fahre seit über 30 Jahren unfallfrei und habe keine Punkte in Flensburg.|Ich bin "
    "beruflich auf meinen Führerschein angewiesen.]",
    "[Die Messstelle in der {place} ist nach meiner Beobachtung kaum erkennbar.|In der {place} "
    "wechselt die zulässige Geschwindigkeit mehrfach auf kurzer Strecke.]",
    "Ich bitte Sie, das Verfahren [einzustellen|wegen Geringfügigkeit einzustellen] oder "
    "zumindest das Verwarnungsgeld zu ermäßigen.",
    "[Ein Foto der Situation vor Ort füge ich bei.|Zeugen können meine Angaben bestätigen.]",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
