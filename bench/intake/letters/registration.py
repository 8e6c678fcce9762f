"""Meldeangelegenheiten: certificates of registration by post, moving abroad, landlords'
confirmations, objections to the passing on of data (which say "Widerspruch" but are no
objection to a decision), second homes."""

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
from bench.intake.people import birthday_make, company_make, person_make
from bench.intake.wording import Ctx, One, Opt

ABROAD = ["Wien", "Zürich", "Amsterdam", "Barcelona", "Istanbul", "Krakau", "Toronto", "Lissabon"]


def _facts(ctx: Ctx) -> dict:
    return {
        "birthday": ctx.date(birthday_make(ctx)),
        "moved": ctx.date(ctx.days_before(3, 30, weekday=False)),
        "moving": ctx.date(ctx.days_after(5, 40)),
        "abroad": ctx.pick(ABROAD),
        "fee": ctx.amount(Decimal(ctx.pick(["5.00", "5.00", "10.00", "12.00"]))),
        "ref": ctx.reference(ref_ours(ctx, "102")) if ctx.chance(0.12) else "",
        "purpose": ctx.pick(
            [
                "für meinen Arbeitgeber",
                "für die Rentenversicherung",
                "für die Anmeldung meines Kindes an einer Schule",
                "für eine Behörde im Ausland",
                "für die Beantragung eines Kredits",
            ]
        ),
    }


