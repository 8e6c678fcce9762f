"""The method without the database: threshold choice, text folding, what a model file holds."""

import pickle

import pytest

from rathaus.classifier import training
from rathaus.classifier.training import text_hash, text_normalise, threshold_choose

from .letters import letters


def test_the_threshold_is_the_smallest_that_reaches_the_precision():
    # Sorted by probability: right, right, wrong, right, wrong.
    choice = threshold_choose(
        probabilities=[0.99, 0.95, 0.9, 0.8, 0.7],
        predicted=["a", "a", "b", "a", "b"],
        truth=["a", "a", "a", "a", "a"],
        target=0.75,
    )
    # At 0.8: 3 of 4 right (0.75); at 0.7: 3 of 5.
    assert choice.threshold == 0.8
    assert choice.coverage == 0.8
    assert choice.precision == 0.75
    assert choice.reached


def test_the_threshold_never_goes_below_the_floor():
    choice = threshold_choose(
        probabilities=[0.9, 0.4, 0.3], predicted=["a", "b", "b"], truth=["a", "b", "b"], floor=0.5
    )
    assert choice.threshold == 0.9
    unsure = threshold_choose(
        probabilities=[0.4, 0.3], predicted=["a", "b"], truth=["a", "b"], floor=0.5
    )
    assert unsure.threshold == 1.0
    assert not unsure.reached


def test_an_unreachable_precision_abstains_on_everything():
    choice = threshold_choose(
        probabilities=[0.9, 0.8], predicted=["a", "b"], truth=["b", "a"], target=0.98
    )
    assert choice.threshold == 1.0
    assert not choice.reached
    assert choice.coverage == 0.0


def test_other_does_not_count_for_the_threshold():
    # "other" is never routed, so its mistakes do not push the threshold up.
    choice = threshold_choose(
        probabilities=[0.99, 0.9, 0.6],
        predicted=["other", "a", "a"],
        truth=["b", "a", "a"],
        target=0.98,
    )
    assert choice.threshold == 0.6
    assert choice.coverage == pytest.approx(2 / 3)


def test_ocr_variants_of_a_text_look_alike():
    assert text_normalise("Wider-\n spruch vom 03.11.2026") == "widerspruch vom 00.00.0000"
    assert text_normalise("STRASSE  Straße") == "strasse strasse"
    assert text_hash("Sehr geehrte\nDamen ") == text_hash("sehr  geehrte damen")
    assert text_hash("Hund") != text_hash("Hunde")


def test_a_model_file_holds_no_words_of_the_letters():
    items = letters(10, seed=1)
    fitted = training.fit(texts=[t for t, _l in items], labels=[label for _t, label in items])
    raw = pickle.dumps(fitted.pipeline)
    for word in ("Yilmaz", "yilmaz", "Luisenstraße", "luisenstraße", "Wuppertal", "wuppertal"):
        assert word.encode() not in raw
    loaded = training.pipeline_loads(training.pipeline_dumps(fitted.pipeline))
    text = items[0][0]
    assert (
        training.predict(pipeline=loaded, threshold=0.5, texts=[text])[0]
        == training.predict(pipeline=fitted.pipeline, threshold=0.5, texts=[text])[0]
    )


def test_the_metrics_table_lists_every_label_and_the_totals():
    result = {
        "size": 3,
        "macro_f1": 0.5,
        "precision": 1.0,
        "coverage": 0.333,
        "routed": 1,
        "labels": {
            "dog_tax": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1},
            "complaint": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2},
        },
    }
    table = training.metrics_table(result).splitlines()
    assert table[0].split() == ["label", "precision", "recall", "F1", "letters"]
    assert table[1].split() == ["complaint", "0.000", "0.000", "0.000", "2"]
    assert table[2].split() == ["dog_tax", "1.000", "1.000", "1.000", "1"]
    assert table[3].split() == ["macro-F1", "0.500", "3"]
