"""Hundesteuer An- oder Abmeldung: new dogs, dogs that died or were given away, moves,
reductions and exemptions."""

from decimal import Decimal

from bench.intake.layouts import Block
from bench.intake.letters.common import (
    email_doc,
    form_doc,
    lengthen,
    letter_doc,
    note_doc,
    ref_cash,
    ref_ours,
)
from bench.intake.people import iban_make, person_make
from bench.intake.wording import Ctx, One, Opt

DOG_NAMES = [
    "Bello",
    "Luna",
    "Balu",
    "Emma",
    "Paul",
    "Frieda",
    "Sammy",
    "Kira",
    "Rocky",
    "Lotte",
    "Charly",
    "Nala",
    "Buddy",
    "Maja",
    "Oskar",
    "Amy",
    "Milo",
    "Fiete",
    "Jule",
    "Benny",
]
BREEDS = [
    "Labrador-Mischling",
    "Dackel",
    "Golden Retriever",
    "Beagle",
    "Border Collie",
    "Französische Bulldogge",
    "Jack Russell Terrier",
    "Mischling",
    "Schäferhund-Mischling",
    "Chihuahua",
    "Australian Shepherd",
    "Podenco-Mischling aus dem Tierschutz",
]
RATES = ["156.00", "156.00", "180.00", "96.00", "108.00"]


def _facts(ctx: Ctx) -> dict:
    roll = ctx.rng.random()
    if roll < 0.45:
        ref = ctx.reference(ref_cash(ctx))
    elif roll < 0.6:
        ref = ctx.reference(ref_ours(ctx, "201"))
    else:
        ref = ""
    chip = f"276{ctx.between(0, 999_999_999_999):012d}"
    return {
        "dog": ctx.pick(DOG_NAMES),
        "breed": ctx.pick(BREEDS),
        "since": ctx.date(ctx.days_before(3, 60, weekday=False)),
        "born": ctx.date(ctx.days_before(200, 3000, weekday=False), ctx.pick(["numeric", "long"])),
        "died": ctx.date(ctx.days_before(2, 40, weekday=False)),
        "chip": chip,
        "tag": str(ctx.between(100, 9999)),
        "rate": ctx.amount(Decimal(ctx.pick(RATES))),
        "ref": ref,
        "moving": ctx.date(ctx.days_after(3, 30)),
        "iban": ctx.iban(iban_make(ctx)),
        "new_town": ctx.pick(["Solingen", "Köln", "Hamburg", "Bochum", "Leipzig", "Hagen"]),
    }


def _refline(ctx: Ctx, values: dict) -> str:
    if not values["ref"]:
        return ""
    return (
        "\n"
        + ctx.pick(["Kassenzeichen", "Kassenzeichen", "Aktenzeichen", "Steuer-Nr."])
        + ": "
        + values["ref"]
    )