def _certificate(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    values = {**values, "name": citizen.name}
    body = ctx.paragraphs(
        [
            "[hiermit bitte ich um Zusendung einer Meldebescheinigung|ich benötige {purpose} eine "
            "Meldebescheinigung|bitte stellen Sie mir eine erweiterte Meldebescheinigung aus].",
            "[Meine Angaben: {name}, geboren am {birthday}.|Ich bin am {birthday} geboren.]",
            One(
                "[Die Gebühr von {fee} habe ich überwiesen.|Die Gebühr in Höhe von {fee} liegt in "
                "bar bei.|Einen Verrechnungsscheck über {fee} füge ich bei.]",
                "Bitte teilen Sie mir mit, wie ich die Gebühr bezahlen kann.",
            ),
            Opt(
                "[Eine Kopie meines Personalausweises liegt bei.|Eine Kopie meines Ausweises "
                "ist beigefügt.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="102",
        subject=ctx.fill(
            "[Antrag auf Meldebescheinigung|Meldebescheinigung|Bitte um eine Meldebescheinigung]"
        ),
        body=body,
    )


def _abroad(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[zum {moving} ziehe ich nach {abroad} und melde mich hiermit ab.|hiermit melde ich "
            "meinen Wohnsitz in Wuppertal zum {moving} ab, da ich nach {abroad} ziehe.]",
            Opt(
                "[Meine Ehefrau|Mein Ehemann|Meine Tochter] zieht mit und wird ebenfalls "
                "abgemeldet.",
                0.8,
            ),
            "[Bitte senden Sie die Abmeldebestätigung an meine neue Anschrift: {abroad_address}."
            "|Die Abmeldebestätigung schicken Sie bitte per E-Mail an {email}.]",
        ],
        {
            **values,
            "abroad_address": f"{ctx.pick(['Hauptstraße', 'Ringstraße', 'Parkweg'])} "
            f"{ctx.between(1, 90)}, {values['abroad']}",
            "email": citizen.email,
        },
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="102",
        subject=ctx.fill("[Abmeldung ins Ausland|Abmeldung wegen Wegzug ins Ausland]"),
        body=body,
    )


def _landlord_form(ctx: Ctx, values: dict):
    landlord = company_make(ctx, trade="Hausverwaltung") if ctx.chance(0.6) else person_make(ctx)
    tenant = person_make(ctx)
    flat = f"{tenant.street}, {tenant.town_line}"
    blocks = [
        Block("section", "Wohnungsgeber"),
        Block(
            "fields",
            rows=[
                ("Name", landlord.name),
                ("Anschrift", f"{landlord.street}, {landlord.town_line}"),
            ],
        ),
        Block("checks", rows=[("Einzug", True), ("Auszug", False)]),
        Block("section", "Angaben zur Wohnung"),
        Block(
            "fields", rows=[("Anschrift der Wohnung", flat), ("Datum des Einzugs", values["moved"])]
        ),
        Block("section", "Meldepflichtige Personen"),
        Block("fields", rows=[("Name, Vorname", f"{tenant.last_name}, {tenant.first_name}")]),
    ]
    if ctx.chance(0.5):
        partner = person_make(ctx, surname=tenant.last_name)
        blocks.append(
            Block("fields", rows=[("Name, Vorname", f"{partner.last_name}, {partner.first_name}")])
        )
    return form_doc(
        ctx,
        sender=landlord,
        title="Wohnungsgeberbestätigung\nnach § 19 Bundesmeldegesetz (BMG)",
        blocks=blocks,
        hints="Es ist verboten, eine Wohnanschrift für eine Anmeldung anzubieten, ohne dass ein "
        "tatsächlicher Bezug der Wohnung beabsichtigt ist (§ 19 Abs. 6 BMG).",
    )


def _data_objection(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "hiermit widerspreche ich der Übermittlung meiner Daten",
            One(
                "an Parteien, Wählergruppen und andere Träger von Wahlvorschlägen im Zusammenhang "
                "mit Wahlen (§ 50 Abs. 1 BMG).",
                "an Adressbuchverlage (§ 50 Abs. 3 BMG).",
                "an Mandatsträger, Presse und Rundfunk über Alters- und Ehejubiläen (§ 50 Abs. 2 "
                "BMG).",
                "an das Bundesamt für das Personalmanagement der Bundeswehr (§ 36 Abs. 2 BMG).",
            ),
            Opt(
                "[Der Widerspruch gilt auch für meine Familie.|Bitte bestätigen Sie mir die "
                "Eintragung der Übermittlungssperre.]"
            ),
        ],
        values,
    )
    body = [body[0] + " " + body[1], *body[2:]]
    return email_doc(
        ctx,
        sender=citizen,
        subject=ctx.fill(
            "[Widerspruch gegen Datenübermittlung|Übermittlungssperre|Widerspruch "
            "nach dem Bundesmeldegesetz]"
        ),
        body=body,
        address_in_signature=0.8,
    )


def _second_home(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[hiermit melde ich meine Nebenwohnung in Wuppertal zum {moving} ab.|meine "
            "Nebenwohnung in der {street} gebe ich zum {moving} auf; bitte melden Sie sie ab.]",
            "[Meine Hauptwohnung bleibt unverändert.|Mein Hauptwohnsitz ist künftig in Köln.]",
            Opt("Eine Bestätigung des Vermieters über den Auszug liegt bei."),
        ],
        {**values, "street": citizen.street},
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="102",
        subject="Abmeldung Nebenwohnung" + (f"\nAz.: {values['ref']}" if values["ref"] else ""),
        body=body,
    )


def _moved_within(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    old = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[ich bin am {moved} innerhalb Wuppertals umgezogen.|seit dem {moved} wohne ich "
            "unter der oben genannten Anschrift.] Meine bisherige Anschrift war {old}.",
            "[Leider bekomme ich keinen Termin im Bürgerbüro innerhalb der Zweiwochenfrist.|Ich "
            "bitte um einen Termin zur Ummeldung.] [Die Wohnungsgeberbestätigung liegt bei.|]",
            Opt(
                "Bitte teilen Sie mir mit, ob ich meinen Personalausweis zur Adressänderung "
                "vorbeibringen muss."
            ),
        ],
        {**values, "old": f"{old.street}, {old.town_line}"},
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="102",
        subject=ctx.fill("[Ummeldung|Umzug innerhalb Wuppertals|Adressänderung]"),
        body=body,
    )


def _note(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    lines = [
        ctx.fill(
            "[Bitte Meldebescheinigung schicken, Geld liegt bei ({fee}).|Bitte eine "
            "Meldebescheinigung für mich.|Brauche Meldebescheinigung {purpose}.]",
            values,
        ),
        ctx.fill("[Geb. {birthday}|]", values),
    ]
    return note_doc(ctx, sender=citizen, lines=[line for line in lines if line], address=0.9)


VARIANTS = [
    _certificate,
    _certificate,
    _abroad,
    _landlord_form,
    _data_objection,
    _second_home,
    _moved_within,
    _note,
]


EXTRAS = [
    "[Ich bin auf die Bescheinigung dringend angewiesen, weil eine Frist läuft.|Die Bescheinigung "
    "wird {purpose} benötigt.]",
    "[Einen Termin im Bürgerbüro habe ich leider nicht bekommen.|Persönlich vorbeizukommen ist "
    "mir wegen einer Erkrankung nicht möglich.]",
    "Mein Geburtsdatum ist der {birthday}.",
    "[Eine Kopie meines Personalausweises füge ich bei.|Bei Bedarf reiche ich eine Ausweiskopie "
    "nach.]",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
