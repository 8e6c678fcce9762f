"""Short made-up letters of every document type, to train a small classifier in tests."""

import random

SENTENCES = {
    "objection": [
        "Hiermit lege ich Widerspruch gegen Ihren Bescheid ein.",
        "Gegen den Bescheid vom letzten Monat erhebe ich fristgerecht Widerspruch.",
        "Ich bin mit der Entscheidung nicht einverstanden und beantrage die Aufhebung.",
        "Die Begründung meines Widerspruchs reiche ich nach.",
        "Der Bescheid ist aus meiner Sicht rechtswidrig.",
        "Bitte prüfen Sie den Bescheid erneut im Widerspruchsverfahren.",
    ],
    "parking_application": [
        "Ich beantrage einen Bewohnerparkausweis für meine Wohnstraße.",
        "Anbei der Antrag auf einen Parkausweis für Bewohner mit Kopie des Fahrzeugscheins.",
        "Mein Fahrzeug mit dem Kennzeichen ist auf mich zugelassen.",
        "Ich wohne in der Bewohnerparkzone und bitte um einen Parkausweis.",
        "Bitte verlängern Sie meinen Bewohnerparkausweis.",
        "Ich bin Halter des Fahrzeugs und wohne mit Hauptwohnsitz in der Zone.",
    ],
    "business_registration": [
        "Anbei die Gewerbeanmeldung auf dem Vordruck GewA 1.",
        "Ich melde zum Beginn des Monats ein Gewerbe an.",
        "Die angemeldete Tätigkeit ist der Handel mit Fahrrädern.",
        "Die Betriebsstätte befindet sich in der Innenstadt.",
        "Es handelt sich um ein Einzelunternehmen ohne Eintrag im Handelsregister.",
        "Bitte bestätigen Sie die Anmeldung meines Gewerbes.",
    ],
    "fine_hearing_response": [
        "Zu Ihrem Anhörungsbogen im Bußgeldverfahren nehme ich Stellung.",
        "Die Ordnungswidrigkeit wegen Geschwindigkeitsüberschreitung räume ich ein.",
        "Zum Tatzeitpunkt war nicht ich der Fahrer des Fahrzeugs.",
        "Ich äußere mich zur Anhörung wegen des Verkehrsverstoßes.",
        "Das Verwarnungsgeld halte ich für nicht gerechtfertigt.",
        "Auf dem Messfoto bin ich nicht zu erkennen.",
    ],
    "dog_tax": [
        "Ich möchte meinen Hund zur Hundesteuer anmelden.",
        "Hiermit melde ich meinen Hund ab, da er verstorben ist.",
        "Der Hund ist ein Mischling und wurde aus dem Tierheim übernommen.",
        "Bitte senden Sie mir die Hundesteuermarke zu.",
        "Die Hundesteuer soll per Lastschrift eingezogen werden.",
        "Unser Hund lebt seit dem Umzug nicht mehr bei uns, bitte melden Sie ihn ab.",
    ],
    "supplier_invoice": [
        "Für die Lieferung stellen wir Ihnen folgende Rechnung.",
        "Rechnungsnummer und Kundennummer bitte bei Zahlung angeben.",
        "Der Gesamtbetrag ist zahlbar innerhalb von 14 Tagen ohne Abzug.",
        "Die Umsatzsteuer ist im Rechnungsbetrag enthalten.",
        "Vielen Dank für Ihren Auftrag über die Wartung der Heizungsanlage.",
        "Bitte überweisen Sie den Betrag auf unser Geschäftskonto.",
    ],
    "complaint": [
        "Ich möchte mich über den Zustand des Spielplatzes beschweren.",
        "Seit Wochen liegt Müll an der Bushaltestelle, das ist unzumutbar.",
        "Als Anregung schlage ich mehr Bänke im Park vor.",
        "Ich bin sehr unzufrieden mit der langen Wartezeit im Amt.",
        "Der Lärm der Baustelle in der Nacht stört die Anwohner.",
        "Bitte kümmern Sie sich endlich um die kaputte Straßenbeleuchtung.",
    ],
    "social_benefits": [
        "Ich stelle einen Antrag auf Wohngeld.",
        "Anbei die Einkommensnachweise und der Mietvertrag für den Wohngeldantrag.",
        "Bitte prüfen Sie meinen Anspruch auf Sozialleistungen.",
        "Ich beantrage die Weiterbewilligung meines Wohngeldes.",
        "Meine Miete ist gestiegen, bitte berücksichtigen Sie das beim Wohngeld.",
        "Mein Einkommen hat sich geändert, die Nachweise liegen bei.",
    ],
    "childcare": [
        "Wir suchen einen Kita-Platz für unsere Tochter.",
        "Ich melde meinen Sohn für einen Betreuungsplatz in der Kindertagesstätte an.",
        "Wir benötigen einen Betreuungsumfang von 45 Stunden pro Woche.",
        "Bitte berechnen Sie die Kita-Beiträge neu.",
        "Alternativ kommt auch die Kindertagespflege in Frage.",
        "Unser Kind soll ab dem Sommer in die Kita gehen.",
    ],
    "building_permit": [
        "Anbei reiche ich die Bauvorlagen für unseren Bauantrag ein.",
        "Der Lageplan und die statische Berechnung liegen bei.",
        "Wir beantragen die Baugenehmigung für einen Anbau.",
        "Das Bauvorhaben liegt auf dem Grundstück Flurstück zwölf.",
        "Die Bauzeichnungen wurden vom Architekten unterschrieben.",
        "Bitte bestätigen Sie den Eingang der Unterlagen zum Bauantrag.",
    ],
    "registration": [
        "Ich bin umgezogen und möchte mich ummelden.",
        "Bitte stellen Sie mir eine Meldebescheinigung aus.",
        "Anbei die Wohnungsgeberbestätigung für meinen Einzug.",
        "Meine neue Anschrift gilt seit dem Ersten des Monats.",
        "Ich melde meinen Wohnsitz in der Stadt an.",
        "Für meinen Arbeitgeber brauche ich eine erweiterte Meldebescheinigung.",
    ],
    "other": [
        "Wir laden Sie herzlich zu unserem Sommerfest ein.",
        "Anbei unser neuer Katalog mit Angeboten für Büromöbel.",
        "Herzlichen Glückwunsch zum Stadtjubiläum.",
        "Unsere Zeitschrift erscheint ab sofort monatlich.",
        "Wir möchten Ihnen unsere Dienstleistungen vorstellen.",
        "Zur Kenntnis übersenden wir Ihnen den Jahresbericht unseres Vereins.",
    ],
}

