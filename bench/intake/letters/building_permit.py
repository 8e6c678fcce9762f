"""Bauantragsunterlagen: architects' applications with their list of documents, documents sent
later, building descriptions, owners' enquiries, notices of the start of building work."""

from bench.intake.layouts import Block, Doc, style_make
from bench.intake.letters.common import (
    email_doc,
    lengthen,
    letter_doc,
    note_doc,
    ref_building,
    ref_ours,
)
from bench.intake.people import STREETS, company_make, person_make
from bench.intake.wording import Ctx, Opt

PROJECTS = [
    "Neubau eines Einfamilienhauses mit Garage",
    "Anbau eines Wintergartens",
    "Errichtung eines Carports",
    "Ausbau des Dachgeschosses zu Wohnraum",
    "Nutzungsänderung eines Ladenlokals in ein Café",
    "Neubau eines Mehrfamilienhauses mit 8 Wohneinheiten und Tiefgarage",
    "Abbruch einer Lagerhalle",
    "Aufstockung eines Wohngebäudes",
]
DOCUMENTS = [
    "Bauantragsformular (dreifach)",
    "Amtlicher Lageplan",
    "Bauzeichnungen (Grundrisse, Schnitte, Ansichten)",
    "Baubeschreibung",
    "Berechnung der Wohnfläche und des umbauten Raums",
    "Standsicherheitsnachweis",
    "Nachweis des Wärmeschutzes",
    "Stellplatznachweis",
    "Entwässerungsplan",
    "Nachweis der Bauvorlageberechtigung",
]
GEMARKUNGEN = ["Elberfeld", "Barmen", "Vohwinkel", "Cronenberg", "Ronsdorf", "Langerfeld"]


def _facts(ctx: Ctx) -> dict:
    street, postcode, _ = ctx.pick(STREETS)
    roll = ctx.rng.random()
    if roll < 0.45:
        ref = ctx.reference(ref_building(ctx))
    elif roll < 0.65:
        ref = ctx.reference(ref_ours(ctx, "105"))
    else:
        ref = ""
    return {
        "project": ctx.pick(PROJECTS),
        "site": f"{street} {ctx.between(1, 150)}, {postcode} Wuppertal",
        "parcel": f"Gemarkung {ctx.pick(GEMARKUNGEN)}, Flur {ctx.between(1, 60)}, Flurstück "
        f"{ctx.between(10, 1999)}",
        "ref": ref,
        "requested": ctx.date(ctx.days_before(10, 45)),
        "begin": ctx.date(ctx.days_after(10, 40)),
        "documents": ctx.sample(DOCUMENTS, ctx.between(3, 8)),
    }


def _refline(ctx: Ctx, values: dict) -> str:
    if not values["ref"]:
        return ""
    return "\n" + ctx.pick(["Aktenzeichen", "Az.", "Ihr Zeichen"]) + ": " + values["ref"]


def _architect(ctx: Ctx):
    office = company_make(ctx, trade="Architekten", forms=("PartGmbB", "GmbH", "BDA"))
    architect = person_make(ctx, surname=office.last_name)
    return office, architect


def _application(ctx: Ctx, values: dict):
    office, architect = _architect(ctx)
    owner = person_make(ctx)
    values = {**values, "owner": owner.name}
    body = ctx.paragraphs(
        [
            "[im Auftrag unserer Bauherrschaft {owner} reichen wir den Bauantrag für das Vorhaben "
            "„{project}“ ein.|namens der Bauherrschaft {owner} beantragen wir die Baugenehmigung "
            "für folgendes Vorhaben: {project}.]",
            "Baugrundstück: {site}\n{parcel}",
            "[Folgende Bauvorlagen sind beigefügt:|Anbei erhalten Sie die Bauvorlagen:]",
            Opt(
                "[Die Bauherrschaft bittet um eine zügige Bearbeitung, da die Finanzierung "
                "befristet ist.|Für Rückfragen und Abstimmungen stehen wir jederzeit zur "
                "Verfügung.]"
            ),
        ],
        values,
    )
    doc = letter_doc(
        ctx,
        sender=office,
        signer=architect,
        role="Architekt/in",
        department="105",
        letterhead=f"{office.name}\n{office.street} · {office.town_line} · {office.phone}",
        subject=ctx.fill("[Bauantrag|Antrag auf Baugenehmigung]: {project}", values),
        body=body,
    )
    # the list of documents belongs after the sentence that announces it
    position = next(i for i, b in enumerate(doc.blocks) if b.text.startswith(("Folgende", "Anbei")))
    doc.blocks.insert(position + 1, Block("list", rows=[(item,) for item in values["documents"]]))
    return doc


