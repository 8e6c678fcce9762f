"""Anregung oder Beschwerde: noise, litter, waiting times, parking, dog mess, Kita closures,
slow processing, suggestions under § 24 GO NRW. Many mention another department's topic."""

from bench.intake.layouts import Block
from bench.intake.letters.common import email_doc, lengthen, letter_doc, note_doc, ref_ours
from bench.intake.people import SURNAMES, company_make, person_make
from bench.intake.wording import Ctx, One, Opt

# topic, department that would be concerned, sentences describing the problem
TOPICS = [
    (
        "Lärm",
        "106",
        [
            "Seit Wochen wird in der Kneipe an der Ecke bis tief in die Nacht laute Musik "
            "gespielt.",
            "Die Gäste stehen bis 2 Uhr nachts rauchend und laut redend vor der Tür.",
            "Trotz mehrfacher Anrufe beim Ordnungsamt hat sich nichts geändert.",
        ],
    ),
    (
        "Müll",
        "104",
        [
            "An der Glascontainerstelle liegt seit Tagen Sperrmüll, inzwischen auch "
            "Elektroschrott.",
            "Die Papierkörbe im Park werden viel zu selten geleert und quellen über.",
            "Ratten wurden bereits mehrfach gesichtet.",
        ],
    ),
    (
        "Wartezeit im Bürgerbüro",
        "102",
        [
            "Für einen neuen Personalausweis habe ich erst in sieben Wochen einen Termin bekommen.",
            "Ich wollte nur eine Meldebescheinigung abholen und habe über zwei Stunden gewartet.",
            "Die Online-Terminvergabe funktioniert seit Tagen nicht.",
        ],
    ),
    (
        "Parksituation",
        "104",
        [
            "Seit Einführung des Bewohnerparkens finden wir als Anwohner abends trotzdem keinen "
            "Parkplatz.",
            "Fremdparker stellen sich ohne Bewohnerparkausweis in unsere Zone und werden nie "
            "kontrolliert.",
            "Die Gebühr für den Bewohnerparkausweis ist deutlich gestiegen, ohne dass sich etwas "
            "verbessert hat.",
        ],
    ),
    (
        "Hundekot",
        "201",
        [
            "Auf dem Spielplatz liegt ständig Hundekot, obwohl dort Hunde verboten sind.",
            "Ich zahle Hundesteuer und entsorge die Hinterlassenschaften meines Hundes; andere tun "
            "das offenbar nicht.",
            "Es fehlen Spender für Hundekotbeutel und Mülleimer.",
        ],
    ),
    (
        "Kita-Schließtage",
        "302",
        [
            "Die Kita unserer Tochter war in diesem Jahr bereits an 14 Tagen zusätzlich "
            "geschlossen.",
            "Wir Eltern erfahren von den Schließungen oft erst am Vorabend.",
            "Für Berufstätige ist diese Betreuungssituation nicht mehr tragbar.",
        ],
    ),
    (
        "Bearbeitungsdauer Wohngeld",
        "301",
        [
            "Meinen Wohngeldantrag habe ich vor fünf Monaten gestellt und noch keinen Bescheid.",
            "Telefonisch ist niemand zu erreichen, und E-Mails werden nicht beantwortet.",
            "Ich kann meine Miete kaum noch bezahlen.",
        ],
    ),
    (
        "Baustelle",
        "105",
        [
            "Die Baustelle gegenüber beginnt jeden Morgen um 6 Uhr mit lauten Arbeiten.",
            "Der Gehweg ist seit Monaten gesperrt, ohne dass dort gearbeitet wird.",
            "Kinder müssen auf dem Schulweg auf die Fahrbahn ausweichen.",
        ],
    ),
    (
        "Straßenbeleuchtung",
        "104",
        [
            "In unserer Straße sind seit Wochen drei Laternen defekt.",
            "Abends ist der Weg zur Schwebebahnstation völlig dunkel.",
            "Gerade ältere Menschen trauen sich im Dunkeln nicht mehr auf die Straße.",
        ],
    ),
    (
        "Unfreundlichkeit",
        "102",
        [
            "Die Mitarbeiterin am Schalter war ausgesprochen unfreundlich.",
            "Meine Fragen wurden nicht beantwortet, stattdessen wurde ich weggeschickt.",
            "So stelle ich mir eine bürgerfreundliche Verwaltung nicht vor.",
        ],
    ),
]
SUGGESTIONS = [
    "Sitzbänke entlang der Nordbahntrasse zwischen Mirke und Wichlinghausen aufzustellen",
    "am Laurentiusplatz öffentliche Toiletten einzurichten",
    "einen sicheren Radweg auf der Friedrich-Ebert-Straße einzurichten",
    "auf dem Spielplatz Hombüchel ein Sonnensegel anzubringen",
    "die Ampelphase für Fußgänger am Alten Markt zu verlängern",
    "in Cronenberg einen Trinkwasserbrunnen aufzustellen",
]


