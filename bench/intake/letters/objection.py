"""Widerspruch gegen einen Bescheid: citizens, lawyers and companies object to a decision."""

import datetime
from decimal import Decimal

from bench.intake.letters.common import (
    email_doc,
    lengthen,
    letter_doc,
    note_doc,
    ref_az,
    ref_building,
    ref_cash,
    ref_ours,
)
from bench.intake.people import (
    company_make,
    iban_make,
    law_firm_make,
    person_make,
    plate_make,
)
from bench.intake.wording import Ctx, One, Opt

# (department, the decision with its article, another office's reference format, an amount
#  range or None, reasons a citizen gives)
DECISIONS = [
    (
        "104",
        "[den Bescheid über die Ablehnung des Antrags auf einen Bewohnerparkausweis"
        "|den Ablehnungsbescheid zum Bewohnerparkausweis]",
        None,
        None,
        [
            "Ich wohne seit mehr als einem Jahr im Bewohnerparkgebiet und erfülle alle "
            "Voraussetzungen.",
            "Das Fahrzeug ist mir von meinem Arbeitgeber dauerhaft auch zur privaten Nutzung "
            "überlassen; eine Bestätigung lag dem Antrag bei.",
            "Die Meldebescheinigung habe ich fristgerecht nachgereicht.",
        ],
    ),
    (
        "104",
        "[den Kostenbescheid für das Abschleppen des Fahrzeugs {plate}|den Kostenbescheid "
        "(Abschleppmaßnahme)]",
        ref_az,
        (120, 320),
        [
            "Das mobile Halteverbotsschild wurde erst aufgestellt, nachdem ich mein Fahrzeug "
            "ordnungsgemäß abgestellt hatte.",
            "Ich war telefonisch erreichbar; eine Halteranfrage hätte genügt.",
            "Die Abschleppkosten sind im Vergleich zu anderen Städten unverhältnismäßig hoch.",
        ],
    ),
    (
        "104",
        "[den Gebührenbescheid für die Sondernutzung|den Bescheid über Sondernutzungsgebühren]",
        ref_cash,
        (80, 900),
        [
            "Die Baustelleneinrichtung stand nur zwei Tage und nicht, wie berechnet, zwei Wochen "
            "auf dem Gehweg.",
            "Die berechnete Fläche ist doppelt so groß wie die tatsächlich genutzte.",
        ],
    ),
    (
        "201",
        "[den Hundesteuerbescheid|den Bescheid über die Festsetzung der Hundesteuer]",
        ref_cash,
        (96, 312),
        [
            "Ich halte seit dem Tod meines Hundes im Frühjahr keinen Hund mehr.",
            "Der Bescheid setzt die Steuer für zwei Hunde fest, ich halte aber nur einen.",
            "Mein Hund ist ein ausgebildeter Assistenzhund; die Steuerbefreiung wurde nicht "
            "berücksichtigt.",
        ],
    ),
    (
        "201",
        "[den Grundsteuerbescheid|den Bescheid über Grundbesitzabgaben]",
        ref_cash,
        (180, 1400),
        [
            "Die Wohnfläche ist falsch angesetzt; die Wohnung hat nicht 112, sondern 86 "
            "Quadratmeter.",
            "Die Abfallgebühren wurden für vier Personen berechnet, im Haushalt leben aber nur "
            "zwei.",
        ],
    ),
    (
        "202",
        "[den Bescheid über Säumniszuschläge und Mahngebühren|die Mahnung mit Säumniszuschlägen]",
        ref_cash,
        (12, 95),
        [
            "Die Zahlung ist fristgerecht erfolgt, wie der beigefügte Kontoauszug zeigt.",
            "Eine Zahlungsaufforderung habe ich nie erhalten.",
        ],
    ),
    (
        "301",
        "[den Wohngeldbescheid|den Bescheid über die Bewilligung von Wohngeld|den "
        "Ablehnungsbescheid zum Wohngeldantrag]",
        ref_az,
        None,
        [
            "Bei der Berechnung wurde das Einkommen meiner Tochter berücksichtigt, die bereits "
            "ausgezogen ist.",
            "Die Heizkosten und die Mieterhöhung zum Jahresbeginn wurden nicht berücksichtigt.",
            "Mein Einkommen ist seit dem Wechsel in Teilzeit deutlich niedriger als angenommen.",
        ],
    ),
    (
        "301",
        "[den Bescheid über die Rückforderung von Wohngeld|den Rückforderungsbescheid]",
        ref_az,
        (300, 2400),
        [
            "Ich habe die Änderung meines Einkommens rechtzeitig mitgeteilt.",
            "Die Rückforderung beruht auf einem Einkommen, das ich nie erzielt habe.",
        ],
    ),
    (
        "302",
        "[den Bescheid über die Festsetzung des Elternbeitrags|den Elternbeitragsbescheid]",
        ref_az,
        (45, 420),
        [
            "Unser Einkommen wurde zu hoch angesetzt; das Elterngeld ist nur teilweise "
            "anzurechnen.",
            "Für unser zweites Kind gilt die Geschwisterbefreiung.",
            "Unser Sohn besucht die Kita nur 25 Stunden in der Woche, berechnet wurden 45 Stunden.",
        ],
    ),
    (
        "105",
        "[den Ablehnungsbescheid zur Bauvoranfrage|die Ablehnung der Baugenehmigung]",
        ref_building,
        None,
        [
            "Das Vorhaben fügt sich nach Art und Maß der baulichen Nutzung in die nähere "
            "Umgebung ein.",
            "In der Nachbarschaft wurden vergleichbare Anbauten genehmigt.",
        ],
    ),
    (
        "105",
        "[die Ordnungsverfügung zur Beseitigung des Gartenhauses|die Beseitigungsanordnung "
        "für den Carport]",
        ref_building,
        None,
        [
            "Das Gartenhaus ist nach der Landesbauordnung genehmigungsfrei.",
            "Der Carport steht seit über zwanzig Jahren und wurde nie beanstandet.",
        ],
    ),
    (
        "106",
        "[den Gebührenbescheid zur Gewerbeanmeldung|den Bescheid über die Untersagung der "
        "Außengastronomie]",
        ref_az,
        (20, 250),
        [
            "Die Außengastronomie hält alle Auflagen zum Lärmschutz ein.",
            "Die Gebühr wurde doppelt erhoben, obwohl es sich nur um eine Ummeldung handelte.",
        ],
    ),
]


