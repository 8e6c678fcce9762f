import json

import pytest

from bench.intake import classifier_eval

from .letters import letters


def _manifest(path, items):
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8") as handle:
        for number, (text, label) in enumerate(items):
            handle.write(json.dumps({"id": f"x-{number}", "label": label, "text": text}) + "\n")


def test_the_benchmark_trains_on_train_and_reports_on_eval(tmp_path, capsys):
    train = letters(12, seed=1)
    evaluation = letters(6, seed=2)
    _manifest(tmp_path / "train" / "manifest.jsonl", train + evaluation[:4])
    _manifest(tmp_path / "eval" / "manifest.jsonl", evaluation)
    figures = classifier_eval.main(["--data", str(tmp_path)])
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["bench"] == "intake_classifier"
    assert last["macro_f1"] == figures["macro_f1"] >= 0.9
    assert last["eval_letters"] == 30
    assert last["train_dropped_as_in_eval"] == 4
    assert last["train_letters"] == 60
    assert set(last["per_type"]) == {label for _text, label in evaluation}
    assert 0 < last["coverage"] <= 1


def test_the_benchmark_says_when_the_letters_are_missing(tmp_path):
    with pytest.raises(SystemExit, match="generate the letters"):
        classifier_eval.main(["--data", str(tmp_path)])
