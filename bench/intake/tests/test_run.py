"""`make bench-intake` works: the benchmark on two letters, with a small training set.

The training letters are composed without rendering (training reads only their text); the two
evaluation letters are real scans that go through OCR, classification, extraction and routing
in two worker processes, and bare Tesseract reads them too.
"""

import json
import shutil
import subprocess
import sys

import pytest

from bench.intake import run
from bench.intake.dataset import MANIFEST
from bench.intake.generate import GENERATOR_VERSION, manifest_write
from bench.intake.items import ItemSpec, item_build, item_letter
from bench.intake.letters import LABELS

pytestmark = [
    pytest.mark.xdist_group("intake_data"),
    pytest.mark.skipif(
        not (shutil.which("tesseract") and shutil.which("pdftoppm")),
        reason="needs tesseract and pdftoppm",
    ),
]
ROOT = run.ROOT
PER_LABEL = 8  # the classifier's minimum per type
TYPES = ("dog_tax", "supplier_invoice")


def _info(folder, set_name, items):
    info = {"generator": GENERATOR_VERSION, "seed": 3, "set": set_name, "items": items}
    (folder / "info.json").write_text(json.dumps(info))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-intake")
    train = out / "train"
    train.mkdir()
    entries = []
    # Two types are enough to train a model (the others are left out of it) and quick.
    for index in range(PER_LABEL * len(TYPES)):
        spec = ItemSpec(3, "train", index + 1, TYPES[index % 2], "medium", "png", 0)
        letter = item_letter(spec)
        entry = {"id": spec.id, "file": f"{spec.id}.png", "label": spec.label, "pages": 1}
        entry |= {"rotation": 0, "born_digital": False, "fields": letter.fields}
        entries.append({**entry, "text": letter.text})
    manifest_write(entries, train / MANIFEST)
    _info(train, "train", len(entries))
    evaluation = out / "eval"
    evaluation.mkdir()
    specs = [
        ItemSpec(3, "eval", 1, "dog_tax", "short", "png", 0),
        ItemSpec(3, "eval", 2, "supplier_invoice", "short", "born_digital", 0),
    ]
    manifest_write([item_build(spec, evaluation) for spec in specs], evaluation / MANIFEST)
    _info(evaluation, "eval", len(specs))
    return out


def test_the_benchmark_runs_the_pipeline_and_prints_a_table_and_json(data):
    # A process of its own: the benchmark sets up its own installation (settings, database).
    script = [sys.executable, str(ROOT / "bench" / "intake" / "run.py")]
    done = subprocess.run(  # noqa: S603 (our own script)
        [*script, "--data", str(data), "--limit", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["bench"] == "intake" and figures["data"] == "present"
    assert figures["letters"] == 2 and figures["pages"] >= 2
    assert figures["scan_pages"] >= 1 and figures["born_digital_pages"] >= 1
    assert figures["pages_per_minute"] > 0 and figures["tesseract_pages_per_minute"] > 0
    assert figures["throughput_ratio"] > 0
    assert figures["tesseract_library_pages_per_minute"] > 0 and figures["ratio_to_library"] > 0
    assert 0 < figures["worker_peak_rss_mb"] < 4096
    assert sum(figures["statuses"].values()) == 2 and "dead_letter" not in figures["statuses"]
    assert set(figures["targets_met"]) == set(run.TARGETS)
    for key in ("macro_f1", "coverage", "routing_precision", "reference_recall", "iban_recall"):
        assert key in figures
    low, high = figures["routing_precision_interval"]
    assert 0 <= low <= high <= 1 and 0 <= figures["routed_wrong"] <= figures["routed"] <= 2
    table = "\n".join(lines[:-1])
    assert "bare tesseract" in table and "Tesseract library" in table
    assert "macro-F1" in table and "references" in table
    assert "95 % interval" in table


@pytest.mark.parametrize(
    ("right", "total", "expected"),
    [
        # Wilson score intervals, 95 %, as tables of them give them.
        (252, 258, (0.9502, 0.9893)),
        (258, 258, (0.9853, 1.0)),
        (0, 10, (0.0, 0.2775)),
        (5, 10, (0.2366, 0.7634)),
        (1, 1, (0.2065, 1.0)),
    ],
)
def test_the_interval_of_the_routing_precision_is_wilson_s(right, total, expected):
    low, high = run.wilson_interval(right, total)
    assert low == pytest.approx(expected[0], abs=1e-4)
    assert high == pytest.approx(expected[1], abs=1e-4)
    assert low <= right / total <= high


def test_no_routed_letter_has_no_interval():
    assert run.wilson_interval(0, 0) == (0.0, 0.0)


def test_the_subset_is_seeded_and_takes_every_type_in_turn():
    items = [{"id": f"eval-{i:04d}", "label": LABELS[i % 12]} for i in range(120)]
    chosen = run.subset(items, 24)
    assert chosen == run.subset(items, 24)
    assert {item["label"] for item in chosen} == set(LABELS)
    assert all(sum(i["label"] == label for i in chosen) == 2 for label in LABELS)
    assert run.subset(items, 0) == items


def test_a_bad_limit_is_refused(capsys):
    assert run.main(["--limit", "-1"]) == 2
    assert "--limit" in capsys.readouterr().err