def _register(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[seit dem {since} halte ich einen Hund und melde ihn hiermit zur Hundesteuer an."
            "|hiermit melde ich meinen Hund zur Hundesteuer an.|wir haben seit dem {since} "
            "einen Hund und möchten ihn anmelden.]",
            "[Name: {dog}\nRasse: {breed}\nGeboren: {born}|Es handelt sich um einen {breed} "
            "namens {dog}, geboren am {born}.]",
            Opt("[Der Hund ist gechipt, Chipnummer {chip}.|Transpondernummer: {chip}]", 1.3),
            Opt(
                "[Bitte senden Sie mir die Hundesteuermarke zu.|Ich bitte um Zusendung der "
                "Steuermarke und des Bescheides.]"
            ),
            Opt(
                "[Die Steuer kann gern per Lastschrift von meinem Konto {iban} eingezogen "
                "werden.|Ein SEPA-Mandat "
                "reiche ich nach.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="201",
        subject=ctx.fill(
            "[Anmeldung zur Hundesteuer|Hundeanmeldung|Anmeldung meines Hundes {dog}]", values
        ),
        body=body,
    )


def _died(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[leider ist unser Hund {dog} am {died} verstorben.|unser Hund {dog} musste am {died} "
            "eingeschläfert werden.] [Ich melde ihn hiermit von der Hundesteuer ab.|Wir bitten "
            "daher um Abmeldung von der Hundesteuer.]",
            Opt(
                "[Eine Bescheinigung der Tierarztpraxis liegt bei.|Die Bestätigung des Tierarztes "
                "füge ich bei.]",
                1.4,
            ),
            Opt(
                "[Die Hundesteuermarke Nr. {tag} lege ich bei.|Die Steuermarke ({tag}) ist "
                "beigefügt.]"
            ),
            Opt(
                "[Zu viel gezahlte Steuer erstatten Sie bitte auf mein Konto, IBAN {iban}.|Bitte "
                "verrechnen "
                "Sie die zu viel gezahlte Hundesteuer.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="201",
        subject=ctx.fill(
            "[Abmeldung Hundesteuer|Abmeldung meines Hundes|Hundesteuer – "
            "Abmeldung wegen Tod des Hundes]"
        )
        + _refline(ctx, values),
        body=body,
    )


def _given_away(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[ich habe meinen Hund {dog} am {died} [an das Tierheim|an eine Familie in "
            "{new_town}] abgegeben|am {died} haben wir unseren Hund {dog} abgegeben].",
            "[Bitte melden Sie den Hund zum Ende des Monats ab.|Ich bitte um Abmeldung von der "
            "Hundesteuer.]",
            Opt(
                "[Eine Abgabebestätigung liegt bei.|Die neue Halterin ist bereit, das zu "
                "bestätigen.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="201",
        subject="Abmeldung Hundesteuer" + _refline(ctx, values),
        body=body,
    )


def _email_move(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[ich ziehe am {moving} nach {new_town} und möchte meinen Hund {dog} deshalb bei Ihnen "
            "abmelden.|wir sind nach {new_town} gezogen. Bitte melden Sie unseren Hund {dog} "
            "ab.]",
            One(
                "Die Steuermarke schicke ich per Post zurück.",
                "In {new_town} ist der Hund bereits angemeldet.",
                "",
            ),
            Opt(
                "[Bisher habe ich {rate} im Jahr gezahlt.|Bitte bestätigen Sie mir die "
                "Abmeldung kurz per E-Mail.]"
            ),
        ],
        values,
    )
    subject = ctx.fill("[Hundesteuer abmelden|Abmeldung Hund wegen Umzug|Hundesteuer]") + (
        f" ({values['ref']})" if values["ref"] else ""
    )
    return email_doc(ctx, sender=citizen, subject=subject, body=body)


def _reduction(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[für meinen Hund {dog} beantrage ich eine Ermäßigung der Hundesteuer.|ich bitte um "
            "Befreiung von der Hundesteuer für meinen Hund {dog}.]",
            One(
                "Ich beziehe Leistungen nach dem SGB XII; der aktuelle Bescheid liegt bei.",
                "{dog} ist ein ausgebildeter Assistenzhund; die Bescheinigung der "
                "Ausbildungsstätte "
                "liegt bei.",
                "Den Hund habe ich am {since} aus dem Tierheim Wuppertal übernommen.",
                "Ich halte den Hund als Rettungshund; er hat die Prüfung bestanden.",
            ),
            Opt("Derzeit zahle ich {rate} im Jahr."),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department="201",
        subject=ctx.fill("[Antrag auf Ermäßigung der Hundesteuer|Hundesteuerbefreiung]")
        + _refline(ctx, values),
        body=body,
    )


def _form(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    register = ctx.chance(0.6)
    blocks = [
        Block("checks", rows=[("Anmeldung", register), ("Abmeldung", not register)]),
        Block("section", "Halterin / Halter"),
        Block(
            "fields",
            rows=[
                ("Name, Vorname", f"{citizen.last_name}, {citizen.first_name}"),
                ("Anschrift", f"{citizen.street}, {citizen.town_line}"),
                *([("Kassenzeichen", values["ref"])] if values["ref"] else []),
            ],
        ),
        Block("section", "Angaben zum Hund"),
        Block(
            "fields",
            rows=[
                ("Name des Hundes", values["dog"]),
                ("Rasse", values["breed"]),
                ("Chip-Nr.", values["chip"]),
                (
                    "Gehalten seit" if register else "Abgemeldet zum",
                    values["since" if register else "died"],
                ),
            ],
        ),
    ]
    if not register:
        blocks.append(
            Block(
                "checks",
                "Grund der Abmeldung:",
                rows=[("verstorben", ctx.chance(0.5)), ("abgegeben", False), ("Umzug", False)],
            )
        )
    hints = ctx.fill(
        "[Steuersatz für den ersten Hund: {rate} jährlich.|] Die Steuermarke ist "
        "außerhalb der Wohnung sichtbar zu tragen.",
        values,
    )
    return form_doc(
        ctx,
        sender=citizen,
        title=ctx.pick(
            [
                "An- und Abmeldung zur Hundesteuer\nStadt Wuppertal – Steueramt",
                "Hundesteuer\nAnmeldung / Abmeldung eines Hundes",
            ]
        ),
        blocks=blocks,
        hints=hints,
    )


def _note(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    lines = ctx.pick(
        [
            [
                "Hund {dog} am {died} ans Tierheim abgegeben.",
                "Bitte Hundesteuer abmelden, Marke anbei.",
            ],
            ["Unser Hund {dog} ist am {died} verstorben.", "Bitte abmelden. Danke"],
            ["Neuer Hund seit {since}: {dog} ({breed}).", "Bitte zur Hundesteuer anmelden."],
        ]
    )
    lines = [ctx.fill(line, values) for line in lines]
    if values["ref"]:
        lines.append(f"Kassenzeichen {values['ref']}")
    return note_doc(ctx, sender=citizen, lines=lines, address=0.75)


VARIANTS = [_register, _register, _died, _given_away, _email_move, _reduction, _form, _form, _note]


EXTRAS = [
    "Es handelt sich um {dog} ({breed}), Chipnummer {chip}.",
    "[Ich bitte um eine kurze schriftliche Bestätigung.|Bitte bestätigen Sie mir die Änderung "
    "schriftlich.]",
    "[Bitte teilen Sie mir mit, ob die Steuer anteilig berechnet wird.|Ich bitte um Mitteilung, "
    "ab wann die Änderung wirksam wird.]",
    "[Den Heimtierausweis kann ich bei Bedarf vorlegen.|Eine Kopie des Heimtierausweises liegt "
    "bei.]",
    "[Zahlungen und Erstattungen wickeln Sie bitte über mein Konto ab, das Ihnen bekannt "
    "ist.|Bitte verrechnen Sie Beträge mit meinem Steuerkonto.]",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
