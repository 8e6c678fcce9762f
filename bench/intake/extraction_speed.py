"""Benchmark of field extraction: two-page letters through `fields_extract`, one after another.

Each letter is about 6,000 characters of OCR-like text (sender and city address blocks,
references in our and other formats, dates, an invoice table, IBANs, a signature), every other
one with OCR noise (O for 0, l for 1, a reference broken over a line). Pure Python in this one
process; no Django setup, no database, no files. Prints a table and, as the last line, one JSON
object with the figures. The target: a two-page letter well under 50 ms (p95).

Run: `.venv/bin/python bench/intake/extraction_speed.py`. Environment: BENCH_LETTERS (letters
measured, 500), BENCH_WARMUP (letters before measuring, 20).
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LETTERS = int(os.environ.get("BENCH_LETTERS", "500"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "20"))
TARGET_P95_MS = 50
# Long texts built to make a careless pattern backtrack or a careless loop go quadratic: a
# 100-page OCR text must not hold up a worker. Each about 80,000 characters.
ADVERSARIAL = {
    "prefixes": "WUP-1 0 4 - 2 0 2 " * 4500,
    "country codes": "DE 44 " * 13000,
    "labels": "Az. 1-1-1-1-1-1-1-1-1-1 " * 3300,
    "currency signs": "€ 1 € 1 " * 10000,
    "money lines": "Betrag 1,00\n" * 6500,
    "dates": "1.1.26 " * 11000,
    "address lines": "Max Muster\nHauptstraße 1\n42103 Wuppertal\n" * 2000,
    "IBANs": "DE44 5001 0517 5407 3249 31\n" * 2900,
}
OWN = ("Stadt Wuppertal (Demo)", "Johannes-Rau-Platz 1, 42275 Wuppertal")
TODAY = datetime.date(2026, 11, 20)
IBAN = "DE44500105175407324931"

PARAGRAPH = (
    "Ich beziehe mich auf Ihr Schreiben vom {date} und den darin genannten Betrag von {amount}. "
    "Nach meinem Verständnis ist die Forderung nicht berechtigt, weil der Bescheid auf einer "
    "falschen Annahme beruht. Ich bitte Sie, den Vorgang noch einmal zu prüfen und mir das "
    "Ergebnis schriftlich mitzuteilen. Unterlagen dazu habe ich beigefügt; weitere reiche ich "
    "gern nach, wenn Sie mir sagen, welche Sie noch brauchen. Telefonisch bin ich unter "
    "0202 {phone} erreichbar, am besten vormittags zwischen 9 und 12 Uhr.\n"
)


def letter(rng: random.Random, *, noisy: bool) -> str:
    """A two-page letter with every kind of field, made up from `rng`."""
    number = rng.randint(1, 99999)
    reference = f"WUP-{rng.choice(['104', '106', '201', '302'])}-2026-{number:05d}"
    if noisy:
        reference = reference.replace("0", "O", 1).replace("-2026-", "-2026-\n", 1)
    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))
    iban = " ".join(IBAN[i : i + 4] for i in range(0, len(IBAN), 4))
    if noisy:
        iban = iban.replace("0", "O", 2).replace("1", "l", 1)
    lines = [
        "Max Mustermann",
        f"Hauptstraße {rng.randint(1, 200)}",
        f"421{rng.randint(0, 99):02d} Wuppertal",
        "",
        "Stadt Wuppertal",
        "Straßen und Verkehr",
        "Johannes-Rau-Platz 1",
        "42275 Wuppertal",
        "",
        f"Wuppertal, {day.day}. November 2026",
        "",
        f"Widerspruch gegen den Bescheid vom {day:%d.%m.%Y}",
        f"Aktenzeichen {reference}",
        f"Ihr Zeichen: 32.1-{number:04d}/26   Kassenzeichen 5.2026.{number:06d}",
        "",
        "Sehr geehrte Damen und Herren,",
        "",
    ]
    for _ in range(9):
        lines.append(
            PARAGRAPH.format(
                date=f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.26",
                amount=f"{rng.randint(1, 9999)},{rng.randint(0, 99):02d} €",
                phone=rng.randint(100000, 999999),
            )
        )
    lines += ["Pos  Leistung                 Menge  Einzelpreis  Gesamt"]
    for position in range(1, 9):
        price = rng.randint(100, 99999) / 100
        lines.append(
            f"{position}    Leistung {position}      2      {price:.2f} €   {2 * price:.2f} €"
        )
    lines += [
        "Summe netto                                 1.000,00 €",
        "zzgl. 19 % MwSt                               190,00 €",
        "Gesamtbetrag                                1.190,00 €",
        "",
        f"Bitte überweisen Sie auf IBAN {iban}, BIC INGDDEFFXXX.",
        "",
        "Mit freundlichen Grüßen",
        "Max Mustermann",
    ]
    return "\n".join(lines)


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from rathaus.intake.extraction import fields_extract

    rng = random.Random(6)  # noqa: S311  (made-up letters, not secrets)
    texts = [letter(rng, noisy=index % 2 == 1) for index in range(WARMUP + LETTERS)]
    for text in texts[:WARMUP]:
        fields_extract(text, own_addresses=OWN, today=TODAY)
    durations, cpu_durations = [], []
    for text in texts[WARMUP:]:
        begin, cpu_begin = time.perf_counter(), time.process_time()
        fields = fields_extract(text, own_addresses=OWN, today=TODAY)
        durations.append((time.perf_counter() - begin) * 1000)
        cpu_durations.append((time.process_time() - cpu_begin) * 1000)
        # The figures count only if the fields are right.
        assert fields.ibans == (IBAN,), "the IBAN was not read"
        assert [r.kind for r in fields.references] == ["ours", "other", "other"], "references"
        assert fields.total is not None and fields.sender is not None, "total or sender missing"

    adversarial = {}
    for name, text in ADVERSARIAL.items():
        begin = time.process_time()
        fields_extract(text, own_addresses=OWN, today=TODAY)
        adversarial[name] = round((time.process_time() - begin) * 1000, 1)

    result = {
        "letters": LETTERS,
        "characters_per_letter": round(statistics.mean(len(text) for text in texts)),
        "letter": _percentiles(durations),
        "letter_cpu": _percentiles(cpu_durations),
        "load_average": round(os.getloadavg()[0], 1),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": _percentiles(durations)["p95_ms"] < TARGET_P95_MS,
        "adversarial_80k_chars_cpu_ms": adversarial,
    }
    figures, cpu = result["letter"], result["letter_cpu"]
    print(f"{LETTERS} two-page letters, {result['characters_per_letter']} characters each")
    print(f"{'':<12}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, row in (("wall clock", figures), ("CPU", cpu)):
        print(f"{label:<12}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}")
    print(f"target: p95 under {TARGET_P95_MS} ms (load average {result['load_average']})")
    print("\nadversarial texts of about 80,000 characters (CPU time):")
    for name, milliseconds in adversarial.items():
        print(f"  {name:<16}{milliseconds:>10} ms")
    print(json.dumps({"bench": "intake_extraction_speed", **result}, separators=(",", ":")))


if __name__ == "__main__":
    main()
