"""The classifier's figures on the clean text of freshly composed letters of several seeds.

A development tool: the benchmark's evaluation set (seed 7, scanned) is for reporting, never
for tuning. Changes to the method or the vocabulary are judged here instead, on the text of
letters of other seeds, composed as `generate.py` would compose them but not rendered or
scanned (seconds per seed instead of minutes). Per seed: trains on the training set's letters
(minus any text also in the evaluation set) with the vocabulary of the routing table, evaluates
on the evaluation set's; then the figures pooled over all seeds, and with `--errors` every
letter routed to a wrong department, with its probability and subject.

    .venv/bin/python bench/intake/classifier_seeds.py [--seeds 8-11,13-34] [--errors]
        [--train 600] [--eval 300] [--vocabulary catalog/intake.yaml] [--floors 0.6,0.66,0.7]

With `--floors`, also the figures had the threshold been chosen with each of these floors
(`training.threshold_choose` on the same held-out predictions), and how many seeds would then
reach the benchmark's targets: how the floor is chosen (docs/classifier.md).
"""

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake.classifier_eval import meets_targets, vocabulary_read  # noqa: E402
from bench.intake.generate import MAX_WORKERS, set_plan  # noqa: E402
from bench.intake.items import item_letter  # noqa: E402
from rathaus.classifier import training  # noqa: E402

DEFAULT_SEEDS = "8-11,13-34"  # 7 is the benchmark's, 12 was looked at while building the data


def seeds_parse(value: str) -> list[int]:
    """'8-11,13' -> [8, 9, 10, 11, 13]; ValueError for anything else (argparse reports it)."""
    seeds = []
    for part in value.split(","):
        first, _, last = part.strip().partition("-")
        seeds.extend(range(int(first), int(last or first) + 1))
    if not seeds:
        raise ValueError(value)
    return seeds


def letters(*, seed: int, set_name: str, count: int) -> list[tuple[str, str, str]]:
    """(id, label, clean text) of the letters of a generated set."""
    return [
        (spec.id, spec.label, item_letter(spec).text)
        for spec in set_plan(seed=seed, set_name=set_name, count=count)
    ]


def seed_run(seed: int, train_count: int, eval_count: int, vocabulary_path: Path) -> dict:
    """Train and evaluate on one seed's letters."""
    train = letters(seed=seed, set_name="train", count=train_count)
    evaluation = letters(seed=seed, set_name="eval", count=eval_count)
    held_out = {training.text_hash(text) for _, _, text in evaluation}
    kept = [(label, text) for _, label, text in train if training.text_hash(text) not in held_out]
    fitted = training.fit(
        texts=[text for _, text in kept],
        labels=[label for label, _ in kept],
        vocabulary=vocabulary_read(vocabulary_path),
    )
    texts = [text for _, _, text in evaluation]
    outcomes = training.predict(pipeline=fitted.pipeline, threshold=fitted.threshold, texts=texts)
    truth = [label for _, label, _ in evaluation]
    result = training.scores(
        predicted=[o.label for o in outcomes],
        abstained=[o.abstained for o in outcomes],
        truth=truth,
        threshold=fitted.threshold,
    )
    errors = [
        {
            "id": f"{seed}/{item_id}",
            "truth": label,
            "routed_to": outcome.label,
            "probability": round(outcome.probability, 3),
            "subject": training.subject_line(text)[:90],
        }
        for (item_id, label, text), outcome in zip(evaluation, outcomes, strict=True)
        if not outcome.abstained and outcome.label != label
    ]
    return {
        "seed": seed,
        "result": result,
        "errors": errors,
        "held_out": fitted.held_out,
        "letters": [
            (outcome.probability, outcome.label, label, bool(text.strip()))
            for outcome, (_id, label, text) in zip(outcomes, evaluation, strict=True)
        ],
    }


def at_floor(run: dict, floor: float) -> tuple[int, int]:
    """(routed, wrong) of one seed's evaluation letters had the threshold been chosen with
    `floor`: on the same held-out predictions, as `training.fit` chooses it."""
    probabilities, predicted, truth = zip(*run["held_out"], strict=True)
    threshold = training.threshold_choose(
        probabilities=probabilities, predicted=predicted, truth=truth, floor=floor
    ).threshold
    routed = [
        (label, right)
        for probability, label, right, has_text in run["letters"]
        if has_text
        and not training.abstains(label=label, probability=probability, threshold=threshold)
    ]
    return len(routed), sum(1 for label, right in routed if label != right)


