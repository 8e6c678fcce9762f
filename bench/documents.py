"""Benchmark of letters: one-page decision notices rendered to PDF/A and sealed (`make bench`).

Runs in this one process on one CPU core (pinned where the system allows it), with production
settings and a throwaway seal (EC P-256, like the demo CA). Every letter goes through
`document_render_sealed`: render, PDF/A check, seal. Prints a table and, as the last line, one
JSON object with the figures. The target is at least 5 letters per second per core.

Environment: BENCH_LETTERS (letters measured, 200), BENCH_WARMUP (letters before measuring, 5).
Touches no network and no database.
"""

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LETTERS = int(os.environ.get("BENCH_LETTERS", "200"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))
TARGET_PER_SECOND = 5


def _setup(var_dir: Path) -> None:
    """Production settings with a throwaway seal in `var_dir`."""
    sys.path.insert(0, str(ROOT))
    for key in [key for key in os.environ if key.startswith("RATHAUS_")]:
        del os.environ[key]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["RATHAUS_VAR_DIR"] = str(var_dir)
    os.environ["RATHAUS_SECRET_KEY"] = "bench-" + "x" * 60
    os.environ["RATHAUS_LOG_LEVEL"] = "WARNING"
    from rathaus.documents.demo_ca import demo_ca_create

    seal = demo_ca_create(directory=var_dir / "seal", organisation="Stadt Wuppertal (Bench)")
    os.environ["RATHAUS_SEAL_KEY_FILE"] = str(seal.key_file)
    os.environ["RATHAUS_SEAL_CERT_FILE"] = str(seal.cert_file)
    os.environ["RATHAUS_SEAL_CHAIN_FILE"] = str(seal.chain_file)
    import django

    django.setup()


def _pin_to_one_core() -> str:
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    except (AttributeError, OSError):
        return "not pinned (the system does not allow it)"


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="rathaus-bench-documents-"))
    try:
        _setup(var_dir)
        from django.utils import translation

        from rathaus.documents.examples import example_notice_context
        from rathaus.documents.pdfa import pdfa_problems
        from rathaus.documents.services import document_render_sealed
        from rathaus.documents.verification import pdf_seal_verify

        pinned = _pin_to_one_core()
        translation.activate("de")

        def letter(number: int) -> bytes:
            context = example_notice_context()
            context["reference"] = f"WUP-104-2026-{number:05d}"
            context["plate"] = f"W-B {1000 + number % 9000}"
            return document_render_sealed(template="documents/example_notice.html", context=context)

        for number in range(WARMUP):
            letter(number)
        print(f"{LETTERS} sealed letters in one process, {pinned} ...", flush=True)
        durations, cpu_durations = [], []
        cpu_started = time.process_time()
        started = time.perf_counter()
        for number in range(LETTERS):
            begin, cpu_begin = time.perf_counter(), time.process_time()
            pdf = letter(number)
            durations.append((time.perf_counter() - begin) * 1000)
            cpu_durations.append((time.process_time() - cpu_begin) * 1000)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        # The figures count only if the letters are right.
        assert pdf_seal_verify(pdf=pdf).ok, "the last letter's seal does not verify"
        assert pdfa_problems(pdf) == [], "the last letter is not PDF/A"
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    per_second = LETTERS / seconds
    result = {
        "letters": LETTERS,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "letters_per_second": round(per_second, 1),
        "letters_per_cpu_second": round(LETTERS / cpu_seconds, 1),
        "letter": _percentiles(durations),
        "letter_cpu": _percentiles(cpu_durations),
        # Other processes on the machine slow the wall clock; CPU time shows the letter's own cost.
        "load_average": round(os.getloadavg()[0], 1),
        "bytes_per_letter": len(pdf),
        "target_letters_per_second": TARGET_PER_SECOND,
        "meets_target": per_second >= TARGET_PER_SECOND,
    }
    figures = result["letter"]
    print(
        f"\nrender + PDF/A check + seal: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
        f"max {figures['max_ms']} ms per letter ({result['bytes_per_letter']} bytes)"
    )
    print(
        f"CPU time per letter: p50 {result['letter_cpu']['p50_ms']} ms; "
        f"{result['letters_per_cpu_second']} letters per CPU second"
    )
    print(
        f"{LETTERS} letters in {result['seconds']} s = {result['letters_per_second']} per second "
        f"on one core (target {TARGET_PER_SECOND}; load average {result['load_average']})"
    )
    print(json.dumps({"bench": "documents", **result}, separators=(",", ":")))


if __name__ == "__main__":
    main()