def _later(ctx: Ctx, values: dict):
    office, architect = _architect(ctx)
    body = ctx.paragraphs(
        [
            "[mit Schreiben vom {requested} haben Sie weitere Unterlagen angefordert.|bezugnehmend "
            "auf Ihre Nachforderung vom {requested} reichen wir folgende Unterlagen nach:]",
            "[Wir übersenden: {docs}.|Anbei: {docs}.]",
            Opt(
                "[Damit sollten die Bauvorlagen vollständig sein.|Wir bitten, die Bearbeitung "
                "fortzusetzen.]"
            ),
        ],
        {**values, "docs": ", ".join(values["documents"][:3])},
    )
    return letter_doc(
        ctx,
        sender=office,
        signer=architect,
        role="Architekt/in",
        department="105",
        letterhead=f"{office.name}\n{office.street} · {office.town_line}",
        subject=ctx.fill(
            "[Nachreichung von Bauvorlagen|Nachforderung Unterlagen] – {project}", values
        )
        + _refline(ctx, values),
        body=body,
    )


def _description(ctx: Ctx, values: dict):
    office, architect = _architect(ctx)
    owner = person_make(ctx)
    sections = [
        ("1. Vorhaben", ctx.fill("{project} auf dem Grundstück {site} ({parcel}).", values)),
        (
            "2. Bauweise",
            ctx.fill(
                "[Massivbauweise, Außenwände Kalksandstein mit "
                "Wärmedämmverbundsystem.|Holzrahmenbauweise auf Stahlbetonbodenplatte.]"
            ),
        ),
        (
            "3. Dach",
            ctx.fill(
                "[Satteldach, 35 Grad Neigung, Dachziegel anthrazit.|Flachdach, "
                "extensiv begrünt.|Pultdach mit Photovoltaikanlage.]"
            ),
        ),
        (
            "4. Haustechnik",
            ctx.fill(
                "[Luft-Wasser-Wärmepumpe mit Fußbodenheizung.|Anschluss an das Fernwärmenetz.]"
            ),
        ),
        (
            "5. Stellplätze",
            ctx.fill(
                "[Zwei Stellplätze auf dem Grundstück, davon einer im Carport.|"
                "Der Stellplatznachweis ist beigefügt.]"
            ),
        ),
        ("6. Entwässerung", "Anschluss an den öffentlichen Mischwasserkanal."),
    ]
    blocks = [Block("letterhead", f"{office.name}\n{office.street} · {office.town_line}")]
    blocks.append(Block("heading", "Baubeschreibung"))
    blocks.append(
        Block(
            "fields",
            rows=[
                ("Bauherrschaft", f"{owner.name}, {owner.street}, {owner.town_line}"),
                ("Entwurfsverfasser", f"{architect.name}, {office.name}"),
            ],
        )
    )
    if values["ref"]:
        blocks.append(Block("fields", rows=[("Aktenzeichen", values["ref"])]))
    notes = [
        "Alle Ausführungen entsprechen den anerkannten Regeln der Technik und der "
        "Landesbauordnung NRW.",
        "Die Details sind den beigefügten Bauzeichnungen zu entnehmen.",
        "Abweichungen werden rechtzeitig mit der Bauaufsicht abgestimmt.",
        "Die Baustoffe werden regional bezogen.",
    ]
    ctx.rng.shuffle(notes)
    for title, text in sections:
        blocks.append(Block("section", title))
        blocks.append(Block("para", text))
        if ctx.length == "long" and notes:
            blocks.append(Block("para", notes.pop()))
    blocks.append(Block("fields", rows=[("Ort, Datum", f"{office.town}, {ctx.date(ctx.today)}")]))
    blocks.append(
        Block("signature", rows=[(architect.name, True), ("Entwurfsverfasser/in", False)])
    )
    return Doc("form", blocks, office, style_make(ctx, "form"))