def _facts(ctx: Ctx) -> dict:
    topic, department, sentences = ctx.pick(TOPICS)
    street = ctx.pick(
        ["Luisenstraße", "Gathe", "Werth", "Kaiserstraße", "Hochstraße", "Sedanstraße"]
    )
    return {
        "topic": topic,
        "department": department,
        "sentences": sentences,
        "street": street,
        "since": ctx.date(ctx.days_before(14, 120, weekday=False)),
        "visit": ctx.date(ctx.days_before(2, 20)),
        "suggestion": ctx.pick(SUGGESTIONS),
        "ref": ctx.reference(ref_ours(ctx, department)) if ctx.chance(0.2) else "",
    }


def _describe(ctx: Ctx, values: dict, count: int) -> str:
    sentences = list(values["sentences"])
    ctx.rng.shuffle(sentences)
    return " ".join(sentences[:count])


def _formal(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[hiermit möchte ich mich über folgende Situation beschweren.|ich wende mich heute mit "
            "einer Beschwerde an Sie.|leider sehe ich mich gezwungen, mich zu beschweren.]",
            _describe(ctx, values, ctx.between(2, 3)),
            Opt(
                "[Das betrifft insbesondere die {street}.|Die Situation besteht seit dem {since}.]"
            ),
            Opt(
                "[Ich erwarte, dass sich die Stadt um dieses Problem kümmert.|Ich bitte Sie "
                "dringend, Abhilfe zu schaffen.|Bitte teilen Sie mir mit, was Sie unternehmen "
                "werden.]",
                1.5,
            ),
            Opt(
                "[Ich bin gespannt auf Ihre Antwort.|Über eine Rückmeldung würde ich mich freuen.]"
            ),
        ],
        values,
    )
    subject = ctx.fill(
        "[Beschwerde|Beschwerde: {topic}|Beschwerde über {topic}|Anregung und Beschwerde]",
        {"topic": values["topic"]},
    )
    if values["ref"]:
        subject += f"\nVorgang {values['ref']}"
    return letter_doc(ctx, sender=citizen, department="010", subject=subject, body=body)


def _suggestion(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[gemäß § 24 der Gemeindeordnung NRW reiche ich folgende Anregung ein:|ich möchte "
            "eine Anregung nach § 24 GO NRW einbringen:|ich habe eine Anregung für unsere "
            "Stadt:] Ich rege an, {suggestion}.",
            Opt(
                "[Viele Menschen im Quartier wünschen sich das seit Langem.|Gerade für ältere "
                "Menschen und Familien wäre das eine große Erleichterung.]",
                1.5,
            ),
            Opt(
                "[Ich bitte darum, die Anregung im zuständigen Ausschuss zu beraten.|Bitte "
                "leiten Sie meine Anregung an den Ausschuss für Anregungen und Beschwerden "
                "weiter.]"
            ),
            Opt("[Gern bin ich bereit, mein Anliegen in der Sitzung persönlich vorzutragen.|]"),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="010",
        subject=ctx.fill("[Anregung nach § 24 GO NRW|Anregung|Bürgerantrag]"),
        body=body,
    )


def _email(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            One(
                "[ich bin wirklich verärgert.|so geht das nicht weiter!|ich muss mich leider "
                "beschweren.] " + _describe(ctx, values, 2),
                _describe(ctx, values, 1) + " [Das ist eine Zumutung.|Das kann doch nicht sein.]",
            ),
            Opt(
                "[Ich erwarte eine Antwort.|Bitte kümmern Sie sich darum.|Wer ist dafür "
                "eigentlich zuständig?]",
                1.5,
            ),
        ],
        values,
    )
    subject = ctx.fill(
        "[Beschwerde|{topic}|Beschwerde {topic}|Unmöglicher Zustand]", {"topic": values["topic"]}
    )
    return email_doc(ctx, sender=citizen, subject=subject, body=body, address_in_signature=0.35)


