"""Kita-Platz: registering need for a place, waiting lists, the legal entitlement, giving
notice, childminders, income declarations for the parents' fee."""

import datetime
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
from bench.intake.people import iban_make, law_firm_make, person_make
from bench.intake.wording import Ctx, One, Opt

KITAS = [
    "Kita Sonnenschein",
    "Kita Regenbogen",
    "Kita Arrenberger Zwerge",
    "Städtische Kita Hombüchel",
    "Familienzentrum Sedansberg",
    "Kita Pusteblume",
    "Kita Wupperknirpse",
]


def _facts(ctx: Ctx) -> dict:
    born = ctx.today - datetime.timedelta(days=ctx.between(150, 1400))
    first, second = ctx.sample(KITAS, 2)
    return {
        "child_born": ctx.date(born, ctx.pick(["numeric", "long"])),
        "start": ctx.date(datetime.date(ctx.today.year + (ctx.today.month > 6), 8, 1)),
        "hours": str(ctx.pick([25, 35, 35, 45])),
        "kita": first,
        "kita2": second,
        "leave": ctx.date(
            (ctx.today + datetime.timedelta(days=45)).replace(day=1) - datetime.timedelta(days=1)
        ),
        "income": ctx.amount(Decimal(ctx.between(18, 95) * 1000)),
        "fee": ctx.amount(Decimal(ctx.between(0, 42) * 10)),
        "ref": ctx.reference(ref_ours(ctx, "302")) if ctx.chance(0.3) else "",
        "iban": ctx.iban(iban_make(ctx)),
    }


def _child(ctx: Ctx, parent) -> tuple[str, str]:
    child = person_make(ctx, surname=parent.last_name)
    return child.first_name, "Sohn" if child.gender == "m" else "Tochter"


def _register(ctx: Ctx, values: dict):
    parent = person_make(ctx)
    name, relation = _child(ctx, parent)
    values = {**values, "child": name, "relation": relation}
    body = ctx.paragraphs(
        [
            "[hiermit melden wir Bedarf an einem Betreuungsplatz für {our_child} {child} an."
            "|wir suchen ab dem {start} einen Kita-Platz für {child}, geboren am {child_born}."
            "|ich möchte {my_child} {child} für einen Kita-Platz vormerken lassen.]",
            "[{child} ist am {child_born} geboren.|Geburtsdatum: {child_born}] [Wir benötigen "
            "einen Platz mit {hours} Wochenstunden ab dem {start}.|Gewünscht sind {hours} "
            "Stunden pro Woche.]",
            "[Unsere Wunscheinrichtungen sind die {kita} und die {kita2}.|Am liebsten wäre uns "
            "die {kita}.]",
            Opt("[Wir sind beide berufstätig.|Ich beginne im Sommer wieder zu arbeiten.]", 1.3),
            Opt("[Bitte bestätigen Sie uns die Vormerkung.|Wie stehen unsere Chancen?]"),
        ],
        {
            **values,
            "our_child": "unseren Sohn" if relation == "Sohn" else "unsere Tochter",
            "my_child": "meinen Sohn" if relation == "Sohn" else "meine Tochter",
        },
    )
    return letter_doc(
        ctx,
        sender=parent,
        department="302",
        subject=ctx.fill(
            "[Anmeldung für einen Kita-Platz|Bedarfsanzeige Kindertagesbetreuung|"
            "Vormerkung Kita-Platz für {child}]",
            values,
        ),
        body=body,
    )


def _waiting(ctx: Ctx, values: dict):
    parent = person_make(ctx)
    name, _ = _child(ctx, parent)
    values = {**values, "child": name}
    body = ctx.paragraphs(
        [
            "[unser Kind {child} steht seit Monaten auf der Warteliste der {kita}.|wir haben "
            "{child} rechtzeitig für einen Kita-Platz ab {start} vorgemerkt.] [Bis heute haben "
            "wir keine Zusage.|Eine Rückmeldung haben wir nie erhalten.]",
            "[Wie ist der Stand?|Können Sie uns sagen, ob wir mit einem Platz rechnen können?]",
            Opt(
                "Ab dem {start} beginne ich wieder zu arbeiten und bin dringend auf die Betreuung "
                "angewiesen."
            ),
        ],
        values,
    )
    subject = ctx.fill("[Warteliste Kita|Kita-Platz für {child}|Nachfrage Kita-Platz]", values)
    return email_doc(
        ctx,
        sender=parent,
        subject=subject + (f" ({values['ref']})" if values["ref"] else ""),
        body=body,
    )