def _owner(ctx: Ctx, values: dict):
    owner = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[ich plane auf meinem Grundstück {site} folgendes Vorhaben: {project}.|wir möchten "
            "an unserem Haus ({site}) bauen: {project}.]",
            "[Ich bitte um Auskunft, ob dafür eine Baugenehmigung erforderlich ist.|Hiermit "
            "stelle ich eine Bauvoranfrage.|Welche Unterlagen muss ich einreichen?]",
            Opt("Eine Skizze und ein Auszug aus der Flurkarte liegen bei ({parcel})."),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=owner,
        department="105",
        subject=ctx.fill("[Bauvoranfrage|Anfrage Baugenehmigung|Bauvorhaben {site}]", values)
        + _refline(ctx, values),
        body=body,
    )


def _email(ctx: Ctx, values: dict):
    office, architect = _architect(ctx)
    body = ctx.paragraphs(
        [
            "[anbei senden wir Ihnen wie besprochen den überarbeiteten Stellplatznachweis|im "
            "Anhang finden Sie die geänderten Bauzeichnungen] für das Vorhaben {project}, {site}.",
            Opt(
                "[Die Originale folgen per Post.|Die Unterlagen reichen wir zusätzlich in "
                "Papierform ein.]",
                1.5,
            ),
        ],
        values,
    )
    subject = ctx.fill("[Bauantrag {site}|Unterlagen Bauantrag|Nachreichung]", values) + (
        f" – Az. {values['ref']}" if values["ref"] else ""
    )
    return email_doc(
        ctx,
        sender=office,
        subject=subject,
        body=body,
        formal=True,
        signature_lines=[architect.name, office.name],
    )


def _start(ctx: Ctx, values: dict):
    owner = person_make(ctx)
    site_manager = person_make(ctx)
    values = {**values, "manager": site_manager.name, "manager_phone": site_manager.phone}
    body = ctx.paragraphs(
        [
            "[hiermit zeigen wir den Beginn der Bauarbeiten am {begin} an.|für das genehmigte "
            "Vorhaben {project} zeigen wir den Baubeginn zum {begin} an.]",
            "Bauleiter ist {manager}, Telefon {manager_phone}.",
            Opt(
                "Der Standsicherheitsnachweis wurde von einem staatlich anerkannten "
                "Sachverständigen geprüft; die Bescheinigung liegt bei."
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=owner,
        department="105",
        subject="Baubeginnsanzeige" + _refline(ctx, values),
        body=body,
    )


def _note(ctx: Ctx, values: dict):
    owner = person_make(ctx)
    lines = [
        ctx.fill(
            "[Anbei die geänderten Pläne|Hier die fehlenden Unterlagen] zum Bauantrag {site}.",
            values,
        )
    ]
    if values["ref"]:
        lines.append(f"Aktenzeichen {values['ref']}")
    return note_doc(ctx, sender=owner, lines=lines, address=0.7)


VARIANTS = [_application, _application, _later, _description, _owner, _email, _start, _note]


EXTRAS = [
    "[Die Nachbarn sind über das Vorhaben informiert und haben keine Einwände.|Die Zustimmung der "
    "Nachbarn liegt schriftlich vor.]",
    "[Das Grundstück liegt im Geltungsbereich eines Bebauungsplans.|Für das Grundstück gibt es "
    "keinen Bebauungsplan.]",
    "[Die Zufahrt erfolgt über die vorhandene Einfahrt.|Baumfällungen sind nicht erforderlich.]",
    "Lage: {parcel}.",
    "[Wir bitten um Mitteilung, falls Unterlagen fehlen.|Für eine Abstimmung vor Ort stehen wir "
    "gern zur Verfügung.]",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
