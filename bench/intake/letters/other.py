"""Sonstiges: advertising, newsletters, invitations, private letters and mail meant for other
authorities. They mention taxes, parking, children and invoices too, and go to triage."""

from decimal import Decimal

from bench.intake.layouts import Block, Doc, style_make
from bench.intake.letters.common import email_doc, letter_doc, note_doc
from bench.intake.people import company_make, person_make
from bench.intake.wording import Ctx, Opt


def _advert(ctx: Ctx):
    trade, offer = ctx.pick(
        [
            ("Büromöbel", "ergonomische Schreibtischstühle und höhenverstellbare Tische"),
            ("Energie", "Ökostrom für kommunale Liegenschaften"),
            ("Software", "eine Cloud-Lösung für die digitale Aktenführung"),
            ("Reinigungstechnik", "Scheuersaugmaschinen für Schulen und Kitas"),
            ("Parksysteme", "solarbetriebene Parkscheinautomaten mit App-Anbindung"),
            ("Werbetechnik", "Werbeflächen auf Stadtbussen"),
        ]
    )
    company = company_make(ctx, trade=trade)
    price = ctx.amount(Decimal(ctx.between(19, 1999)) - Decimal("0.01"))
    body = ctx.paragraphs(
        [
            "[als führender Anbieter in Nordrhein-Westfalen möchten wir Ihnen {offer} vorstellen."
            "|kennen Sie schon unser neues Angebot? Wir liefern {offer}.]",
            "[Nur für kurze Zeit: Sonderpreis ab {price} zzgl. MwSt.|Exklusiv für öffentliche "
            "Auftraggeber: ab {price}.]",
            Opt(
                "[Zahlreiche Kommunen vertrauen bereits auf uns.|Gern vereinbaren wir einen "
                "unverbindlichen Vorführtermin.]",
                1.5,
            ),
            Opt(
                "[Antworten Sie einfach auf dieses Schreiben oder rufen Sie uns an: {phone}.|Mehr "
                "Informationen erhalten Sie unter {phone}.]"
            ),
        ],
        {"offer": offer, "price": price, "phone": company.phone},
    )
    return letter_doc(
        ctx,
        sender=company,
        signer=person_make(ctx),
        role="Vertrieb",
        department=None,
        letterhead=f"{company.name}\n{company.street} · {company.town_line}",
        subject=ctx.fill(
            "[Unser Angebot für Ihre Verwaltung|Jetzt sparen: {offer}|Neu: {offer}]",
            {"offer": offer},
        ),
        body=body,
    )


def _newsletter(ctx: Ctx):
    sender = company_make(ctx, trade=ctx.pick(["Kommunalberatung", "Verlag", "Fachverband"]))
    issue = f"Ausgabe {ctx.between(1, 12)}/{ctx.today.year}"
    topics = ctx.sample(
        [
            (
                "Digitalisierung im Bürgeramt",
                "Wie Kommunen Wartezeiten halbieren – ein Praxisbericht.",
            ),
            ("Neues zur Grundsteuer", "Was die Reform für Haushalte und Verwaltungen bedeutet."),
            ("Kita-Ausbau", "Fördermittel des Landes für zusätzliche Betreuungsplätze."),
            ("Parkraummanagement", "Bewohnerparken im Vergleich: Gebühren in 20 Großstädten."),
            ("E-Rechnung", "Ab sofort Pflicht: was die Rechnungsstelle wissen muss."),
            ("Veranstaltungen", "Unsere Seminare im nächsten Quartal – jetzt anmelden."),
        ],
        3 if ctx.length != "long" else 6,
    )
    blocks = [
        Block("letterhead", f"{sender.name}\nNewsletter {issue}"),
        Block("dateline", ctx.date(ctx.today)),
        Block(
            "heading",
            ctx.fill("[Liebe Leserinnen und Leser,|Sehr geehrte Abonnentinnen und Abonnenten,]"),
        ),
    ]
    for title, text in topics:
        blocks.append(Block("section", title))
        blocks.append(Block("para", text))
        if ctx.length == "long":
            blocks.append(
                Block(
                    "para",
                    ctx.fill(
                        "[Den vollständigen Beitrag lesen Sie in unserer "
                        "Online-Ausgabe.|Wir berichten in der nächsten "
                        "Ausgabe ausführlich.|Eine Checkliste finden Sie "
                        "im Anhang.]"
                    ),
                )
            )
    blocks.append(
        Block(
            "small",
            f"Sie erhalten diesen Newsletter, weil Sie ihn abonniert haben. "
            f"Abbestellen: newsletter@{sender.email.split('@')[1]}\n"
            f"{sender.name} · {sender.street} · {sender.town_line}",
        )
    )
    return Doc("letter", blocks, sender, style_make(ctx, "letter"))