def _entitlement(ctx: Ctx, values: dict):
    firm, lawyer = law_firm_make(ctx)
    parent = person_make(ctx)
    name, _ = _child(ctx, parent)
    values = {
        **values,
        "child": name,
        "parents": f"{'Frau' if parent.gender == 'f' else 'Herrn'} {parent.name}",
    }
    body = ctx.paragraphs(
        [
            "wir vertreten {parents} und das Kind {child}, geboren am {child_born}.",
            "Unsere Mandantschaft hat den Bedarf an einem Betreuungsplatz rechtzeitig angemeldet. "
            "[Ein Platz wurde bis heute nicht nachgewiesen.|Ein Platz wurde bislang nicht "
            "angeboten.]",
            "Wir fordern Sie auf, dem Kind bis zum {start} einen bedarfsgerechten Platz in einer "
            "Tageseinrichtung oder in Kindertagespflege im Umfang von {hours} Wochenstunden "
            "nachzuweisen (§ 24 Abs. 2 SGB VIII).",
            Opt(
                "Andernfalls werden wir ohne weitere Ankündigung gerichtliche Hilfe in Anspruch "
                "nehmen und Ersatz des Verdienstausfalls geltend machen."
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=firm,
        signer=lawyer,
        role="Rechtsanwältin" if lawyer.gender == "f" else "Rechtsanwalt",
        department="302",
        letterhead=f"{firm.name}\n{firm.street} · {firm.town_line}",
        subject=ctx.fill("Rechtsanspruch auf einen Betreuungsplatz – Kind {child}", values)
        + (f"\nIhr Zeichen: {values['ref']}" if values["ref"] else ""),
        body=body,
    )


def _notice(ctx: Ctx, values: dict):
    parent = person_make(ctx)
    name, _ = _child(ctx, parent)
    values = {**values, "child": name}
    body = ctx.paragraphs(
        [
            "[hiermit kündigen wir den Betreuungsplatz unseres Kindes {child} in der {kita} zum "
            "{leave}.|zum {leave} melden wir {child} aus der {kita} ab.]",
            One(
                "Wir ziehen nach Hamburg.",
                "{child} kommt zur Schule.",
                "Wir haben einen Platz in einer Elterninitiative gefunden.",
            ),
            Opt("Bitte stellen Sie die Elternbeiträge zum selben Zeitpunkt ein."),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=parent,
        department="302",
        subject=ctx.fill("[Kündigung Kita-Platz|Abmeldung aus der Kita]")
        + (f"\nAz. {values['ref']}" if values["ref"] else ""),
        body=body,
    )


def _income(ctx: Ctx, values: dict):
    parent = person_make(ctx)
    name, _ = _child(ctx, parent)
    values = {**values, "child": name}
    body = ctx.paragraphs(
        [
            "[anbei erhalten Sie unsere Einkommenserklärung zur Festsetzung des Elternbeitrags "
            "für {child}.|für die Berechnung des Elternbeitrags teilen wir Ihnen unser "
            "Jahreseinkommen mit.]",
            "[Unser Jahreseinkommen beträgt {income}.|Das maßgebliche Jahreseinkommen liegt bei "
            "{income}.]",
            Opt(
                "[Bisher zahlen wir {fee} im Monat.|Für das Geschwisterkind zahlen wir keinen "
                "Beitrag.]"
            ),
            Opt("Die Einkommensnachweise liegen bei."),
            Opt("Die Elternbeiträge buchen Sie bitte künftig von unserem Konto {iban} ab."),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=parent,
        department="302",
        subject="Einkommenserklärung Elternbeitrag"
        + (f" – {values['ref']}" if values["ref"] else ""),
        body=body,
    )


def _form(ctx: Ctx, values: dict):
    parent = person_make(ctx)
    child = person_make(ctx, surname=parent.last_name)
    blocks = [
        Block("section", "Angaben zum Kind"),
        Block(
            "fields",
            rows=[
                ("Name, Vorname", f"{child.last_name}, {child.first_name}"),
                ("Geburtsdatum", values["child_born"]),
            ],
        ),
        Block("section", "Erziehungsberechtigte"),
        Block(
            "fields",
            rows=[
                ("Name, Vorname", f"{parent.last_name}, {parent.first_name}"),
                ("Anschrift", f"{parent.street}, {parent.town_line}"),
                ("Telefon", parent.phone),
            ],
        ),
        Block("section", "Gewünschte Betreuung"),
        Block(
            "fields",
            rows=[
                ("Beginn", values["start"]),
                ("1. Wunsch", values["kita"]),
                ("2. Wunsch", values["kita2"]),
            ],
        ),
        Block(
            "checks",
            "Wochenstunden:",
            rows=[(f"{h} Std.", str(h) == values["hours"]) for h in (25, 35, 45)],
        ),
    ]
    return form_doc(
        ctx,
        sender=parent,
        title=ctx.pick(
            [
                "Vormerkung für einen Platz in der Kindertagesbetreuung",
                "Anmeldung Kindertageseinrichtung\nJugend und Kindertagesbetreuung",
            ]
        ),
        blocks=blocks,
        hints="Eine Vormerkung ist keine Platzzusage.",
    )


def _note(ctx: Ctx, values: dict):
    parent = person_make(ctx)
    name, relation = _child(ctx, parent)
    lines = [
        ctx.fill(
            "[Bitte {child} auf die Warteliste der {kita} setzen.|Kita-Platz für unseren "
            "{relation} {child} (geb. {child_born}) gesucht, ab {start}.]",
            {**values, "child": name, "relation": relation},
        ),
    ]
    return note_doc(ctx, sender=parent, lines=lines, address=0.7)


VARIANTS = [_register, _register, _waiting, _entitlement, _notice, _income, _form, _note]


EXTRAS = [
    "[Wir bitten um eine kurze schriftliche Bestätigung.|Bitte bestätigen Sie uns den Eingang "
    "dieses Schreibens.]",
    "[Unser älteres Kind besucht bereits die {kita}.|Ein Geschwisterkind geht schon in die "
    "{kita}.]",
    "[Mit der Leitung der {kita} haben wir bereits gesprochen.|Die Kita-Leitung ist informiert.]",
    "[Für Rückfragen sind wir am besten abends erreichbar.|Sie erreichen uns am besten per "
    "E-Mail.]",
    "[Die Elternbeiträge zahlen wir per Lastschrift.|Bitte berücksichtigen Sie das auch bei den "
    "Elternbeiträgen.]",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
