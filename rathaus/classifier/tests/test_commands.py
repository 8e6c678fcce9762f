import io
import json

import pytest
from django.core.management import CommandError, call_command

from rathaus.classifier.models import ClassifierModel, EvaluationSet, TrainingExample
from rathaus.classifier.services import classify

from .conftest import NAME
from .letters import LABELS, letters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of the messages."""


def _manifest(path, items, *, extra=None):
    """A manifest in the gold data format of bench/intake (only the fields we read matter)."""
    with path.open("w", encoding="utf-8") as handle:
        for number, (text, label) in enumerate(items):
            entry = {
                "id": f"{path.stem}-{number:04d}",
                "file": f"{path.stem}-{number:04d}.png",
                "label": label,
                "pages": 1,
                "rotation": 0,
                "born_digital": False,
                "fields": {"references": [], "dates": [], "ibans": [], "amounts": []},
                "text": text,
                **((extra or {}).get(number, {})),
            }
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return path


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_train_and_classify_from_manifests(tmp_path):
    train = _manifest(tmp_path / "train.jsonl", letters(10, seed=1))
    evaluation = _manifest(tmp_path / "eval.jsonl", letters(6, seed=2))
    out, _err = _run("classifier_import", NAME, str(evaluation), "--as", "evaluation")
    assert "30" in out
    out, _err = _run(
        "classifier_import", NAME, str(train), "--as", "training", "--source", "generated"
    )
    assert "50" in out
    assert TrainingExample.objects.filter(name=NAME, delete_after__isnull=True).count() == 50

    out, _err = _run("classifier_train", NAME)
    assert "version 1" in out
    for label in LABELS:
        assert label in out
    assert "macro-F1" in out
    assert "there was no active model" in out
    assert classify(name=NAME, text=letters(1, seed=3)[0][0]).model_version == 1

    out, _err = _run("classifier_train", NAME)
    assert "no new version" in out


def test_imported_letters_count_as_personal_data_by_default(tmp_path):
    train = _manifest(tmp_path / "train.jsonl", letters(2, seed=1))
    _run("classifier_import", NAME, str(train), "--as", "training")
    assert not TrainingExample.objects.filter(delete_after__isnull=True).exists()
    assert set(TrainingExample.objects.values_list("source", flat=True)) == {"import"}


def test_importing_again_adds_nothing(tmp_path):
    train = _manifest(tmp_path / "train.jsonl", letters(2, seed=1))
    _run("classifier_import", NAME, str(train), "--as", "training")
    out, _err = _run("classifier_import", NAME, str(train), "--as", "training")
    assert "0 new training examples, 10 known before" in out
    assert TrainingExample.objects.count() == 10


def test_the_ocr_text_is_taken_where_there_is_one(tmp_path):
    items = letters(1, seed=1)[:3]
    path = _manifest(tmp_path / "train.jsonl", items, extra={1: {"ocr_text": "Hundesteuer OCR"}})
    _run(
        "classifier_import", NAME, str(path), "--as", "training",
        "--text-field", "ocr_text", "--text-field", "text",
    )  # fmt: skip
    texts = set(TrainingExample.objects.values_list("text", flat=True))
    assert texts == {items[0][0], "Hundesteuer OCR", items[2][0]}


def test_a_manifest_with_bad_lines_imports_nothing_and_names_them(tmp_path):
    path = _manifest(tmp_path / "train.jsonl", letters(1, seed=1))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
        handle.write(json.dumps({"text": "Hund"}) + "\n")
        handle.write(json.dumps({"label": "dog_tax", "text": "  "}) + "\n")
        handle.write("[1, 2]\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="4 lines"):
        call_command(
            "classifier_import", NAME, str(path), "--as", "training", stdout=out, stderr=err
        )
    assert "line 6: not a JSON object" in err.getvalue()
    assert "line 7: no label" in err.getvalue()
    assert "line 8: no text in text" in err.getvalue()
    assert "line 9: not a JSON object" in err.getvalue()
    assert not TrainingExample.objects.exists()


def test_a_contradicting_label_imports_nothing(tmp_path):
    items = letters(1, seed=1)
    items.append((items[0][0], "complaint" if items[0][1] != "complaint" else "dog_tax"))
    path = _manifest(tmp_path / "train.jsonl", items)
    with pytest.raises(CommandError, match="line 6"):
        _run("classifier_import", NAME, str(path), "--as", "training")
    assert not TrainingExample.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot be read"), (b"\xff\xfe\x00", "not UTF-8"), (b"", "no letters")],
)
def test_an_unusable_file_is_refused(tmp_path, content, message):
    path = tmp_path / "manifest.jsonl"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run("classifier_import", NAME, str(path), "--as", "training")


def test_a_second_different_evaluation_set_is_refused(tmp_path):
    first = _manifest(tmp_path / "a.jsonl", letters(2, seed=1))
    second = _manifest(tmp_path / "b.jsonl", letters(2, seed=2))
    _run("classifier_import", NAME, str(first), "--as", "evaluation")
    _run("classifier_import", NAME, str(first), "--as", "evaluation")
    with pytest.raises(CommandError, match="never changes"):
        _run("classifier_import", NAME, str(second), "--as", "evaluation")
    assert EvaluationSet.objects.get().size == 10


def test_training_without_an_evaluation_set_says_what_to_do(tmp_path):
    _run(
        "classifier_import",
        NAME,
        str(_manifest(tmp_path / "t.jsonl", letters(10, seed=1))),
        "--as",
        "training",
    )
    with pytest.raises(CommandError, match="--as evaluation"):
        _run("classifier_train", NAME)


def test_train_never_activates_on_request_and_activate_rolls_back(trained, add_examples):
    add_examples(letters(2, seed=20))
    out, _err = _run("classifier_train", NAME, "--activate", "never")
    assert "not activated, on request" in out.lower()
    assert not ClassifierModel.objects.get(version=2).is_active
    out, _err = _run("classifier_activate", NAME, "2")
    assert "Version 2" in out
    assert ClassifierModel.objects.get(version=2).is_active
    with pytest.raises(CommandError):
        _run("classifier_activate", NAME, "7")