def _invitation(ctx: Ctx):
    club = company_make(ctx, trade="Verein", forms=("e.V.",), wuppertal=1.0)
    club.name = ctx.pick(
        [
            "TSV Wuppertal-Ost 1887 e.V.",
            "Heimatverein Cronenberg e.V.",
            "Förderverein der Gesamtschule Barmen e.V.",
            "Karnevalsgesellschaft Wupperjecken e.V.",
        ]
    )
    event = ctx.pick(
        [
            "unserem Sommerfest",
            "dem Festakt zu unserem Vereinsjubiläum",
            "der Eröffnung unseres neuen Vereinsheims",
            "unserem Herbstfest",
        ]
    )
    body = ctx.paragraphs(
        [
            "[wir freuen uns, Sie|es ist uns eine Ehre, Sie] zu {event} am {day} um {time} "
            "einzuladen.",
            Opt(
                "[Wir würden uns besonders freuen, wenn der Oberbürgermeister ein Grußwort "
                "sprechen könnte.|Für das leibliche Wohl ist gesorgt.]",
                1.5,
            ),
            "[Um Rückmeldung bis zum {reply} wird gebeten.|Bitte teilen Sie uns bis zum {reply} "
            "mit, ob Sie kommen.]",
        ],
        {
            "event": event,
            "day": ctx.date(ctx.days_after(20, 60), ctx.pick(["long", "weekday"])),
            "time": f"{ctx.between(11, 19)}:00 Uhr",
            "reply": ctx.date(ctx.days_after(7, 15)),
        },
    )
    return letter_doc(
        ctx,
        sender=club,
        signer=person_make(ctx),
        role="1. Vorsitzende/r",
        department=None,
        letterhead=f"{club.name}\n{club.street} · {club.town_line}",
        subject="Einladung",
        body=body,
    )


def _private(ctx: Ctx):
    writer = person_make(ctx)
    addressee = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[{dear}|Hallo] {first},",
            "[vielen Dank für Deinen Brief und die Fotos vom Urlaub!|herzlichen Glückwunsch zum "
            "Geburtstag nachträglich!|wie geht es Euch? Bei uns ist alles beim Alten.]",
            Opt(
                "[Die Kinder sind groß geworden, Paul kommt im Sommer in die Schule.|Wir haben "
                "endlich einen Kita-Platz für die Kleine bekommen.|Der Hund hält uns ganz schön "
                "auf Trab.]",
                1.5,
            ),
            Opt("[Wann kommt Ihr uns mal wieder besuchen?|Lass uns bald telefonieren.]"),
        ],
        {"first": addressee.first_name, "dear": "Liebe" if addressee.gender == "f" else "Lieber"},
    )
    blocks = [Block("hand", f"{writer.town}, {ctx.date(ctx.today, 'short')}")]
    blocks += [Block("hand", paragraph) for paragraph in body]
    blocks.append(Block("hand", ctx.pick(["Liebe Grüße", "Herzliche Grüße", "Alles Liebe"])))
    blocks.append(Block("signature", rows=[(writer.first_name, True)]))
    return Doc("note", blocks, None, style_make(ctx, "note"))


