"""Seeded generator of scanned German letters for the incoming-mail pipeline (issue #6).

    python bench/intake/generate.py --out var/intake-data --train 600 --eval 300 --seed 7
    python bench/intake/generate.py --small        # 12 + 12 items, for a quick look

Writes `<out>/train/` and `<out>/eval/`, each with the files and `manifest.jsonl` (the gold
format of docs/intake-data.md). The same seed always gives byte-identical manifests and files;
each set depends only on the seed, its name and its size, so the evaluation set stays the same
when the training set grows. Train and eval letters come from different random streams, and a
letter whose text appears in both sets stops the run.
"""

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from bench.intake.dataset import MANIFEST, load_manifest  # noqa: E402
from bench.intake.items import ItemSpec, item_build  # noqa: E402
from bench.intake.layouts import FONTS  # noqa: E402
from bench.intake.letters import LABELS  # noqa: E402

GENERATOR_VERSION = 3
SETS = ("train", "eval")
DEFAULT_OUT = ROOT / "var" / "intake-data"
SMALL = {"train": 12, "eval": 12}
MAX_WORKERS = 2

LENGTHS = {"short": 0.25, "medium": 0.55, "long": 0.20}
CONTAINERS = {"born_digital": 0.10, "pdf": 0.30, "tiff": 0.25, "jpeg": 0.22, "png": 0.13}
ROTATIONS = {0: 0.80, 90: 0.07, 180: 0.08, 270: 0.05}


class GeneratorError(Exception):
    """The data cannot be generated as asked; the message says why and what to do."""


