"""Benchmark of the incoming-mail pipeline on the generated letters (`make bench-intake`).

1. Generates the letters (`var/intake-data`, docs/intake-data.md) if they are missing or were
   made by another generator version.
2. Sets up a throwaway installation (SQLite and files in a temporary folder, the demo city's
   departments), imports the training letters, freezes the evaluation letters' clean text as the
   classifier's evaluation set and trains the model (`rathaus.classifier.services`).
3. Sends a seeded subset of the evaluation letters (every type alike) through the real pipeline
   (`intake_receive` + `item_process`: preflight, OCR with Tesseract, classify, extract,
   match, route) in 2 worker processes, one page per core (`RATHAUS_INTAKE_OCR_JOBS=1`,
   `OMP_THREAD_LIMIT=1`): scans first, then the born-digital PDFs.
4. Runs bare `tesseract` (CLI, deu+eng, 2 in parallel, `OMP_THREAD_LIMIT=1`) on the same scanned
   pages, for the throughput ratio (target >= 0.85).
5. Scores what the pipeline stored against the gold: macro-F1 and per-type precision/recall of
   the document type on the OCR text, coverage and routing precision (right department) of the
   letters not sent to triage, exact-match recall of references and IBANs; peak RSS of a worker.

Prints a table and, as its last line, one JSON object with the figures.

    .venv/bin/python bench/intake/run.py [--limit N | --all] [--data var/intake-data]

`--limit` (or BENCH_INTAKE_LIMIT) is the number of evaluation letters (default 48, about three
minutes on two free cores); `--all` (or --limit 0) takes all 300. Touches no network and no
database but its own.
"""

import argparse
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from bench.intake import extraction_eval  # noqa: E402
from bench.intake.dataset import MANIFEST, load_manifest  # noqa: E402

DEFAULT_DATA = ROOT / "var" / "intake-data"
DEFAULT_LIMIT = 48
WORKERS = 2
SEED = 7
TRAIN, EVAL = 600, 300
LANGUAGES = "deu+eng"
# The city as the generator addresses it: the extraction leaves its address out of the sender.
CITY = {
    "RATHAUS_CITY_NAME": extraction_eval.OWN_ADDRESSES[0],
    "RATHAUS_CITY_ADDRESS": extraction_eval.OWN_ADDRESSES[1],
}
TARGETS = {
    "throughput_ratio": 0.85,
    "macro_f1": 0.95,
    "routing_precision": 0.98,
    "coverage": 0.85,
    "reference_recall": 0.95,
    "iban_recall": 0.99,
    "worker_peak_rss_mb": 1024,
}


class BenchError(Exception):
    """The benchmark cannot run; the message says why."""


# --- Data --------------------------------------------------------------------------------------


def data_ensure(data: Path, *, progress: bool = True) -> str:
    """Generate the standard sets unless both are there from this generator version."""
    from bench.intake.generate import GENERATOR_VERSION, dataset_generate

    current = True
    for set_name in ("train", "eval"):
        info = data / set_name / "info.json"
        if not (data / set_name / MANIFEST).exists() or not info.exists():
            current = False
            continue
        made_by = json.loads(info.read_text(encoding="utf-8")).get("generator")
        current = current and made_by == GENERATOR_VERSION
    if current:
        return "present"
    if progress:
        print(f"generating {TRAIN} + {EVAL} letters in {data} (a few minutes)", file=sys.stderr)
    dataset_generate(
        out=data, train=TRAIN, eval_count=EVAL, seed=SEED, workers=WORKERS, progress=progress
    )
    return "generated"