OPENINGS = ["Sehr geehrte Damen und Herren,", "Guten Tag,", "Hallo,", "Sehr geehrte Frau Müller,"]
CLOSINGS = ["Mit freundlichen Grüßen", "Freundliche Grüße", "Viele Grüße", "Hochachtungsvoll"]
NAMES = ["Erika Mustermann", "Max Weber", "Jana Schulz", "Ali Yilmaz", "Petra Lang", "Tim Roth"]
STREETS = ["Hauptstraße 5", "Luisenstraße 12", "Am Wall 3", "Friedrich-Ebert-Straße 101"]
TOWNS = ["42103 Wuppertal", "42275 Wuppertal", "42285 Wuppertal"]


def letter_text(label: str, rng: random.Random) -> str:
    sentences = rng.sample(SENTENCES[label], k=3)
    sender = [rng.choice(NAMES), rng.choice(STREETS), rng.choice(TOWNS)]
    return "\n".join([*sender, rng.choice(OPENINGS), *sentences, rng.choice(CLOSINGS)])


def corpus(*, per_label: int, seed: int) -> list[tuple[str, str]]:
    """(text, label) pairs; the same seed always gives the same letters."""
    rng = random.Random(seed)
    pairs = []
    seen = set()
    for label in SENTENCES:
        made = 0
        while made < per_label:
            text = letter_text(label, rng)
            if text in seen:
                continue
            seen.add(text)
            pairs.append((text, label))
            made += 1
    return pairs


def classifier_train_small() -> None:
    """Train and activate the classifier "intake" on a few dozen letters per type."""
    from rathaus.classifier.services import (
        classifier_cache_clear,
        classifier_train,
        evaluation_set_freeze,
        training_example_add,
    )

    evaluation = corpus(per_label=3, seed=2)
    held_out = {text for text, _label in evaluation}
    for text, label in corpus(per_label=10, seed=1):
        if text not in held_out:
            training_example_add(name="intake", text=text, label=label, source="generated")
    evaluation_set_freeze(name="intake", examples=evaluation)
    classifier_cache_clear()
    classifier_train(name="intake", activate="always")
