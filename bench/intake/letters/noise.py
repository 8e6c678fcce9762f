"""What makes real mail harder than a template: a second file reference, and an aside on
another type's topic. Added to letters and e-mails of every type, in both sets; the label stays
the letter's main concern."""

from bench.intake.layouts import Block, Doc
from bench.intake.letters.common import (
    DEPARTMENTS,
    ref_az,
    ref_building,
    ref_cash,
    ref_fine,
    ref_ours,
)
from bench.intake.wording import Ctx

# How often a letter quotes one more reference: more often when it quotes one already.
SECOND_REFERENCE = 0.3
ANOTHER_REFERENCE = 0.1
ASIDE = 0.15

SECOND_REFERENCE_TEMPLATES = [
    "[In derselben Angelegenheit|Zu einem anderen Vorgang|Ergänzend] [habe ich|hatte ich] "
    "[bereits|schon früher] unter dem Zeichen {ref} [geschrieben|an Sie geschrieben].",
    "Bitte [beachten Sie auch|verbinden Sie dies mit] [mein Schreiben|meinen Antrag|den "
    "Vorgang] [zum Aktenzeichen|mit dem Zeichen|unter] {ref}.",
    "[Mein früherer Vorgang|Der vorherige Vorgang|Ein älterer Vorgang] ({ref}) ist "
    "[abgeschlossen|erledigt]; [bitte nicht verwechseln.|dieses Schreiben betrifft etwas "
    "anderes.]",
    "[Nur zur Information:|Der Vollständigkeit halber:] [Ihr Zeichen|Az.] in der früheren "
    "Sache war {ref}.",
]

# Asides: one sentence on the topic of another document type.
ASIDES = {
    "objection": [
        "[Gegen den letzten Bescheid habe ich übrigens keinen Widerspruch eingelegt.|Einen "
        "Widerspruch behalte ich mir in der anderen Sache noch vor.]",
    ],
    "parking_application": [
        "[Meinen Bewohnerparkausweis habe ich inzwischen verlängert.|Nebenbei: Der "
        "Bewohnerparkausweis für unser zweites Auto läuft bald ab.]",
    ],
    "business_registration": [
        "[Mein Gewerbe habe ich bereits im Frühjahr angemeldet.|Die Gewerbeanmeldung für meinen "
        "Nebenerwerb reiche ich getrennt ein.]",
    ],
    "fine_hearing_response": [
        "[Das Verwarngeld aus dem Sommer habe ich längst bezahlt.|Zum Anhörungsbogen wegen "
        "der Geschwindigkeit äußere ich mich gesondert.]",
    ],
    "dog_tax": [
        "[Die Hundesteuer für unseren Hund ist übrigens bezahlt.|Nebenbei: Unseren Hund haben "
        "wir schon im letzten Jahr angemeldet.]",
    ],
    "supplier_invoice": [
        "[Ihre Rechnung vom letzten Monat ist übrigens beglichen.|Die Zahlung der offenen "
        "Rechnung ist unterwegs.]",
    ],
    "complaint": [
        "[Ich möchte mich bei der Gelegenheit auch über die lange Wartezeit im Bürgerbüro "
        "beschweren.|Ärgerlich finde ich außerdem, dass der Spielplatz gegenüber verdreckt ist.]",
    ],
    "social_benefits": [
        "[Mein Wohngeld wird derzeit noch geprüft.|Nebenbei: Den Weiterbewilligungsantrag "
        "für das Wohngeld stelle ich getrennt.]",
    ],
    "childcare": [
        "[Unsere Tochter geht inzwischen in die Kita.|Den Kitaplatz für unseren Sohn haben "
        "wir zum Glück bekommen.]",
    ],
    "building_permit": [
        "[Unsere Bauvoranfrage für den Carport läuft noch.|Die Baugenehmigung für den Anbau "
        "haben wir bereits erhalten.]",
    ],
    "registration": [
        "[Umgemeldet habe ich mich bereits im Bürgerbüro.|Die Meldebescheinigung habe ich "
        "schon erhalten.]",
    ],
}


def _other_reference(ctx: Ctx) -> str:
    kind = ctx.pick(["ours", "ours", "az", "cash", "building", "fine"])
    if kind == "ours":
        return ref_ours(ctx, ctx.pick(sorted(DEPARTMENTS)))
    return {"az": ref_az, "cash": ref_cash, "building": ref_building, "fine": ref_fine}[kind](ctx)


def noise_add(ctx: Ctx, doc: Doc, label: str) -> Doc:
    """Perhaps a second reference and perhaps an aside, among the body's paragraphs."""
    if doc.layout not in ("letter", "email"):
        return doc
    paragraphs = [i for i, block in enumerate(doc.blocks) if block.kind == "para"]
    if len(paragraphs) < 2:  # a salutation and at least one paragraph
        return doc
    added = []
    quotes = any(kind == "references" for kind, _printed, _gold in ctx.printed)
    if ctx.chance(SECOND_REFERENCE if quotes else ANOTHER_REFERENCE):
        reference = ctx.reference(_other_reference(ctx))
        added.append(ctx.fill(ctx.pick(SECOND_REFERENCE_TEMPLATES), {"ref": reference}))
    if ctx.chance(ASIDE):
        topic = ctx.pick(sorted(other for other in ASIDES if other != label))
        added.append(ctx.fill(ctx.pick(ASIDES[topic])))
    for text in added:
        at = ctx.pick(paragraphs[1:]) + 1
        doc.blocks.insert(at, Block("para", text))
        paragraphs = [i for i, block in enumerate(doc.blocks) if block.kind == "para"]
    return doc