def _long(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    paragraphs = [
        "[ich wohne seit vielen Jahren in der {street} und habe mich bisher nie beschwert.|als "
        "langjährige Bewohnerin und langjähriger Bewohner dieses Viertels wende ich mich heute an "
        "Sie.] [Was sich aber in den letzten Monaten entwickelt hat, kann ich nicht länger "
        "hinnehmen.|Inzwischen ist die Lage jedoch unerträglich geworden.]",
        _describe(ctx, values, 3),
        "[Am {visit} habe ich mich bereits telefonisch an die Stadt gewandt. Man hat mir "
        "zugesagt, sich zu kümmern. Passiert ist seitdem nichts.|Ich habe mich bereits am "
        "{visit} gemeldet, aber nie eine Antwort erhalten.]",
        "Dabei geht es nicht nur um mich. [Viele Nachbarinnen und Nachbarn sehen das genauso, "
        "einige haben bereits überlegt wegzuziehen.|Auch die Kinder im Haus und die älteren "
        "Nachbarn leiden unter der Situation.] [Ich frage mich, wofür wir eigentlich Steuern "
        "zahlen.|Ich hätte von meiner Stadt mehr erwartet.]",
        Opt(
            "Ich möchte daher anregen, {suggestion}, und bitte gleichzeitig darum, das "
            "geschilderte Problem zeitnah zu beheben.",
            1.2,
        ),
        Opt(
            "Ich habe Fotos gemacht, die ich Ihnen gern zur Verfügung stelle. Außerdem habe ich "
            "Protokoll geführt, wann die Störungen auftreten. Dieses Protokoll füge ich bei."
        ),
        Opt(
            "Bitte teilen Sie mir schriftlich mit, welche Maßnahmen Sie ergreifen werden und "
            "bis wann. Sollte ich bis Ende des Monats nichts von Ihnen hören, werde ich mich an "
            "die Bezirksvertretung und an die Presse wenden."
        ),
    ]
    body = ctx.paragraphs(paragraphs, values)
    return letter_doc(
        ctx,
        sender=citizen,
        department="010",
        subject=ctx.fill(
            "[Beschwerde über die Zustände in der {street}|Beschwerde – {topic}]", values
        ),
        body=body,
    )


def _note(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    lines = [
        _describe(ctx, values, 1),
        ctx.fill("[Bitte tun Sie endlich was!|Das muss sich ändern.|Bitte kümmern!]"),
    ]
    return note_doc(ctx, sender=citizen, lines=lines, address=0.4)


NEIGHBOURHOOD = {"Lärm", "Müll", "Parksituation", "Hundekot", "Baustelle", "Straßenbeleuchtung"}


def _association(ctx: Ctx, values: dict):
    topic, _, sentences = ctx.pick([t for t in TOPICS if t[0] in NEIGHBOURHOOD])
    values = {**values, "topic": topic, "sentences": sentences}
    name = ctx.pick(
        [
            "Bürgerverein Ölberg e.V.",
            "Nachbarschaftsinitiative Luisenviertel",
            "Interessengemeinschaft Wichlinghausen e.V.",
            "Bürgerforum Ronsdorf e.V.",
        ]
    )
    association = company_make(ctx, trade="Verein", forms=("e.V.",), wuppertal=1.0)
    association.name = name
    chair = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[im Namen unserer Mitglieder|im Auftrag des Vorstands und vieler Anwohnerinnen und "
            "Anwohner] [wenden wir uns mit einer Beschwerde an Sie.|tragen wir Ihnen folgende "
            "Beschwerde vor.]",
            _describe(ctx, values, ctx.between(2, 3)),
            "[Wir regen an, {suggestion}.|Wir bitten um ein Gespräch vor Ort.]",
            Opt("Die Unterschriften von [42|57|118] Anwohnerinnen und Anwohnern sind beigefügt."),
        ],
        values,
    )
    doc = letter_doc(
        ctx,
        sender=association,
        signer=chair,
        role="Vorsitz",
        department="010",
        letterhead=f"{name}\n{association.street} · {association.town_line}",
        subject=ctx.fill(
            "[Beschwerde und Anregung|Gemeinsame Beschwerde der Anwohner: {topic}]", values
        ),
        body=body,
    )
    if ctx.length == "long":
        rows = [("Nr.", "Name", "Anschrift", "Unterschrift")]
        for number in range(1, ctx.between(10, 18)):
            neighbour = person_make(ctx, surname=ctx.pick(SURNAMES))
            rows.append((str(number), neighbour.name, neighbour.street, ""))
        doc.blocks += [
            Block("pagebreak"),
            Block("heading", "Unterschriftenliste"),
            Block("table", rows=rows),
        ]
    return doc


VARIANTS = [_formal, _formal, _suggestion, _email, _long, _note, _association]


EXTRAS = [
    "[Ich habe die Situation über mehrere Wochen beobachtet und dokumentiert.|Meine Nachbarn "
    "können das bestätigen.]",
    "[Besonders ärgerlich ist, dass sich niemand zuständig fühlt.|Jede Stelle verweist auf eine "
    "andere.]",
    "[Ich bin seit über 20 Jahren in Wuppertal zu Hause und liebe diese Stadt.|Eigentlich lebe "
    "ich gern in diesem Viertel.] [Umso mehr ärgert mich diese Entwicklung.|Gerade deshalb "
    "schreibe ich Ihnen.]",
    "Ich rege an, {suggestion}.",
    "[Ich bitte um eine schriftliche Antwort, was die Stadt unternehmen wird.|Bitte teilen Sie "
    "mir mit, wer sich um die Angelegenheit kümmert.]",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
