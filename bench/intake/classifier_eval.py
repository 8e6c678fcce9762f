"""Figures of the document-type classifier on the generated letters.

Trains on the letters of `train/manifest.jsonl`, evaluates on those of `eval/manifest.jsonl`
(letters of the evaluation set are never trained on: the same text in both is dropped from
training) with the method of `rathaus.classifier.training`, single-threaded as in a worker.
Prints a table and, as its last line, one JSON object with macro-F1, per-type precision and
recall, coverage at the abstention threshold and the precision of the routed (not abstained)
letters; targets: macro-F1 >= 0.95, routing precision >= 0.98 at coverage >= 0.85.

    .venv/bin/python bench/intake/classifier_eval.py [--data var/intake-data]
        [--text-field ocr_text --text-field text]
        [--vocabulary catalog/intake.yaml | --no-vocabulary]

`--text-field` names the manifest field holding the text, more than once for a preference
order: the final benchmark passes the OCR text and falls back to the clean `text`. The
vocabulary is the `terms` (and `any_topic`) of the routing table's types (`--vocabulary`,
default catalog/intake.yaml), as the classifier `intake` learns it; `--no-vocabulary` trains on
the letters alone.
Touches no database and no network.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from rathaus.classifier import training  # noqa: E402
from rathaus.classifier.manifest import manifest_read  # noqa: E402

TARGET_MACRO_F1 = 0.95
TARGET_PRECISION = 0.98
TARGET_COVERAGE = 0.85


def meets_targets(*, macro_f1: float, coverage: float, precision: float) -> bool:
    """Whether one evaluation's figures reach the targets of the benchmark."""
    return (
        macro_f1 >= TARGET_MACRO_F1
        and precision >= TARGET_PRECISION
        and coverage >= TARGET_COVERAGE
    )


def _read(path: Path, text_fields: tuple[str, ...]):
    items, problems = manifest_read(path, text_fields=text_fields)
    if problems:
        lines = ", ".join(f"{p.line} ({p.code})" for p in problems[:10])
        sys.exit(f"{path}: {len(problems)} unusable lines: {lines}")
    if not items:
        sys.exit(f"{path}: no letters")
    return items


def vocabulary_read(path: Path) -> training.Vocabulary:
    """The vocabulary in a routing table: `terms` and `any_topic` of its types (the table is
    checked by the app when it routes)."""
    return training.Vocabulary.of_types(yaml.safe_load(path.read_text(encoding="utf-8"))["types"])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "intake-data")
    parser.add_argument("--text-field", dest="text_fields", action="append", metavar="FIELD")
    parser.add_argument("--vocabulary", type=Path, default=ROOT / "catalog" / "intake.yaml")
    parser.add_argument("--no-vocabulary", action="store_true", help="train on the letters alone")
    args = parser.parse_args(argv)
    text_fields = tuple(args.text_fields or ["text"])
    for set_name in ("train", "eval"):
        if not (args.data / set_name / "manifest.jsonl").exists():
            sys.exit(
                f"{args.data / set_name / 'manifest.jsonl'} is missing: generate the letters "
                "first (bench/intake/generate.py)"
            )
    train = _read(args.data / "train" / "manifest.jsonl", text_fields)
    evaluation = _read(args.data / "eval" / "manifest.jsonl", text_fields)

    held_out = {training.text_hash(item.text) for item in evaluation}
    kept = [item for item in train if training.text_hash(item.text) not in held_out]
    started = time.perf_counter()
    vocabulary = training.Vocabulary() if args.no_vocabulary else vocabulary_read(args.vocabulary)
    fitted = training.fit(
        texts=[i.text for i in kept], labels=[i.label for i in kept], vocabulary=vocabulary
    )
    fit_seconds = time.perf_counter() - started

    texts = [i.text for i in evaluation]
    result = training.evaluate(
        pipeline=fitted.pipeline,
        threshold=fitted.threshold,
        texts=texts,
        labels=[i.label for i in evaluation],
    )
    model_bytes = len(training.pipeline_dumps(fitted.pipeline))
    durations, cpu = [], []
    for text in texts[:300]:
        begin, cpu_begin = time.perf_counter(), time.process_time()
        training.predict(pipeline=fitted.pipeline, threshold=fitted.threshold, texts=[text])
        durations.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - cpu_begin) * 1000)
    durations.sort()
    cpu.sort()

    figures = {
        "train_letters": len(kept),
        "train_dropped_as_in_eval": len(train) - len(kept),
        "eval_letters": len(evaluation),
        "text_fields": list(text_fields),
        "texts_from": {
            field: sum(1 for i in evaluation if i.text_field == field) for field in text_fields
        },
        "macro_f1": result["macro_f1"],
        "accuracy": result["accuracy"],
        "threshold": result["threshold"],
        "coverage": result["coverage"],
        "routing_precision": result["precision"],
        "per_type": result["labels"],
        "holdout": fitted.holdout.as_dict(),
        "left_out_types": fitted.left_out,
        "vocabulary_terms": fitted.vocabulary,
        "fit_seconds": round(fit_seconds, 1),
        "classify_ms_p50": round(statistics.median(durations), 2),
        "classify_ms_p95": round(durations[int(0.95 * (len(durations) - 1))], 2),
        # Other processes on the machine stretch the wall clock; CPU time is the letter's cost.
        "classify_cpu_ms_p50": round(statistics.median(cpu), 2),
        "load_average": round(os.getloadavg()[0], 1),
        "model_bytes": model_bytes,
        "meets_targets": meets_targets(
            macro_f1=result["macro_f1"], coverage=result["coverage"], precision=result["precision"]
        ),
    }
    print(
        f"Trained on {figures['train_letters']} letters in {figures['fit_seconds']} s "
        f"(one thread), evaluated on {figures['eval_letters']} ({', '.join(text_fields)}).\n"
    )
    print(training.metrics_table(result))
    print(
        f"\nabstention threshold {result['threshold']:.3f} (chosen on "
        f"{fitted.holdout.size} held-out training letters)"
    )
    print(
        f"targets: macro-F1 >= {TARGET_MACRO_F1}, routing precision >= {TARGET_PRECISION} at "
        f"coverage >= {TARGET_COVERAGE}: {'met' if figures['meets_targets'] else 'NOT met'}"
    )
    print(
        f"classify: p50 {figures['classify_ms_p50']} ms, p95 {figures['classify_ms_p95']} ms "
        f"per letter (CPU p50 {figures['classify_cpu_ms_p50']} ms, load average "
        f"{figures['load_average']}); model file {model_bytes / 1e6:.1f} MB"
    )
    print(json.dumps({"bench": "intake_classifier", **figures}, separators=(",", ":")))
    return figures


if __name__ == "__main__":
    main()
