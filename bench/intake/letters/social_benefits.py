"""Wohngeld / Sozialleistungen: first applications, renewals, changes of income or rent, new
bank accounts, education and participation benefits, missing documents."""

from decimal import Decimal

from bench.intake.layouts import Block
from bench.intake.letters.common import (
    email_doc,
    form_doc,
    lengthen,
    letter_doc,
    note_doc,
    ref_az,
    ref_ours,
)
from bench.intake.people import company_make, iban_make, person_make
from bench.intake.wording import Ctx, One, Opt


def _facts(ctx: Ctx) -> dict:
    roll = ctx.rng.random()
    if roll < 0.5:
        ref = ctx.reference(ref_ours(ctx, "301"))
    elif roll < 0.65:
        ref = ctx.reference(ref_az(ctx))
    else:
        ref = ""
    rent = Decimal(ctx.between(380, 980))
    return {
        "ref": ref,
        "rent": ctx.amount(rent),
        "new_rent": ctx.amount(rent + ctx.between(20, 90)),
        "income": ctx.amount(
            Decimal(ctx.between(900, 2600)) + Decimal(ctx.pick([0, 50, 37])) / 100
        ),
        "ends": ctx.date(ctx.days_after(20, 70)),
        "from": ctx.date(ctx.days_after(1, 40).replace(day=1)),
        "changed": ctx.date(ctx.days_before(5, 60).replace(day=1)),
        "iban": ctx.iban(iban_make(ctx)),
        "persons": str(ctx.between(1, 5)),
        "trip": ctx.amount(Decimal(ctx.between(90, 420))),
        "school": ctx.pick(
            [
                "Gesamtschule Barmen",
                "Grundschule Hombüchel",
                "Gymnasium Sedanstraße",
                "Realschule Neue Friedrichstraße",
            ]
        ),
    }


def _refline(ctx: Ctx, values: dict) -> str:
    if not values["ref"]:
        return ""
    return (
        "\n"
        + ctx.pick(["Aktenzeichen", "Az.", "Wohngeldnummer", "Ihr Zeichen"])
        + ": "
        + values["ref"]
    )


