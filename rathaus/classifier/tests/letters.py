"""Short synthetic German letters with OCR-like noise, made in the tests (no generator needed)."""

import random

PHRASES = {
    "dog_tax": [
        "hiermit melde ich meinen Hund zur Hundesteuer an",
        "ich möchte meinen Hund abmelden, er ist leider verstorben",
        "unser Mischling lebt seit dem {date} in unserem Haushalt",
        "bitte senden Sie mir eine neue Hundesteuermarke zu",
        "die Rasse des Hundes ist {breed}, Name des Tieres: {pet}",
        "wir haben den Hund aus dem Tierheim übernommen",
        "Anmeldung eines Hundes nach der Hundesteuersatzung",
    ],
    "parking_application": [
        "ich beantrage einen Bewohnerparkausweis für meine Zone",
        "mein Fahrzeug mit dem Kennzeichen W-{plate} ist auf mich zugelassen",
        "anbei die Kopie des Fahrzeugscheins für den Parkausweis",
        "bitte stellen Sie den Bewohnerparkausweis für das Gebiet {zone} aus",
        "ich wohne seit kurzem in der Parkzone und brauche einen Ausweis zum Parken",
        "Antrag auf Ausstellung eines Parkausweises für Bewohner",
    ],
    "supplier_invoice": [
        "Rechnung Nr. {number} für die Lieferung vom {date}",
        "bitte überweisen Sie den Betrag von {amount} EUR auf unser Konto",
        "zahlbar innerhalb von 14 Tagen ohne Abzug",
        "Positionen: Büromaterial, Toner, Kopierpapier",
        "Umsatzsteuer 19 % ist im Rechnungsbetrag enthalten",
        "IBAN DE{digits} bei der Sparkasse, Verwendungszweck Rechnung",
    ],
    "complaint": [
        "ich möchte mich über den Zustand des Spielplatzes beschweren",
        "seit Wochen wird der Müll in unserer Straße nicht abgeholt",
        "mein Vorschlag: mehr Bänke im Park aufstellen",
        "die Straßenbeleuchtung ist seit langem defekt, das ist eine Zumutung",
        "ich bin mit der Behandlung im Bürgerbüro sehr unzufrieden",
        "als Anregung schlage ich vor, die Öffnungszeiten zu verlängern",
    ],
    "other": [
        "anbei erhalten Sie unseren Katalog für das kommende Jahr",
        "wir laden Sie herzlich zu unserem Sommerfest ein",
        "vielen Dank für Ihre Glückwünsche zum Jubiläum",
        "beiliegend die Broschüre unseres Vereins zur Information",
        "unser Newsletter informiert über Neuigkeiten aus dem Verband",
        "Werbung: Sonderangebote für Gartenmöbel in unserer Filiale",
    ],
}
LABELS = tuple(PHRASES)
NAMES = ["Anna Becker", "Jürgen Schmitz", "Fatma Yilmaz", "Peter Wolf", "Marie Klein", "Ole Berg"]
STREETS = ["Hofaue", "Friedrich-Ebert-Straße", "Luisenstraße", "Mirker Straße", "Kölner Straße"]
FILLERS = [
    "Sehr geehrte Damen und Herren,",
    "Mit freundlichen Grüßen",
    "Vielen Dank für Ihre Mühe.",
    "Für Rückfragen stehe ich gern zur Verfügung.",
    "Ich bitte um eine kurze Bestätigung.",
]
OCR_SWAPS = {"e": "c", "l": "1", "o": "0", "i": "l", "m": "rn", "ü": "u", "ß": "B", "a": "o"}


def _noise(text: str, rng: random.Random, rate: float) -> str:
    out = []
    for char in text:
        roll = rng.random()
        if roll < rate and char in OCR_SWAPS:
            out.append(OCR_SWAPS[char])
        elif roll < rate * 1.3 and char == " ":
            out.append(rng.choice(["", "\n", "  "]))
        else:
            out.append(char)
    return "".join(out)


def letter(label: str, rng: random.Random, *, noise: float = 0.04) -> str:
    """One letter of `label`: sender, salutation, two to three typical phrases, closing."""
    values = {
        "date": f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026",
        "breed": rng.choice(["Dackel", "Labrador", "Schäferhund", "Pudel"]),
        "pet": rng.choice(["Bello", "Luna", "Rex", "Emma"]),
        "plate": f"{rng.choice('ABCDEFGH')}{rng.choice('KLMNOPQR')} {rng.randint(10, 9999)}",
        "zone": rng.choice(["Elberfeld-Mitte", "Barmen Süd", "Vohwinkel"]),
        "number": str(rng.randint(10000, 99999)),
        "amount": f"{rng.randint(20, 2000)},{rng.randint(0, 99):02d}",
        "digits": "".join(str(rng.randint(0, 9)) for _ in range(20)),
    }
    name = rng.choice(NAMES)
    lines = [
        name,
        f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        f"42{rng.randint(100, 399)} Wuppertal",
        FILLERS[0],
    ]
    lines += [p.format(**values) + "." for p in rng.sample(PHRASES[label], k=rng.randint(2, 3))]
    lines += [rng.choice(FILLERS[2:]), FILLERS[1], name]
    return _noise("\n".join(lines), rng, noise)


def letters(per_label: int, *, seed: int, labels=LABELS, noise: float = 0.04) -> list:
    """`per_label` letters of each label as (text, label), in a seeded shuffled order."""
    rng = random.Random(seed)
    items = [(letter(label, rng, noise=noise), label) for label in labels for _ in range(per_label)]
    rng.shuffle(items)
    return items