def _misdirected(ctx: Ctx):
    citizen = person_make(ctx)
    authority, subject, text = ctx.pick(
        [
            (
                "Finanzamt Wuppertal-Elberfeld",
                "Einkommensteuererklärung {year}",
                "anbei erhalten Sie meine Einkommensteuererklärung für {year} mit allen Belegen. "
                "Steuernummer {taxno}.",
            ),
            (
                "Jobcenter Wuppertal",
                "Weiterbewilligungsantrag Bürgergeld",
                "anbei mein Weiterbewilligungsantrag. Meine Bedarfsgemeinschaftsnummer lautet "
                "{bgno}.",
            ),
            (
                "Amtsgericht Wuppertal",
                "Nachlasssache",
                "in der Nachlasssache meiner verstorbenen Mutter übersende ich die angeforderten "
                "Unterlagen.",
            ),
            (
                "Familienkasse NRW West",
                "Kindergeld",
                "anbei die Schulbescheinigung meines Sohnes für das Kindergeld.",
            ),
            (
                "Deutsche Rentenversicherung",
                "Kontenklärung",
                "zur Klärung meines Rentenkontos übersende ich die Kopien meiner Zeugnisse.",
            ),
        ]
    )
    values = {
        "year": str(ctx.today.year - 1),
        "taxno": f"132/{ctx.between(1000, 9999)}/{ctx.between(1000, 9999)}",
        "bgno": f"{ctx.between(10000, 99999)}BG{ctx.between(1000000, 9999999)}",
    }
    blocks = [
        Block("sender", "\n".join(citizen.lines())),
        Block(
            "recipient",
            f"{authority}\n{ctx.pick(['Postfach', 'Poststelle'])}\n"
            f"42{ctx.between(100, 399)} Wuppertal",
        ),
        Block("dateline", f"Wuppertal, {ctx.date(ctx.today)}"),
        Block("subject", ctx.fill(subject, values)),
        Block("para", "Sehr geehrte Damen und Herren,"),
        Block("para", ctx.fill(text, values)),
        Block("closing", "Mit freundlichen Grüßen"),
        Block("signature", rows=[(citizen.name, True)]),
    ]
    return Doc("letter", blocks, citizen, style_make(ctx, "letter"))


def _prize(ctx: Ctx):
    company = company_make(ctx, trade="Direktmarketing")
    amount = ctx.amount(Decimal(ctx.pick([5000, 10000, 25000])))
    body = ctx.paragraphs(
        [
            "HERZLICHEN GLÜCKWUNSCH! Sie wurden als Gewinner ausgewählt!",
            "[Ihnen steht ein Bargeldpreis von {amount} zu.|Sie haben {amount} gewonnen!] Um "
            "Ihren Gewinn abzurufen, senden Sie uns einfach die beigefügte Karte bis zum {until} "
            "zurück.",
            "Eine geringe Bearbeitungsgebühr wird fällig. Rechtsweg ausgeschlossen.",
        ],
        {"amount": amount, "until": ctx.date(ctx.days_after(5, 14))},
    )
    return email_doc(
        ctx, sender=company, subject="Ihr Gewinn wartet!", body=body, address_in_signature=0.2
    )


def _misdirected_note(ctx: Ctx):
    neighbour = person_make(ctx)
    lines = [
        ctx.fill(
            "[Dieser Brief wurde bei uns falsch eingeworfen.|Der Empfänger wohnt hier nicht "
            "mehr.|Falsch zugestellt, bitte weiterleiten.]"
        ),
        ctx.fill("[Bitte an den Absender zurück.|Vielleicht können Sie damit etwas anfangen.]"),
    ]
    return note_doc(ctx, sender=neighbour, lines=lines, address=0.3)


VARIANTS = [_advert, _newsletter, _invitation, _private, _misdirected, _prize, _misdirected_note]


def compose(ctx: Ctx):
    return ctx.pick(VARIANTS)(ctx)