def quota(count: int, shares: dict, rng: random.Random) -> list:
    """`count` values in the given shares (largest remainder), in random order.

    Quotas instead of independent draws: even a set of 12 has its born-digital, rotated and
    long items."""
    exact = {key: share * count for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    leftover = count - sum(counts.values())
    by_remainder = sorted(
        shares, key=lambda key: (counts[key] - exact[key], list(shares).index(key))
    )
    for key in by_remainder[:leftover]:
        counts[key] += 1
    values = [key for key in shares for _ in range(counts[key])]
    rng.shuffle(values)
    return values


def set_plan(*, seed: int, set_name: str, count: int) -> list[ItemSpec]:
    """What the items of a set will be: labels balanced over all types, lengths, file kinds
    and rotations in fixed shares."""
    rng = random.Random(f"rathaus-intake/{seed}/{set_name}/plan")  # noqa: S311 (data, not secrets)
    labels = [LABELS[i % len(LABELS)] for i in range(count - count % len(LABELS))]
    labels += rng.sample(LABELS, count % len(LABELS))
    rng.shuffle(labels)
    lengths = quota(count, LENGTHS, rng)
    containers = quota(count, CONTAINERS, rng)
    scans = sum(1 for container in containers if container != "born_digital")
    rotations = iter(quota(scans, ROTATIONS, rng))
    return [
        ItemSpec(
            seed=seed,
            set_name=set_name,
            index=index,
            label=labels[index - 1],
            length=lengths[index - 1],
            container=containers[index - 1],
            rotation=0 if containers[index - 1] == "born_digital" else next(rotations),
        )
        for index in range(1, count + 1)
    ]


def tools_check() -> None:
    """Poppler and the fonts must be there: a substituted font would change the pages."""
    if not shutil.which("pdftoppm"):
        raise GeneratorError("pdftoppm is missing: install the Debian package poppler-utils.")
    if not shutil.which("fc-list"):
        raise GeneratorError("fc-list is missing: install the Debian package fontconfig.")
    families = subprocess.run(
        ["fc-list", ":", "family"],  # noqa: S607 (fontconfig's tool, from PATH)
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    present = {name.strip() for line in families.splitlines() for name in line.split(",")}
    missing = [font for font in FONTS if font not in present]
    if missing:
        raise GeneratorError(
            f"Fonts missing: {', '.join(missing)}. Install the Debian packages fonts-dejavu-core "
            "fonts-dejavu-extra fonts-liberation fonts-comic-neue (make install-dev does)."
        )


def _overlap_check(sets: dict[str, list[dict]], out: Path) -> None:
    """No letter may be in two sets; a set not made now is read from disk."""
    texts = {}
    for set_name in SETS:
        if set_name in sets:
            texts[set_name] = {item["text"] for item in sets[set_name]}
        elif (out / set_name / MANIFEST).exists():
            texts[set_name] = {item["text"] for item in load_manifest(out / set_name)}
    if len(texts) == 2:
        shared = texts["train"] & texts["eval"]
        if shared:
            raise GeneratorError(
                f"{len(shared)} letters are in both train and eval; change the seed."
            )


def _set_dir_check(out: Path, set_name: str) -> None:
    """Refuse to replace a folder that is not one of our data sets."""
    final = out / set_name
    if final.is_file() or (
        final.exists() and any(final.iterdir()) and not (final / MANIFEST).exists()
    ):
        raise GeneratorError(f"{final} exists and is not a data set made by this generator.")


def _set_dir_replace(out: Path, set_name: str, built: Path) -> None:
    final = out / set_name
    if final.exists():
        old = out / f".{set_name}.old"
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
        shutil.rmtree(old)
    built.rename(final)


def manifest_write(items: list[dict], path: Path) -> None:
    lines = [json.dumps(item, ensure_ascii=False) + "\n" for item in items]
    path.write_text("".join(lines), encoding="utf-8")


def dataset_generate(
    *,
    out: Path,
    train: int,
    eval_count: int,
    seed: int,
    workers: int = MAX_WORKERS,
    progress: bool = False,
) -> dict[str, list[dict]]:
    """Generate the sets with more than zero items under `out`; returns their manifests."""
    if train < 0 or eval_count < 0 or train + eval_count == 0:
        raise GeneratorError("Give a positive number of training and/or evaluation items.")
    tools_check()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    counts = {"train": train, "eval": eval_count}
    plans = {name: set_plan(seed=seed, set_name=name, count=n) for name, n in counts.items() if n}
    for name in plans:
        _set_dir_check(out, name)
    building = {name: out / f".{name}.tmp" for name in plans}
    for directory in building.values():
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir()
    specs = [spec for plan in plans.values() for spec in plan]
    directories = [building[spec.set_name] for spec in specs]
    workers = max(1, min(workers, MAX_WORKERS, len(specs)))
    started = time.monotonic()
    pool = None
    try:
        if workers == 1:
            entries = [item_build(spec, d) for spec, d in zip(specs, directories, strict=True)]
        else:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
            entries = []
            for done, entry in enumerate(pool.map(item_build, specs, directories), start=1):
                entries.append(entry)
                if progress and (done % 50 == 0 or done == len(specs)):
                    seconds = time.monotonic() - started
                    print(f"{done}/{len(specs)} items, {seconds:.0f} s", file=sys.stderr)
        sets = {name: [e for e in entries if e["id"].startswith(f"{name}-")] for name in plans}
        _overlap_check(sets, out)
        for name, items in sets.items():
            manifest_write(items, building[name] / MANIFEST)
            info = {"generator": GENERATOR_VERSION, "seed": seed, "set": name, "items": len(items)}
            (building[name] / "info.json").write_text(json.dumps(info) + "\n", encoding="utf-8")
        for name in sets:
            _set_dir_replace(out, name, building[name])
    finally:
        if pool is not None:  # on an error or interruption: no new items, no orphans
            pool.shutdown(wait=True, cancel_futures=True)
        for directory in building.values():
            shutil.rmtree(directory, ignore_errors=True)
    return sets


def summary(sets: dict[str, list[dict]], seconds: float) -> str:
    lines = []
    for name, items in sets.items():
        formats = Counter(Path(item["file"]).suffix.lstrip(".") for item in items)
        digital = sum(item["born_digital"] for item in items)
        rotated = Counter(item["rotation"] for item in items if item["rotation"])
        pages = Counter(item["pages"] for item in items)
        lines.append(f"{name}: {len(items)} items, {sum(item['pages'] for item in items)} pages")
        lines.append(f"  labels:    {dict(sorted(Counter(i['label'] for i in items).items()))}")
        lines.append(f"  layouts:   {dict(sorted(Counter(i['layout'] for i in items).items()))}")
        lines.append(f"  files:     {dict(sorted(formats.items()))}, born digital {digital}")
        lines.append(
            f"  rotations: {dict(sorted(rotated.items()))}, pages {dict(sorted(pages.items()))}"
        )
    lines.append(f"done in {seconds:.0f} s")
    return "\n".join(lines)


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--train", type=int, default=600, help="training items (600)")
    parser.add_argument(
        "--eval", type=int, default=300, dest="eval_count", help="evaluation items (300)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed (7)")
    parser.add_argument("--workers", type=int, default=MAX_WORKERS, help="processes, at most 2")
    parser.add_argument("--small", action="store_true", help="12 training and 12 evaluation items")
    args = parser.parse_args(argv)
    train, eval_count = (
        (SMALL["train"], SMALL["eval"]) if args.small else (args.train, args.eval_count)
    )
    started = time.monotonic()
    try:
        sets = dataset_generate(
            out=args.out,
            train=train,
            eval_count=eval_count,
            seed=args.seed,
            workers=args.workers,
            progress=True,
        )
    except GeneratorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    print(summary(sets, time.monotonic() - started))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    # `kill` ends a run like Ctrl-C: the workers stop and half-made sets are removed
    signal.signal(signal.SIGTERM, _interrupted)
    sys.exit(main())