def _facts(ctx: Ctx) -> dict:
    department, decision, other, amounts, reasons = ctx.pick(DECISIONS)
    decided = ctx.days_before(4, 30)
    received = decided + datetime.timedelta(days=(ctx.today - decided).days // 3)
    values = {
        "decision": ctx.fill(decision, {"plate": plate_make(ctx)}),
        "decided": ctx.date(decided),
        "received": ctx.date(received),
        "reasons": reasons,
        "department": department,
        "iban": ctx.iban(iban_make(ctx)),
    }
    roll = ctx.rng.random()
    if roll < 0.65:
        values["ref"] = ctx.reference(ref_ours(ctx, department))
    elif roll < 0.85 and other:
        values["ref"] = ctx.reference(other(ctx))
    else:
        values["ref"] = ""
    if values["ref"]:
        opener = ctx.pick([", Aktenzeichen ", ", Az. ", ", Az.: ", " (Aktenzeichen ", " (Az. "])
        values["az"] = opener + values["ref"] + (")" if "(" in opener else "")
    else:
        values["az"] = ""
    values["amount"] = (
        ctx.amount(Decimal(ctx.between(*amounts)) + Decimal(ctx.pick([0, 0, 50, 80])) / 100)
        if amounts
        else ""
    )
    return values


def _reason_text(ctx: Ctx, values: dict, count: int) -> str:
    reasons = list(values["reasons"])
    ctx.rng.shuffle(reasons)
    return " ".join(reasons[:count])


def _subject(ctx: Ctx, values: dict) -> str:
    az = (
        f"\n{ctx.pick(['Aktenzeichen', 'Az.', 'Ihr Zeichen'])}: {values['ref']}"
        if values["ref"]
        else ""
    )
    return (
        ctx.fill(
            "[Widerspruch gegen {decision} vom {decided}|Widerspruch|Einlegung eines Widerspruchs"
            "|Widerspruch gegen {decision} vom {decided}]",
            values,
        )
        + az
    )


def _citizen_formal(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    amount = (
        "[Mit dem Bescheid wurde ein Betrag von {amount} festgesetzt.|Der festgesetzte Betrag "
        "von {amount} ist nicht gerechtfertigt.|]"
        if values["amount"]
        else ""
    )
    body = ctx.paragraphs(
        [
            "[hiermit lege ich gegen {decision} vom {decided}{az} fristgerecht Widerspruch ein."
            "|gegen {decision} vom {decided}{az}, mir zugegangen am {received}, erhebe ich "
            "hiermit Widerspruch."
            "|ich erhebe Widerspruch gegen {decision} vom {decided}{az}.]",
            amount,
            One(
                "[Zur Begründung:|Begründung:|Meinen Widerspruch begründe ich wie folgt:] "
                + _reason_text(ctx, values, 2),
                "[Eine Begründung reiche ich innerhalb von vier Wochen nach."
                "|Die Begründung folgt gesondert.]",
                _reason_text(ctx, values, 1)
                + " [Ich bitte daher, den Bescheid aufzuheben.|Ich bitte um Überprüfung.]",
            ),
            Opt(
                "[Bitte bestätigen Sie mir den Eingang dieses Schreibens."
                "|Ich bitte um eine schriftliche Eingangsbestätigung.]"
            ),
            Opt(
                "Für Rückfragen erreichen Sie mich [telefonisch|tagsüber] unter "
                + citizen.phone
                + "."
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department=values["department"] if ctx.chance(0.5) else "030",
        subject=_subject(ctx, values),
        body=body,
        enclosures=(
            [ctx.pick(["Kopie des Bescheides", "Kopie Bescheid", "Kontoauszug (Kopie)"])]
            if ctx.chance(0.3)
            else None
        ),
    )


def _citizen_detailed(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[gegen {decision} vom {decided}{az} lege ich hiermit Widerspruch ein."
            "|hiermit erhebe ich Widerspruch gegen {decision} vom {decided}{az}.]"
            " [Der Bescheid ist mir am {received} zugegangen.|]",
            "[Ich halte den Bescheid für rechtswidrig.|Der Bescheid ist aus meiner Sicht "
            "fehlerhaft.|Mit der Entscheidung bin ich nicht einverstanden.] "
            + _reason_text(ctx, values, 2),
            Opt(
                "[Ich habe mich mehrfach telefonisch an Ihr Amt gewandt, leider ohne Erfolg."
                "|Bereits im Verfahren habe ich auf diese Umstände hingewiesen.]"
                " [Es ist für mich nicht nachvollziehbar, warum meine Angaben nicht berücksichtigt "
                "wurden.|Ich bitte Sie, die Sache noch einmal sorgfältig zu prüfen.]"
            ),
            Opt(
                "[Zugleich beantrage ich, die Vollziehung des Bescheides bis zur Entscheidung über "
                "den Widerspruch auszusetzen.|Ich beantrage die Aussetzung der Vollziehung.]",
                0.8,
            ),
            Opt(
                "[Außerdem bitte ich um Akteneinsicht.|Bitte gewähren Sie mir Einsicht in die "
                "Verwaltungsakte.]"
            ),
            Opt("Bereits gezahlte Beträge erstatten Sie bitte auf mein Konto, IBAN {iban}.", 0.6),
            Opt(
                "[Sollte meinem Widerspruch nicht abgeholfen werden, bitte ich um einen "
                "rechtsmittelfähigen Widerspruchsbescheid.|Ich behalte mir weitere Schritte vor.]"
            ),
        ],
        values,
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department=values["department"],
        subject=_subject(ctx, values),
        body=body,
        enclosures=["Kopie des Bescheides"] if ctx.chance(0.4) else None,
    )


def _lawyer(ctx: Ctx, values: dict):
    firm, lawyer = law_firm_make(ctx)
    client = person_make(ctx)
    values = {
        **values,
        "client_full": f"{'Frau' if client.gender == 'f' else 'Herrn'} {client.name}",
        "client_address": f"{client.street}, {client.town_line}",
        "mandant": "unserer Mandantin" if client.gender == "f" else "unseres Mandanten",
        "mandant_acc": "unsere Mandantin" if client.gender == "f" else "unseren Mandanten",
    }
    body = ctx.paragraphs(
        [
            "[hiermit zeigen wir an, dass wir {client_full}, {client_address}, anwaltlich "
            "vertreten.|wir vertreten die rechtlichen Interessen von {client_full}, "
            "{client_address}.] [Eine auf uns lautende Vollmacht ist beigefügt.|Eine Vollmacht "
            "wird anwaltlich versichert.]",
            "Namens und in Vollmacht {mandant} legen wir gegen {decision} vom {decided}{az}"
            " [Widerspruch ein.|hiermit Widerspruch ein.]",
            One(
                "Eine Begründung bleibt einem gesonderten Schriftsatz nach erfolgter Akteneinsicht "
                "vorbehalten.",
                "[Der Bescheid ist rechtswidrig und verletzt {mandant_acc} in eigenen Rechten."
                "|Der angegriffene Bescheid ist bereits formell rechtswidrig, weil die gebotene "
                "Anhörung unterblieben ist.]",
            ),
            Opt(
                "Wir beantragen, uns die Verwaltungsvorgänge zur Einsichtnahme in unsere "
                "Kanzleiräume zu übersenden. Eine umgehende Rücksendung sichern wir zu.",
                1.5,
            ),
            Opt(
                "Ferner beantragen wir, die Vollziehung des Bescheides gemäß § 80 Abs. 4 VwGO "
                "bis zur Entscheidung über den Widerspruch auszusetzen."
            ),
            Opt(
                "Zur Begründung tragen wir bereits jetzt vor: Die Behörde hat den Sachverhalt "
                "nicht hinreichend ermittelt. Die Angaben {mandant} wurden nicht gewürdigt, und "
                "die Ermessenserwägungen lassen sich dem Bescheid nicht entnehmen. Damit liegt "
                "ein Ermessensausfall vor, der zur Aufhebung des Bescheides führen muss."
            ),
            Opt(
                "Wir bitten, den Eingang dieses Schriftsatzes zu bestätigen und künftig "
                "ausschließlich mit uns zu korrespondieren."
            ),
        ],
        values,
    )
    footer = f"{firm.name} · {firm.street} · {firm.town_line} · Telefon {firm.phone} · {firm.email}"
    return letter_doc(
        ctx,
        sender=firm,
        signer=lawyer,
        role="Rechtsanwältin" if lawyer.gender == "f" else "Rechtsanwalt",
        department=values["department"] if ctx.chance(0.3) else "030",
        letterhead=f"{firm.name}\nRechtsanwälte\n{firm.street} · {firm.town_line}",
        # a dictation mark, as many firms write it: no file reference
        info=[("Unser Zeichen", f"{lawyer.last_name[:2]}/{ctx.pick(['Sch', 'Kr', 'Mü', 'ab'])}")],
        subject=ctx.fill(
            "[{client_full} ./. Stadt Wuppertal|In der Verwaltungsrechtssache {client_full}]\n",
            values,
        )
        + _subject(ctx, values),
        body=body,
        enclosures=["Vollmacht"] if ctx.chance(0.5) else None,
        footer=footer if ctx.chance(0.6) else "",
    )


def _email(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[ich bin mit {decision} vom {decided}{az} nicht einverstanden und lege hiermit "
            "Widerspruch ein.|hiermit erhebe ich Widerspruch gegen {decision} vom "
            "{decided}{az}.|ich möchte "
            "Widerspruch gegen {decision} vom {decided}{az} einlegen.]",
            _reason_text(ctx, values, ctx.between(1, 2)),
            Opt("[Bitte bestätigen Sie mir kurz den Eingang.|Ich freue mich auf Ihre Antwort.]"),
        ],
        values,
    )
    return email_doc(
        ctx, sender=citizen, subject=_subject(ctx, values).replace("\n", " – "), body=body
    )


def _note(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    lines = [
        ctx.fill(
            "[Widerspruch gegen|Hiermit Widerspruch gegen|Ich erhebe Widerspruch gegen] "
            "{decision} vom "
            "{decided}{az}[!|.]",
            values,
        ),
        ctx.fill("[Ich bin nicht einverstanden.|Das stimmt so nicht.|Bitte prüfen Sie das.]"),
    ]
    if ctx.keep_optional():
        lines.append(_reason_text(ctx, values, 1))
    return note_doc(ctx, sender=citizen, lines=lines, address=0.7)


def _company(ctx: Ctx, values: dict):
    trade = ctx.pick(["Gastronomie", "Bau", "Immobilien", "Hausverwaltung", "Transporte"])
    company = company_make(ctx, trade=trade)
    manager = person_make(ctx, surname=company.last_name if ctx.chance(0.5) else None)
    body = ctx.paragraphs(
        [
            "[gegen {decision} vom {decided}{az} legen wir hiermit fristwahrend Widerspruch ein."
            "|hiermit erheben wir Widerspruch gegen {decision} vom {decided}{az}.]",
            One(
                "[Die Begründung reichen wir nach Prüfung der Unterlagen nach.|Eine ausführliche "
                "Begründung folgt.]",
                "[Der Bescheid geht von falschen Tatsachen aus.|Die Berechnung ist fehlerhaft; "
                "die zugrunde gelegten Angaben treffen nicht zu.|Die Entscheidung ist "
                "unverhältnismäßig und gefährdet unseren Betrieb.]",
            ),
            "[Wir bitten um Aussetzung der Vollziehung.|Bis zur Entscheidung bitten wir, von "
            "Vollstreckungsmaßnahmen abzusehen.|]",
            Opt("Für Rückfragen steht Ihnen der Unterzeichner unter {phone} zur Verfügung."),
        ],
        {**values, "phone": company.phone},
    )
    return letter_doc(
        ctx,
        sender=company,
        signer=manager,
        role="Geschäftsführung",
        department=values["department"],
        letterhead=f"{company.name}\n{company.street} · {company.town_line} · Tel. {company.phone}",
        subject=_subject(ctx, values),
        body=body,
    )


def _deadline(ctx: Ctx, values: dict):
    citizen = person_make(ctx)
    body = ctx.paragraphs(
        [
            "[zur Wahrung der Frist lege ich gegen {decision} vom {decided}{az} Widerspruch ein."
            "|vorsorglich und zur Fristwahrung erhebe ich Widerspruch gegen {decision} vom "
            "{decided}{az}.]",
            "[Ich lasse mich derzeit beraten und werde den Widerspruch bis zum {until} begründen."
            "|Die Begründung reiche ich bis spätestens {until} nach.]",
            Opt("Ich bitte bis dahin um Akteneinsicht, gern auch als Kopie per Post."),
        ],
        {**values, "until": ctx.date(ctx.days_after(14, 40))},
    )
    return letter_doc(
        ctx,
        sender=citizen,
        department=values["department"],
        subject=_subject(ctx, values),
        body=body,
    )


VARIANTS = [_citizen_formal, _citizen_detailed, _lawyer, _email, _note, _company, _deadline]


EXTRAS = [
    "Zum Sachverhalt: [Ich habe alle Unterlagen vollständig und rechtzeitig eingereicht.|Alle "
    "Angaben, die Sie angefordert hatten, habe ich fristgerecht gemacht.] [Trotzdem wurde "
    "offenbar nach Aktenlage entschieden, ohne dass ich noch einmal angehört wurde.|Eine "
    "Rückfrage hat es vor der Entscheidung nicht gegeben.]",
    "Im Einzelnen: [Die Begründung des Bescheides geht auf meine Angaben nicht ein.|Der Bescheid "
    "enthält keine nachvollziehbare Begründung.] [Es wird lediglich auf Verwaltungsvorschriften "
    "verwiesen.|Warum meine Nachweise nicht ausreichen sollen, bleibt offen.]",
    "Hinzu kommt, dass mich der Bescheid [finanziell erheblich belastet|in eine schwierige Lage "
    "bringt]. [Ich bin alleinerziehend und auf jeden Euro angewiesen.|Ich beziehe nur eine kleine "
    "Rente.|Derzeit bin ich arbeitssuchend.]",
    "Ich weise außerdem darauf hin, dass [in vergleichbaren Fällen in meiner Nachbarschaft anders "
    "entschieden wurde|mir eine Mitarbeiterin Ihres Hauses am Telefon zunächst etwas anderes "
    "gesagt hatte].",
    "[Gern erläutere ich meine Gründe auch in einem persönlichen Gespräch.|Ich bitte um einen "
    "Termin, um die Angelegenheit persönlich zu besprechen.]",
    "Vorsorglich weise ich darauf hin, dass ich mir weitere rechtliche Schritte vorbehalte, falls "
    "meinem Widerspruch nicht abgeholfen wird.",
]


def compose(ctx: Ctx):
    values = _facts(ctx)
    return lengthen(ctx, ctx.pick(VARIANTS)(ctx, values), EXTRAS, values)