def _first(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[hiermit beantrage ich Wohngeld (Mietzuschuss) für meine Wohnung.|anbei übersende "
            "ich meinen Antrag auf Wohngeld.|ich möchte einen Antrag auf Mietzuschuss stellen.]",
            "[In meinem Haushalt leben {persons} Personen.|Die Wohnung wird von {persons} "
            "Personen bewohnt.] [Die Bruttokaltmiete beträgt {rent} im Monat.|Meine Miete "
            "beträgt {rent} monatlich.]",
            Opt(
                "[Mein monatliches Nettoeinkommen liegt bei {income}.|Ich verdiene derzeit "
                "{income} netto.]",
                1.3,
            ),
            Opt(
                "[Die Zahlung bitte ich auf mein Konto {iban} vorzunehmen.|Bankverbindung: IBAN "
                "{iban}]"
            ),
            Opt(
                "[Mietvertrag, Mietbescheinigung und die Lohnabrechnungen der letzten drei "
                "Monate liegen bei.|Die erforderlichen Nachweise füge ich bei.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="301",
        subject=ctx.fill("[Antrag auf Wohngeld|Wohngeldantrag|Antrag auf Mietzuschuss]"),
        body=body,
        enclosures=(
            ctx.sample(
                [
                    "Wohngeldantrag",
                    "Mietbescheinigung",
                    "Lohnabrechnungen",
                    "Kontoauszüge",
                    "Mietvertrag",
                ],
                3,
            )
            if ctx.chance(0.6)
            else None
        ),
    )


def _renewal(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[mein Wohngeld wird nur noch bis zum {ends} gezahlt.|der Bewilligungszeitraum meines "
            "Wohngeldes endet am {ends}.] [Hiermit beantrage ich die Weiterleistung.|Ich stelle "
            "hiermit den Weiterleistungsantrag.]",
            "[Meine Verhältnisse haben sich nicht geändert.|Seit dem letzten Antrag ist die Miete "
            "auf {new_rent} gestiegen.]",
            Opt("Die aktuellen Einkommensnachweise liegen bei."),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="301",
        subject=ctx.fill("[Weiterleistungsantrag Wohngeld|Antrag auf Weiterbewilligung]")
        + _refline(ctx, values),
        body=body,
    )


def _change(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[hiermit teile ich Ihnen eine Änderung mit:|ich möchte Ihnen eine Änderung meiner "
            "Verhältnisse mitteilen.]",
            One(
                "Seit dem {changed} beträgt mein Einkommen nur noch {income} netto, weil ich in "
                "Kurzarbeit bin.",
                "Meine Miete wurde zum {changed} von {rent} auf {new_rent} erhöht. Das "
                "Mieterhöhungsschreiben liegt bei.",
                "Am {changed} ist unser zweites Kind geboren; der Haushalt besteht jetzt aus "
                "{persons} Personen.",
                "Meine Tochter ist zum {changed} ausgezogen.",
            ),
            Opt(
                "[Ich bitte, das Wohngeld neu zu berechnen.|Bitte berücksichtigen Sie die "
                "Änderung ab dem nächsten Monat.]",
                1.5,
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="301",
        subject=ctx.fill("[Änderungsmitteilung|Mitteilung einer Änderung – Wohngeld]")
        + _refline(ctx, values),
        body=body,
    )


def _email_account(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            One(
                "ich habe ein neues Konto. Bitte überweisen Sie mein Wohngeld ab dem {from} auf "
                "folgende IBAN: {iban}",
                "wie ist der Stand meines Wohngeldantrags? Ich habe vor Wochen alles eingereicht.",
                "anbei die fehlenden Kontoauszüge für meinen Wohngeldantrag.",
            ),
            Opt("[Mein Aktenzeichen ist {ref}.|]") if values["ref"] else "",
            Opt("[Danke für Ihre Hilfe.|Bitte melden Sie sich, falls noch etwas fehlt.]"),
        ],
        values,
    )
    return email_doc(
        ctx,
        sender=citizen,
        subject=ctx.fill("[Wohngeld|Mein Wohngeldantrag|Neue Bankverbindung Wohngeld]"),
        body=body,
    )


def _participation(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    child = person_make(ctx, surname=citizen.last_name)
    values = {**values, "child": child.first_name}
    body = ctx.paragraphs(
        [
            "[für meinen Sohn|für meine Tochter|für mein Kind] {child} beantrage ich Leistungen "
            "für Bildung und Teilhabe.",
            "[Die Klassenfahrt der {school} kostet {trip}.|Es geht um die Kosten der "
            "mehrtägigen Klassenfahrt ({trip}) der {school}.]",
            "[Wir beziehen Wohngeld; der Bescheid liegt bei.|Wir erhalten Kinderzuschlag und "
            "Wohngeld.]",
            Opt(
                "[Bitte überweisen Sie den Betrag direkt an die Schule.|Die Bestätigung der "
                "Schule füge ich bei.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="301",
        subject=ctx.fill(
            "[Antrag auf Leistungen für Bildung und Teilhabe|Bildung und Teilhabe – Klassenfahrt]"
        )
        + _refline(ctx, values),
        body=body,
    )


def _landlord(ctx: Ctx, values: dict):
    landlord = company_make(ctx, trade="Wohnungsverwaltung", forms=("GmbH", "eG"))
    tenant = person_make(ctx)
    values = {
        **values,
        "tenant": tenant.name,
        "tenant_address": f"{tenant.street}, {tenant.town_line}",
    }
    body = ctx.paragraphs(
        [
            "[anbei erhalten Sie die ausgefüllte Mietbescheinigung für|für den Wohngeldantrag "
            "unseres Mieters bestätigen wir die Mietverhältnisse von] {tenant}, {tenant_address}.",
            "Die Grundmiete beträgt {rent}, die Nebenkosten ohne Heizung sind darin enthalten.",
            Opt("Zum {from} wird die Miete auf {new_rent} angepasst."),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=landlord,
        signer=person_make(ctx),
        role="Vermietung",
        department="301",
        letterhead=f"{landlord.name}\n{landlord.street} · {landlord.town_line}",
        subject="Mietbescheinigung für den Wohngeldantrag" + _refline(ctx, values),
        body=body,
    )


def _form(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    change = ctx.pick(["Einkommen", "Miete", "Haushaltsgröße", "Bankverbindung"])
    new_value = {
        "Einkommen": values["income"],
        "Miete": values["new_rent"],
        "Haushaltsgröße": f"{values['persons']} Personen",
        "Bankverbindung": values["iban"],
    }[change]
    blocks = [
        Block(
            "fields",
            rows=[
                ("Name, Vorname", f"{citizen.last_name}, {citizen.first_name}"),
                ("Anschrift", f"{citizen.street}, {citizen.town_line}"),
                *([("Wohngeldnummer", values["ref"])] if values["ref"] else []),
            ],
        ),
        Block("section", "Welche Änderung ist eingetreten?"),
        Block(
            "checks",
            rows=[
                (label, label == change)
                for label in ["Einkommen", "Miete", "Haushaltsgröße", "Bankverbindung"]
            ],
        ),
        Block("fields", rows=[("Neu ab", values["changed"]), ("Neuer Wert", new_value)]),
    ]
    return form_doc(
        ctx,
        sender=citizen,
        title="Mitteilung über Änderungen\nWohngeld – Stadt Wuppertal",
        blocks=blocks,
        hints="Änderungen sind unverzüglich mitzuteilen (§ 27 WoGG).",
    )


def _note(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    lines = [
        ctx.fill(
            "[Anbei die fehlenden Lohnabrechnungen für das Wohngeld.|Hier die "
            "Mietbescheinigung für meinen Wohngeldantrag.|Kontoauszüge für Wohngeld anbei.]"
        ),
    ]
    if values["ref"]:
        lines.append(f"Az. {values['ref']}")
    return note_doc(ctx, sender=citizen, lines=lines, address=0.7)


VARIANTS = [_first, _renewal, _change, _email_account, _participation, _landlord, _form, _note]


EXTRAS = [
    "[Seit der Trennung von meinem Partner lebe ich allein mit den Kindern.|Mein Mann ist seit "
    "Monaten krank und kann nicht arbeiten.]",
    "[Die Nebenkosten sind im letzten Jahr deutlich gestiegen.|Die Heizkostennachzahlung hat "
    "unsere Rücklagen aufgebraucht.]",
    "[Ich habe keine weiteren Einnahmen und kein Vermögen.|Außer meinem Lohn habe ich keine "
    "Einkünfte.]",
    "[Bitte bearbeiten Sie meinen Antrag möglichst zügig, da die nächste Miete fällig ist.|Ich "
    "wäre Ihnen für eine schnelle Bearbeitung sehr dankbar.]",
    "Die Miete beträgt derzeit {rent} im Monat.",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