def subset(items: list[dict], limit: int, *, seed: int = SEED) -> list[dict]:
    """`limit` items (all for 0), the types taken in turn, each type's items in a seeded order."""
    if not limit or limit >= len(items):
        return list(items)
    rng = random.Random(f"bench-intake/{seed}/subset")  # noqa: S311 (a sample, not a secret)
    by_label: dict[str, list[dict]] = {}
    for item in items:
        by_label.setdefault(item["label"], []).append(item)
    queues = {label: rng.sample(group, len(group)) for label, group in sorted(by_label.items())}
    chosen: list[dict] = []
    while len(chosen) < limit:
        for queue in queues.values():
            if queue and len(chosen) < limit:
                chosen.append(queue.pop(0))
    return sorted(chosen, key=lambda item: item["id"])


# --- The installation --------------------------------------------------------------------------


def environment(var_dir: Path) -> dict[str, str]:
    """What the benchmark's processes run with: production settings, a database and files of
    their own, OCR one page per process."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "RATHAUS_VAR_DIR": str(var_dir),
        "RATHAUS_SECRET_KEY": "bench-intake-" + "x" * 60,
        "RATHAUS_LOG_LEVEL": "ERROR",
        "RATHAUS_INTAKE_OCR_JOBS": "1",
        "OMP_THREAD_LIMIT": "1",
        **CITY,
    }


def _environ_apply(env: dict[str, str]) -> None:
    for key in [key for key in os.environ if key.startswith("RATHAUS_") or key == "DATABASE_URL"]:
        del os.environ[key]
    os.environ.update(env)


def installation_prepare(*, train_manifest: Path, evaluation: list[dict]):
    """Migrate, create the departments, import the training letters, train the model."""
    from django.core.management import call_command

    from rathaus.accounts.services import department_ensure
    from rathaus.classifier.services import classifier_train, evaluation_set_freeze
    from rathaus.demo.services import DEPARTMENTS

    call_command("migrate", verbosity=0)
    for spec in DEPARTMENTS:
        department_ensure(code=spec.code, slug=spec.slug, name=spec.name)
    call_command(
        "classifier_import",
        "intake",
        str(train_manifest),
        "--as",
        "training",
        "--source",
        "generated",
        verbosity=0,
        stdout=io.StringIO(),
    )
    # The clean text of every evaluation letter: the model's figures on clean text, and no
    # evaluation letter can be trained on (the training leaves this set out by hash).
    evaluation_set_freeze(
        name="intake", examples=[(item["text"], item["label"]) for item in evaluation]
    )
    started = time.monotonic()
    model = classifier_train(name="intake", activate="always")
    return model, time.monotonic() - started


# --- The workers -------------------------------------------------------------------------------


def _worker_init(env: dict[str, str]) -> None:
    _environ_apply(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _worker_warm() -> int:
    """Load what a long-running worker has loaded: OCRmyPDF (for born-digital letters) and the
    active model."""
    import ocrmypdf  # noqa: F401

    from rathaus.classifier.services import classify

    classify(name="intake", text="Sehr geehrte Damen und Herren")
    time.sleep(0.5)  # both workers get one
    return os.getpid()


def _worker_process(path: str) -> dict:
    """One letter through the whole pipeline, as `manage.py intake_run` does."""
    from rathaus.intake.management.commands.intake_run import item_summary
    from rathaus.intake.models import Channel
    from rathaus.intake.pipeline.runner import item_process
    from rathaus.intake.services import intake_receive

    started = time.perf_counter()
    with open(path, "rb") as handle:
        receipt = intake_receive(
            file=handle, file_name=Path(path).name, channel=Channel.COMMAND, start=False
        )
    item = item_process(item_id=receipt.item_id)
    return {
        "path": path,
        "summary": item_summary(item),
        "found": item.fields or {},
        "ocr_text": item.ocr_text,
        "seconds": time.perf_counter() - started,
        "pid": os.getpid(),
        "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }


def pipeline_run(items: list[dict], env: dict[str, str], workers: int = WORKERS) -> dict:
    """The scans, then the born-digital PDFs, through `workers` processes; wall clock each."""
    phases = {
        "scans": [item for item in items if not item["born_digital"]],
        "born_digital": [item for item in items if item["born_digital"]],
    }
    results: dict[str, dict] = {}
    seconds: dict[str, float] = {}
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("spawn"),
        initializer=_worker_init,
        initargs=(env,),
    ) as pool:
        pids = {future.result() for future in [pool.submit(_worker_warm) for _ in range(workers)]}
        for phase, group in phases.items():
            started = time.perf_counter()
            for result in pool.map(_worker_process, [item["path"] for item in group]):
                results[result["path"]] = result
            seconds[phase] = time.perf_counter() - started
    return {"results": results, "seconds": seconds, "phases": phases, "warm_pids": pids}


# --- Bare Tesseract ----------------------------------------------------------------------------


def tesseract_images(items: list[dict], folder: Path) -> list[Path]:
    """The page images of the scans: the files themselves, PDF pages rendered at 300 dpi into
    uncompressed greyscale (the quickest file for Tesseract to read)."""
    import pypdfium2 as pdfium

    images = []
    for item in items:
        path = Path(item["path"])
        if path.suffix != ".pdf":
            images.append(path)
            continue
        document = pdfium.PdfDocument(str(path))
        try:
            for number in range(len(document)):
                image = folder / f"{item['id']}-{number + 1:03d}.pgm"
                page = document[number]
                page.render(scale=300 / 72, grayscale=True).to_pil().convert("L").save(image)
                images.append(image)
        finally:
            document.close()
    return images


def tesseract_run(images: list[Path], workers: int = WORKERS) -> float:
    """Seconds for bare Tesseract to read every image, `workers` at a time, one thread each."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def read(image: Path) -> None:
        subprocess.run(  # noqa: S603
            ["tesseract", str(image), "stdout", "-l", LANGUAGES],  # noqa: S607
            check=True,
            capture_output=True,
            env=env,
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(read, images))
    return time.perf_counter() - started


