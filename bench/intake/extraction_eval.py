"""Figures of field extraction on the generated letters: exact-match recall and precision.

Runs `fields_extract` on every letter of a set (default `var/intake-data/eval/`) and compares
with the gold fields: per field the share of gold values found exactly (recall) and the share
of found values that are gold (precision), counted over all letters; the sender as a whole
(name, street, postcode, town all equal). Targets: recall of references >= 0.95, of IBANs
>= 0.99. Prints a table and, as its last line, one JSON object with the figures.

    .venv/bin/python bench/intake/extraction_eval.py [--data var/intake-data] [--set eval]
        [--text-field ocr_text --text-field text]

`--text-field` names the manifest field holding the text, more than once for a preference
order: the final benchmark passes the OCR text and falls back to the clean `text`. The
generator's gold leaves out some codes the letters print (a law firm's "Unser Zeichen"), so
precision is a lower bound. Touches no database and no network.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake.dataset import load_manifest  # noqa: E402
from rathaus.intake.extraction import fields_extract  # noqa: E402

FIELDS = ("references", "dates", "ibans", "amounts")
TARGETS = {"references": 0.95, "ibans": 0.99}
# The city as the generator addresses it (docs/configuration.md: RATHAUS_CITY_NAME/_ADDRESS).
OWN_ADDRESSES = ("Stadt Wuppertal", "Johannes-Rau-Platz 1, 42275 Wuppertal")


def _text(item: dict, text_fields: tuple[str, ...]) -> str:
    for name in text_fields:
        if item.get(name):
            return item[name]
    if not any(name in item for name in text_fields):
        sys.exit(f"{item['id']} has none of the text fields {', '.join(text_fields)}")
    return ""  # a page without any text


def evaluate(items: list[dict], text_fields: tuple[str, ...]) -> dict:
    """Extract the fields of every letter's text here and score them against the gold."""
    found, seconds = [], 0.0
    for item in items:
        started = time.perf_counter()
        found.append(
            fields_extract(_text(item, text_fields), own_addresses=OWN_ADDRESSES).as_json()
        )
        seconds += time.perf_counter() - started
    return score(items, found, seconds=seconds)


def score(items: list[dict], found_fields: list[dict], *, seconds: float = 0.0) -> dict:
    """Exact-match recall and precision of the fields found (`as_json` form, one dict per
    item, in the order of `items`) against the items' gold fields."""
    gold_count = dict.fromkeys(FIELDS, 0)
    found_count = dict.fromkeys(FIELDS, 0)
    hits = dict.fromkeys(FIELDS, 0)
    sender = {"with_address": 0, "exact": 0, "without_address": 0, "invented_address": 0}
    misses: dict[str, list[str]] = {field: [] for field in FIELDS}
    for item, found in zip(items, found_fields, strict=True):
        gold = item["fields"]
        for field in FIELDS:
            gold_count[field] += len(gold[field])
            found_count[field] += len(found.get(field) or [])
            hits[field] += len(set(gold[field]) & set(found.get(field) or []))
            misses[field] += [
                f"{item['id']}: {value}"
                for value in gold[field]
                if value not in (found.get(field) or [])
            ]
        if gold["sender"]:
            sender["with_address"] += 1
            sender["exact"] += found.get("sender") == gold["sender"]
        else:
            sender["without_address"] += 1
            # A name alone (from "Von: ..."), where gold has no postal address, is no error.
            sender["invented_address"] += bool(
                found.get("sender") and found["sender"].get("street")
            )
    figures = {
        field: {
            "gold": gold_count[field],
            "found": found_count[field],
            "recall": round(hits[field] / gold_count[field], 4) if gold_count[field] else None,
            "precision": round(hits[field] / found_count[field], 4) if found_count[field] else None,
        }
        for field in FIELDS
    }
    figures["sender"] = {
        **sender,
        "exact_rate": round(sender["exact"] / sender["with_address"], 4)
        if sender["with_address"]
        else None,
    }
    return {
        "letters": len(items),
        "fields": figures,
        "ms_per_letter": round(1000 * seconds / max(1, len(items)), 2),
        "meets_targets": all(
            (figures[field]["recall"] or 0) >= target for field, target in TARGETS.items()
        ),
        "misses": {field: values[:10] for field, values in misses.items() if values},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "var" / "intake-data"))
    parser.add_argument("--set", default="eval", choices=("train", "eval"))
    parser.add_argument("--text-field", action="append", dest="text_fields")
    arguments = parser.parse_args()
    text_fields = tuple(arguments.text_fields or ["text"])
    manifest = Path(arguments.data) / arguments.set
    if not (manifest / "manifest.jsonl").exists():
        sys.exit(f"{manifest}/manifest.jsonl is missing: run bench/intake/generate.py first")
    result = evaluate(load_manifest(manifest), text_fields)

    print(f"{result['letters']} letters of {manifest} (text: {', '.join(text_fields)})")
    print(f"{'field':<12}{'gold':>7}{'found':>7}{'recall':>9}{'precision':>11}{'target':>9}")
    for field in FIELDS:
        row = result["fields"][field]
        target = f"{TARGETS[field]:.2f}" if field in TARGETS else ""
        recall = "-" if row["recall"] is None else f"{row['recall']:.4f}"
        precision = "-" if row["precision"] is None else f"{row['precision']:.4f}"
        print(f"{field:<12}{row['gold']:>7}{row['found']:>7}{recall:>9}{precision:>11}{target:>9}")
    sender = result["fields"]["sender"]
    print(
        f"sender: {sender['exact']} of {sender['with_address']} exact; "
        f"{sender['invented_address']} of {sender['without_address']} letters without a "
        "postal address got one"
    )
    for field, values in result["misses"].items():
        print(f"missed {field}: {'; '.join(values)}")
    print(f"{result['ms_per_letter']} ms per letter; targets met: {result['meets_targets']}")
    print(json.dumps({"bench": "intake_extraction", **result}, separators=(",", ":")))


if __name__ == "__main__":
    main()