def floors_compare(runs: list[dict], floors: list[float]) -> list[dict]:
    """For each floor: coverage and precision pooled over the seeds, and how many seeds reach
    the targets (the floor is chosen by that, `docs/classifier.md`)."""
    rows = []
    for floor in floors:
        routed = wrong = size = meeting = 0
        for run in runs:
            seed_routed, seed_wrong = at_floor(run, floor)
            seed_size = len(run["letters"])
            routed, wrong, size = routed + seed_routed, wrong + seed_wrong, size + seed_size
            meeting += meets_targets(
                macro_f1=run["result"]["macro_f1"],
                coverage=seed_routed / seed_size,
                precision=(seed_routed - seed_wrong) / seed_routed if seed_routed else 0.0,
            )
        rows.append(
            {
                "floor": floor,
                "coverage": round(routed / size, 4) if size else 0.0,
                "routing_precision": round((routed - wrong) / routed, 4) if routed else 0.0,
                "routed_wrong": wrong,
                "seeds_meeting_targets": meeting,
            }
        )
    return rows


def floors_parse(value: str) -> list[float]:
    """'0.6,0.66' -> [0.6, 0.66]; ValueError unless every floor lies in [0, 1]."""
    floors = [float(part) for part in value.split(",")]
    if not all(0 <= floor <= 1 for floor in floors):
        raise ValueError(value)
    return floors


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seeds", type=seeds_parse, default=DEFAULT_SEEDS, help=f"seeds ({DEFAULT_SEEDS})"
    )
    parser.add_argument("--train", type=int, default=600, help="training letters per seed")
    parser.add_argument("--eval", type=int, default=300, dest="eval_count")
    parser.add_argument("--vocabulary", type=Path, default=ROOT / "catalog" / "intake.yaml")
    parser.add_argument("--workers", type=int, default=MAX_WORKERS)
    parser.add_argument("--errors", action="store_true", help="list the wrongly routed letters")
    parser.add_argument(
        "--floors",
        type=floors_parse,
        default=[],
        help="also the figures had the threshold been chosen with these floors (0.6,0.66,...)",
    )
    args = parser.parse_args(argv)
    seeds = args.seeds
    with ProcessPoolExecutor(
        max_workers=max(1, min(args.workers, len(seeds))), mp_context=get_context("spawn")
    ) as pool:
        runs = list(
            pool.map(
                seed_run,
                seeds,
                [args.train] * len(seeds),
                [args.eval_count] * len(seeds),
                [args.vocabulary] * len(seeds),
            )
        )
    print(f"{'seed':>5} {'macro-F1':>9} {'coverage':>9} {'precision':>10} {'wrong':>6}  targets")
    meeting = 0
    for run in runs:
        result = run["result"]
        met = meets_targets(
            macro_f1=result["macro_f1"], coverage=result["coverage"], precision=result["precision"]
        )
        meeting += met
        print(
            f"{run['seed']:>5} {result['macro_f1']:>9.4f} {result['coverage']:>9.4f} "
            f"{result['precision']:>10.4f} {len(run['errors']):>6}  {'met' if met else 'NOT met'}"
        )
    size = sum(run["result"]["size"] for run in runs)
    routed = sum(run["result"]["routed"] for run in runs)
    wrong = sum(len(run["errors"]) for run in runs)
    figures = {
        "bench": "intake_classifier_seeds",
        "seeds": seeds,
        "macro_f1_mean": round(sum(r["result"]["macro_f1"] for r in runs) / len(runs), 4),
        "coverage": round(routed / size, 4),
        "routing_precision": round((routed - wrong) / routed, 4) if routed else 0.0,
        "routed_wrong": wrong,
        "worst_precision": min(r["result"]["precision"] for r in runs),
        "seeds_meeting_targets": meeting,
    }
    print(
        f"\npooled: macro-F1 {figures['macro_f1_mean']:.4f} (mean), coverage "
        f"{figures['coverage']:.4f}, routing precision {figures['routing_precision']:.4f} "
        f"({wrong} of {routed} wrong), worst seed {figures['worst_precision']:.4f}; "
        f"{meeting} of {len(runs)} seeds reach the targets"
    )
    if args.floors:
        figures["floors"] = floors_compare(runs, args.floors)
        print(f"\n{'floor':>6} {'coverage':>9} {'precision':>10} {'wrong':>6} {'seeds':>6}")
        for row in figures["floors"]:
            print(
                f"{row['floor']:>6.2f} {row['coverage']:>9.4f} {row['routing_precision']:>10.4f} "
                f"{row['routed_wrong']:>6} {row['seeds_meeting_targets']:>6}"
            )
    if args.errors:
        for run in runs:
            for error in run["errors"]:
                print(
                    f"{error['id']:<16} {error['truth']:<22} -> {error['routed_to']:<22} "
                    f"{error['probability']:.3f}  {error['subject']!r}"
                )
    print(json.dumps(figures, separators=(",", ":")))
    return figures


if __name__ == "__main__":
    main()