def tesseract_library_run(images: list[Path], folder: Path, workers: int = WORKERS) -> float:
    """Seconds for the Tesseract library alone (loaded once, as in the pipeline's workers) to
    read every image, `workers` at a time: what OCR itself costs, without the program's start.
    The stricter yardstick: the pipeline's time beyond it is all its own work."""
    from rathaus.intake.pipeline.tesseract import engine

    os.environ["OMP_THREAD_LIMIT"] = "1"

    def read(numbered: tuple[int, Path]) -> None:
        number, image = numbered
        with engine(LANGUAGES) as loaded:
            loaded.read(image, folder / f"library-{number}", dpi=300, timeout=600)

    for number in range(workers):  # loaded before the clock starts, as in a running worker
        with engine(LANGUAGES) as loaded:
            loaded.read(images[0], folder / f"warm-{number}", dpi=300, timeout=600)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(read, enumerate(images)))
    return time.perf_counter() - started


# --- Figures -----------------------------------------------------------------------------------


def _per_minute(pages: int, seconds: float) -> float:
    return round(60 * pages / seconds, 2) if seconds else 0.0


def _at_least(value: float | None, target: float) -> bool | None:
    return None if value is None else value >= target


def wilson_interval(right: int, total: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a share of `right` in `total` (0, 0 for none).

    A few hundred routed letters measure a precision only so far: 252 of 258 is 0.977, and
    anything from 0.950 to 0.989 would give that count as readily. The interval says so beside
    the figure (the target is checked on the figure itself)."""
    from scipy.stats import binomtest  # only when scoring: the workers need none of it

    if total <= 0:
        return (0.0, 0.0)
    interval = binomtest(right, total).proportion_ci(confidence_level=0.95, method="wilson")
    return (round(float(interval.low), 4), round(float(interval.high), 4))


def figures_compute(
    *, items, run, tesseract_seconds, library_seconds, model, train_seconds, table
) -> dict:
    from rathaus.classifier import training

    results = [run["results"][item["path"]] for item in items]
    summaries = [result["summary"] for result in results]
    classification = training.scores(
        predicted=[s["document_type"] or "other" for s in summaries],
        abstained=[s["abstained"] or not s["document_type"] for s in summaries],
        truth=[item["label"] for item in items],
        threshold=model.threshold,
    )
    routed = [
        (summary, item)
        for summary, item in zip(summaries, items, strict=True)
        if not summary["triage"] and summary["department"]
    ]
    right = sum(
        1
        for summary, item in routed
        if (table.type_of(item["label"]).department if table.type_of(item["label"]) else None)
        == summary["department"]
    )
    extraction = extraction_eval.score(items, [result["found"] for result in results])
    pages = {phase: sum(i["pages"] for i in group) for phase, group in run["phases"].items()}
    total_pages = sum(pages.values())
    total_seconds = sum(run["seconds"].values())
    scans_rate = _per_minute(pages["scans"], run["seconds"]["scans"])
    tesseract_rate = _per_minute(pages["scans"], tesseract_seconds)
    library_rate = _per_minute(pages["scans"], library_seconds)
    worker_rss = max(result["rss_kb"] for result in results) / 1024
    children_rss = max(result["children_rss_kb"] for result in results) / 1024
    statuses: dict[str, int] = {}
    for summary in summaries:
        statuses[summary["status"]] = statuses.get(summary["status"], 0) + 1
    clean = model.metrics.get("evaluation", {})
    figures = {
        "letters": len(items),
        "pages": total_pages,
        "workers": WORKERS,
        "pages_per_minute": _per_minute(total_pages, total_seconds),
        "scan_pages": pages["scans"],
        "scan_pages_per_minute": scans_rate,
        "born_digital_pages": pages["born_digital"],
        "born_digital_pages_per_minute": _per_minute(
            pages["born_digital"], run["seconds"]["born_digital"]
        ),
        "tesseract_pages_per_minute": tesseract_rate,
        "throughput_ratio": round(scans_rate / tesseract_rate, 3) if tesseract_rate else 0.0,
        "tesseract_library_pages_per_minute": library_rate,
        "ratio_to_library": round(scans_rate / library_rate, 3) if library_rate else 0.0,
        "macro_f1": classification["macro_f1"],
        "accuracy": classification["accuracy"],
        "per_type": {
            label: {key: row[key] for key in ("precision", "recall", "support")}
            for label, row in classification["labels"].items()
        },
        "threshold": round(model.threshold, 4),
        "coverage": round(len(routed) / len(items), 4) if items else 0.0,
        "routing_precision": round(right / len(routed), 4) if routed else 0.0,
        "routed": len(routed),
        "routed_wrong": len(routed) - right,
        "routing_precision_interval": wilson_interval(right, len(routed)),
        "classifier_routed_precision": classification["precision"],
        "reference_recall": extraction["fields"]["references"]["recall"],
        "reference_precision": extraction["fields"]["references"]["precision"],
        "iban_recall": extraction["fields"]["ibans"]["recall"],
        "iban_precision": extraction["fields"]["ibans"]["precision"],
        "date_recall": extraction["fields"]["dates"]["recall"],
        "amount_recall": extraction["fields"]["amounts"]["recall"],
        "sender_exact": extraction["fields"]["sender"]["exact_rate"],
        "worker_peak_rss_mb": round(worker_rss, 1),
        "ocr_children_peak_rss_mb": round(children_rss, 1),
        "statuses": statuses,
        "model_version": model.version,
        "train_letters": model.training_size,
        "train_seconds": round(train_seconds, 1),
        "clean_text_macro_f1": clean.get("macro_f1"),
        "clean_text_coverage": clean.get("coverage"),
        "clean_text_precision": clean.get("precision"),
        "clean_text_letters": clean.get("size"),
        "load_average": round(os.getloadavg()[0], 1),
    }
    checks = {
        "throughput_ratio": figures["throughput_ratio"] >= TARGETS["throughput_ratio"],
        "macro_f1": figures["macro_f1"] >= TARGETS["macro_f1"],
        "routing_precision": figures["routing_precision"] >= TARGETS["routing_precision"],
        "coverage": figures["coverage"] >= TARGETS["coverage"],
        # None: no letter of the subset printed one
        "reference_recall": _at_least(figures["reference_recall"], TARGETS["reference_recall"]),
        "iban_recall": _at_least(figures["iban_recall"], TARGETS["iban_recall"]),
        "worker_peak_rss_mb": figures["worker_peak_rss_mb"] < TARGETS["worker_peak_rss_mb"],
    }
    figures["targets_met"] = checks
    return {"figures": figures, "classification": classification, "extraction": extraction}


def report(result: dict, *, total: int, limit: int) -> str:
    from rathaus.classifier import training

    f = result["figures"]
    interval = f["routing_precision_interval"]
    subset_note = "all" if f["letters"] == total else f"a seeded subset of {f['letters']}"
    met = f["targets_met"]

    def mark(key: str) -> str:
        return "n/a" if met[key] is None else "ok" if met[key] else "MISSED"

    lines = [
        f"Incoming mail: {subset_note} of {total} evaluation letters, {f['pages']} pages; model "
        f"v{f['model_version']} trained on {f['train_letters']} letters in {f['train_seconds']} s",
        "",
        f"Throughput ({f['workers']} workers, one page per core, OMP_THREAD_LIMIT=1)",
        f"  pipeline end to end        {f['pages_per_minute']:>8.2f} pages/min  "
        f"({f['pages']} pages)",
        f"    scans                    {f['scan_pages_per_minute']:>8.2f} pages/min  "
        f"({f['scan_pages']} pages)",
        f"    born-digital PDFs        {f['born_digital_pages_per_minute']:>8.2f} pages/min  "
        f"({f['born_digital_pages']} pages)",
        f"  bare tesseract ({LANGUAGES})  {f['tesseract_pages_per_minute']:>8.2f} pages/min  "
        "(the same scans)",
        f"  ratio                      {f['throughput_ratio']:>8.3f}  target >= "
        f"{TARGETS['throughput_ratio']}  {mark('throughput_ratio')}",
        f"  Tesseract library alone    {f['tesseract_library_pages_per_minute']:>8.2f} pages/min  "
        "(loaded once, the same scans)",
        f"  ratio to the library       {f['ratio_to_library']:>8.3f}  (the pipeline's own work)",
        "",
        "Document type on the OCR text (per type: precision, recall, F1, letters)",
        training.metrics_table(result["classification"]),
        "",
        f"abstention threshold {f['threshold']}; routed to a department: coverage "
        f"{f['coverage']:.3f} (target >= {TARGETS['coverage']}, {mark('coverage')}), right "
        f"department {f['routing_precision']:.3f} (target >= {TARGETS['routing_precision']}, "
        f"{mark('routing_precision')}); macro-F1 target >= {TARGETS['macro_f1']}: "
        f"{mark('macro_f1')}",
        f"  {f['routed'] - f['routed_wrong']} of {f['routed']} routed letters in the right "
        f"department; 95 % interval of that share {interval[0]:.3f} to {interval[1]:.3f}",
        f"the same model on the clean text of all {f['clean_text_letters']} evaluation letters: "
        f"macro-F1 {f['clean_text_macro_f1']}, coverage {f['clean_text_coverage']}, routed "
        f"precision {f['clean_text_precision']}",
        "",
        "Fields on the OCR text (exact match)",
        f"  {'field':<12}{'gold':>6}{'found':>7}{'recall':>9}{'precision':>11}",
    ]
    for field in extraction_eval.FIELDS:
        row = result["extraction"]["fields"][field]
        recall = "-" if row["recall"] is None else f"{row['recall']:.3f}"
        precision = "-" if row["precision"] is None else f"{row['precision']:.3f}"
        lines.append(f"  {field:<12}{row['gold']:>6}{row['found']:>7}{recall:>9}{precision:>11}")
    lines += [
        f"  references: target recall >= {TARGETS['reference_recall']} "
        f"{mark('reference_recall')}; IBANs: >= {TARGETS['iban_recall']} {mark('iban_recall')}; "
        f"sender exact {f['sender_exact']}",
    ]
    for field, misses in result["extraction"]["misses"].items():
        if field in ("references", "ibans"):
            lines.append(f"  missed {field}: {'; '.join(misses)}")
    lines += [
        "",
        f"Memory: worker peak RSS {f['worker_peak_rss_mb']} MB (target < "
        f"{TARGETS['worker_peak_rss_mb']} MB, {mark('worker_peak_rss_mb')}); largest OCR "
        f"child process {f['ocr_children_peak_rss_mb']} MB",
        f"Statuses: {f['statuses']}; load average {f['load_average']}",
    ]
    if limit:
        lines.append("All 300 letters: --all (or BENCH_INTAKE_LIMIT=0), about ten minutes.")
    return "\n".join(lines)


def _progress(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:6.1f} s] {message}", file=sys.stderr, flush=True)


def bench(*, data: Path, limit: int, keep: Path | None = None) -> dict:
    """Run the whole benchmark; returns the figures (progress goes to stderr)."""
    begun = time.monotonic()
    from bench.intake.generate import GeneratorError

    for tool in ("tesseract", "pdftoppm"):
        if not shutil.which(tool):
            raise BenchError(f"{tool} is missing: install tesseract-ocr and poppler-utils.")
    try:
        data_state = data_ensure(data)
    except GeneratorError as error:
        raise BenchError(str(error)) from error
    evaluation = load_manifest(data / "eval")
    items = subset(evaluation, limit)
    folder = Path(tempfile.mkdtemp(prefix="rathaus-bench-intake-", dir=keep))
    try:
        env = environment(folder / "var")
        (folder / "var").mkdir()
        _environ_apply(env)
        import django

        django.setup()
        from django.db import connections

        from rathaus.intake.routing import routing_table

        _progress(f"data {data_state}; setting up and training", begun)
        model, train_seconds = installation_prepare(
            train_manifest=data / "train" / MANIFEST, evaluation=evaluation
        )
        table = routing_table()
        connections.close_all()
        _progress(f"model v{model.version} trained; {len(items)} letters to the pipeline", begun)
        run = pipeline_run(items, env)
        images = tesseract_images(run["phases"]["scans"], folder)
        _progress(f"pipeline done; bare tesseract on {len(images)} images", begun)
        tesseract_seconds = tesseract_run(images) if images else 0.0
        _progress("tesseract done; the Tesseract library on the same images", begun)
        library_seconds = tesseract_library_run(images, folder) if images else 0.0
        _progress("library done", begun)
        result = figures_compute(
            items=items,
            run=run,
            tesseract_seconds=tesseract_seconds,
            library_seconds=library_seconds,
            model=model,
            train_seconds=train_seconds,
            table=table,
        )
        result["figures"]["data"] = data_state
        result["figures"]["limit"] = limit
        result["total"] = len(evaluation)
        return result
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--limit",
        type=int,
        default=int(os.environ.get("BENCH_INTAKE_LIMIT", DEFAULT_LIMIT)),
        help=f"evaluation letters, every type alike (default {DEFAULT_LIMIT}; 0: all)",
    )
    parser.add_argument("--all", action="store_true", help="all evaluation letters")
    args = parser.parse_args(argv)
    limit = 0 if args.all else args.limit
    if limit < 0:
        print("error: --limit must be 0 (all) or more", file=sys.stderr)
        return 2
    try:
        result = bench(data=args.data, limit=limit)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report(result, total=result["total"], limit=limit))
    print(json.dumps({"bench": "intake", **result["figures"]}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
