import random
import time

import numpy as np
import pytest
from django.core.files.base import ContentFile

from rathaus.classifier import services, training, vocabularies
from rathaus.classifier.models import (
    Activation,
    Classifier,
    ClassifierModel,
    EvaluationSet,
    TrainingExample,
)
from rathaus.classifier.selectors import classifier_model_active, classifier_models
from rathaus.classifier.services import (
    ClassifierError,
    ModelUnusable,
    NoActiveModel,
    classifier_model_activate,
    classifier_train,
    classify,
    evaluation_set_freeze,
    training_example_add,
)

from .conftest import NAME
from .letters import LABELS, PHRASES, letters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of the messages."""


NOTHING_TYPICAL = "Sehr geehrte Damen und Herren,\nvielen Dank.\nMit freundlichen Grüßen"
# One typical sentence each of three types: the model cannot be sure.
UNCLEAR = "\n".join(PHRASES[label][0] for label in ("complaint", "parking_application", "dog_tax"))


def _shuffled(items, seed=7):
    labels = [label for _text, label in items]
    random.Random(seed).shuffle(labels)
    return [(text, label) for (text, _label), label in zip(items, labels, strict=True)]


def _retrain_on(items, *, activate="if_not_worse"):
    TrainingExample.objects.filter(name=NAME).delete()
    for text, label in items:
        training_example_add(name=NAME, text=text, label=label, source="generated")
    return classifier_train(name=NAME, activate=activate)


# --- Predictions ----------------------------------------------------------------------------


def test_classify_gives_the_type_with_a_calibrated_probability(trained):
    fresh = letters(20, seed=3)
    predictions = [classify(name=NAME, text=text) for text, _label in fresh]
    for prediction in predictions:
        assert prediction.model_version == trained.version
        assert prediction.label == prediction.ranking[0][0]
        assert prediction.probability == prediction.ranking[0][1]
        assert len(prediction.ranking) == 3
        assert len({label for label, _p in prediction.ranking}) == 3
        probabilities = [p for _label, p in prediction.ranking]
        assert probabilities == sorted(probabilities, reverse=True)
        assert 0 < sum(probabilities) <= 1 + 1e-9
    # Calibrated: the stated probability matches how often the model is right (expected
    # calibration error over ten bins), on letters it has not seen.
    confidence = np.array([p.probability for p in predictions])
    right = np.array([p.label == label for p, (_t, label) in zip(predictions, fresh, strict=True)])
    assert right.mean() >= 0.95
    bins = np.minimum((confidence * 10).astype(int), 9)
    error = sum(
        (bins == b).mean() * abs(confidence[bins == b].mean() - right[bins == b].mean())
        for b in set(bins)
    )
    assert error < 0.1


def test_a_letter_mixing_two_types_gets_a_lower_probability_than_a_clear_one(trained):
    clear = classify(name=NAME, text="\n".join(PHRASES["dog_tax"][:3]))
    mixed = classify(
        name=NAME, text="\n".join(PHRASES["dog_tax"][:2] + PHRASES["supplier_invoice"][:2])
    )
    assert clear.label == "dog_tax"
    assert mixed.probability < clear.probability
    assert {label for label, _p in mixed.ranking[:2]} == {"dog_tax", "supplier_invoice"}


def test_an_unclear_letter_is_abstained_on_with_its_best_guess(trained):
    prediction = classify(name=NAME, text=UNCLEAR)
    assert prediction.probability < trained.threshold
    assert prediction.abstained
    # The best guess is still given, for the triage queue.
    assert prediction.label in {"complaint", "parking_application", "dog_tax"}


def test_a_letter_without_anything_typical_goes_to_triage(trained):
    assert classify(name=NAME, text=NOTHING_TYPICAL).abstained


def test_abstention_is_exactly_the_threshold_rule(trained):
    texts = [text for text, _label in letters(3, seed=4)]
    texts += [text for text, _label in letters(3, seed=4, noise=0.3)] + [NOTHING_TYPICAL, UNCLEAR]
    predictions = [classify(name=NAME, text=text) for text in texts]
    for prediction in predictions:
        expected = prediction.probability < trained.threshold or prediction.label == "other"
        assert prediction.abstained == expected
    assert any(p.abstained for p in predictions if p.label != "other")
    assert any(not p.abstained for p in predictions)


def test_other_always_abstains_however_sure_the_model_is(trained):
    ClassifierModel.objects.filter(pk=trained.pk).update(threshold=0.0)
    services.classifier_cache_clear()
    for text, _label in letters(5, seed=5, labels=["other"]):
        prediction = classify(name=NAME, text=text)
        assert prediction.label == "other"
        assert prediction.abstained
    routed = classify(name=NAME, text=letters(1, seed=5, labels=["dog_tax"])[0][0])
    assert not routed.abstained


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_text_is_abstained_on(trained, text):
    assert classify(name=NAME, text=text).abstained


def test_classify_takes_a_few_milliseconds(trained):
    texts = [text for text, _label in letters(4, seed=6)]
    classify(name=NAME, text=texts[0])  # loads the model
    # CPU time: other processes on a busy machine stretch the wall clock, not the work.
    started = time.process_time()
    for text in texts:
        classify(name=NAME, text=text)
    per_letter = (time.process_time() - started) / len(texts)
    assert per_letter < 0.025


def test_no_active_model_raises_no_active_model(evaluation_set, add_examples):
    with pytest.raises(NoActiveModel):
        classify(name=NAME, text="Hundesteuer")
    add_examples(letters(10, seed=1))
    classifier_train(name=NAME, activate="never")
    with pytest.raises(NoActiveModel) as raised:
        classify(name=NAME, text="Hundesteuer")
    assert "intake" in raised.value.message


# --- Versions and activation ----------------------------------------------------------------


def test_versions_count_up_per_classifier(trained, add_examples):
    add_examples(letters(3, seed=11))
    second = classifier_train(name=NAME)
    services.evaluation_set_freeze(name="complaints", examples=letters(4, seed=2))
    add_examples(letters(10, seed=12), name="complaints")
    other = classifier_train(name="complaints")
    assert (trained.version, second.version, other.version) == (1, 2, 1)
    assert Classifier.objects.get(name=NAME).last_version == 2


def test_training_on_unchanged_examples_returns_the_same_model(trained):
    again = classifier_train(name=NAME)
    assert again.pk == trained.pk
    assert ClassifierModel.objects.filter(name=NAME).count() == 1


def test_a_changed_vocabulary_makes_a_new_model_that_learns_it(trained, monkeypatch):
    vocabulary = training.Vocabulary.of({"dog_tax": ["Listenhund", "Hundesteuer"]})
    monkeypatch.setitem(vocabularies._providers, NAME, lambda: vocabulary)

    second = classifier_train(name=NAME, activate="always")

    assert second.version == 2 and second.fingerprint != trained.fingerprint
    assert second.metrics["training"]["vocabulary_terms"] == {"dog_tax": 2}
    assert classifier_train(name=NAME).pk == second.pk  # unchanged: the same model
    assert classify(name=NAME, text="Betreff: unser Listenhund").label == "dog_tax"


def test_a_vocabulary_that_cannot_be_read_stops_training_with_the_reason(
    evaluation_set, add_examples, monkeypatch
):
    add_examples(letters(10, seed=1))

    def broken():
        raise ValueError("catalog/intake.yaml:7: terms: 5 is not of type 'string'")

    monkeypatch.setitem(vocabularies._providers, NAME, broken)
    with pytest.raises(ClassifierError) as error:
        classifier_train(name=NAME)

    assert error.value.code == "vocabulary"
    assert "catalog/intake.yaml:7" in error.value.message
    assert not ClassifierModel.objects.exists()


def test_a_defect_in_a_vocabulary_provider_is_not_taken_for_an_unreadable_file(monkeypatch):
    def defective():
        raise AttributeError("'NoneType' object has no attribute 'get'")

    monkeypatch.setitem(vocabularies._providers, NAME, defective)
    with pytest.raises(AttributeError):
        vocabularies.vocabulary_for(NAME)


def test_a_worse_model_is_not_activated_and_the_reason_is_kept(trained):
    good = letters(30, seed=1)
    worse = _retrain_on(_shuffled(good))
    assert worse.version == 2
    assert not worse.is_active
    assert worse.activation == Activation.WORSE
    assert worse.compared_with == 1
    assert worse.macro_f1 < trained.macro_f1
    assert worse.retired_at is not None
    assert "version 1 stays active" in worse.activation_reason()
    assert classify(name=NAME, text=good[0][0]).model_version == 1


def test_a_model_not_worse_replaces_the_active_one(evaluation_set):
    good = letters(30, seed=1)
    first = _retrain_on(_shuffled(good), activate="always")
    assert first.is_active and first.activation == Activation.FORCED
    better = _retrain_on(good)
    first.refresh_from_db()
    assert better.is_active
    assert better.activation == Activation.NOT_WORSE
    assert better.macro_f1 > first.macro_f1
    assert better.precision >= first.precision
    assert not first.is_active and first.retired_at is not None
    assert better.metrics["compared_with"]["version"] == 1
    assert "Activated" in better.activation_reason()
    assert ClassifierModel.objects.filter(name=NAME, is_active=True).count() == 1


def test_the_database_allows_one_active_model_per_classifier(trained):
    from django.db import IntegrityError, transaction

    second = _retrain_on(letters(30, seed=1)[:-5], activate="never")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassifierModel.objects.filter(pk=second.pk).update(is_active=True)


def test_rollback_activates_an_earlier_version(trained):
    newer = _retrain_on(letters(30, seed=1)[:-5], activate="always")
    assert newer.is_active
    again = classifier_model_activate(name=NAME, version=1)
    assert again.is_active and again.activation == Activation.ROLLBACK
    assert classifier_model_active(name=NAME) == again
    assert [m.version for m in classifier_models(name=NAME)] == [2, 1]
    newer.refresh_from_db()
    assert not newer.is_active
    with pytest.raises(ClassifierError):
        classifier_model_activate(name=NAME, version=9)


def test_the_metrics_describe_the_evaluation(trained, evaluation_set):
    evaluation = trained.metrics["evaluation"]
    assert evaluation["size"] == evaluation_set.size == 60
    assert set(evaluation["labels"]) == set(LABELS)
    assert 0.9 <= evaluation["macro_f1"] <= 1
    assert evaluation["coverage"] == pytest.approx(
        evaluation["routed"] / evaluation["size"], abs=1e-4
    )
    # Letters labelled "other" are never routed: coverage stays below their share.
    assert evaluation["coverage"] <= 0.8
    assert trained.metrics["holdout"]["reached"]
    assert trained.metrics["holdout"]["precision"] >= training.TARGET_PRECISION
    assert training.MIN_THRESHOLD <= trained.threshold <= 1
    assert trained.training_size == 150


def test_a_model_trained_with_nothing_to_learn_abstains_on_everything(evaluation_set):
    model = _retrain_on(_shuffled(letters(10, seed=1), seed=3))
    assert not model.metrics["holdout"]["reached"]
    assert model.threshold == 1.0
    assert all(classify(name=NAME, text=t).abstained for t, _label in letters(2, seed=8))


# --- The evaluation set ---------------------------------------------------------------------


def test_evaluation_letters_are_never_trained_on(trained, evaluation_set, add_examples):
    frozen = list(evaluation_set.examples.values_list("text", "label"))
    # The same letters as examples, one with other spacing and case, some with wrong labels.
    variants = [(frozen[0][0].upper().replace("\n", "  \n "), frozen[0][1])]
    variants += [(text, "complaint") for text, _label in frozen[1:]]
    add_examples(variants, source="import")
    again = classifier_train(name=NAME)
    # Nothing new to learn from: the examples left after removing the evaluation letters are
    # the ones version 1 was trained on.
    assert again.pk == trained.pk
    assert TrainingExample.objects.filter(name=NAME).count() == 150 + 60


def test_the_exclusion_does_not_trust_the_stored_hashes(trained, evaluation_set):
    text, label = evaluation_set.examples.values_list("text", "label").first()
    example = training_example_add(name=NAME, text=text, label=label, source="import")
    TrainingExample.objects.filter(pk=example.pk).update(text_hash="0" * 64)
    with pytest.raises(RuntimeError, match="evaluation letters would be trained on"):
        classifier_train(name=NAME)
    assert ClassifierModel.objects.count() == 1


def test_freezing_the_same_set_again_returns_it(evaluation_set):
    items = letters(12, seed=2)
    items.reverse()
    assert evaluation_set_freeze(name=NAME, examples=items).pk == evaluation_set.pk
    assert EvaluationSet.objects.count() == 1


def test_a_frozen_set_cannot_be_changed(evaluation_set):
    with pytest.raises(ClassifierError) as raised:
        evaluation_set_freeze(name=NAME, examples=letters(12, seed=9))
    assert raised.value.code == "frozen"
    evaluation_set.size = 1
    with pytest.raises(ValueError, match="frozen"):
        evaluation_set.save()
    example = evaluation_set.examples.first()
    example.label = "complaint"
    with pytest.raises(ValueError, match="frozen"):
        example.save()


@pytest.mark.parametrize(
    ("examples", "code"),
    [
        ([("Hund", "dog_tax"), ("Hund", "complaint")], "conflict"),
        ([("Hund", "dog_tax"), ("Katalog", "dog_tax")], "too_small"),
        ([("Hund", "dog_tax"), ("", "complaint")], "empty"),
        ([("Hund", "Dog Tax"), ("Katalog", "other")], "label"),
    ],
)
def test_a_bad_evaluation_set_is_refused_whole(db, examples, code):
    with pytest.raises(ClassifierError) as raised:
        evaluation_set_freeze(name=NAME, examples=examples)
    assert raised.value.code == code
    assert not EvaluationSet.objects.exists()


# --- Examples and corrections ---------------------------------------------------------------


def test_a_staff_correction_becomes_a_training_example(trained):
    text = "Ich melde meinen Dackel Bello ab, bitte keine Hundesteuer mehr."
    example = training_example_add(name=NAME, text=text, label="dog_tax", source="correction")
    assert example.source == "correction"
    assert example.delete_after is not None
    newer = classifier_train(name=NAME)
    assert newer.version == 2
    assert newer.training_size == trained.training_size + 1


def test_a_correction_relabels_a_known_text(add_examples):
    text = "Bitte prüfen Sie meinen Antrag."
    add_examples([(text, "complaint")], source="import")
    corrected = training_example_add(
        name=NAME, text=f"  {text.upper()} ", label="parking_application", source="correction"
    )
    assert corrected.label == "parking_application"
    assert corrected.source == "correction"
    assert TrainingExample.objects.filter(name=NAME).count() == 1


def test_an_import_contradicting_a_known_label_is_refused(add_examples):
    add_examples([("Bitte prüfen Sie meinen Antrag.", "complaint")], source="import")
    with pytest.raises(ClassifierError) as raised:
        training_example_add(
            name=NAME, text="Bitte prüfen Sie meinen Antrag.", label="dog_tax", source="import"
        )
    assert raised.value.code == "conflict"
    assert TrainingExample.objects.get().label == "complaint"


def test_adding_the_same_example_twice_keeps_one(add_examples):
    first = add_examples([("Hundesteuer abmelden", "dog_tax")], source="generated")[0]
    again = add_examples([("Hundesteuer  abmelden", "dog_tax")], source="generated")[0]
    assert again.pk == first.pk
    assert first.delete_after is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"text": "   "}, "empty"),
        ({"text": "x" * (services.MAX_TEXT_LENGTH + 1)}, "too_long"),
        ({"label": "Hundesteuer!"}, "label"),
        ({"label": ""}, "label"),
        ({"source": "guess"}, "source"),
        ({"name": "../etc"}, "name"),
    ],
)
def test_a_bad_example_is_refused_with_a_reason(db, kwargs, code):
    arguments = {"name": NAME, "text": "Hundesteuer", "label": "dog_tax", "source": "correction"}
    with pytest.raises(ClassifierError) as raised:
        training_example_add(**{**arguments, **kwargs})
    assert raised.value.code == code
    assert str(raised.value.message)
    assert not TrainingExample.objects.exists()


def test_training_needs_an_evaluation_set(add_examples):
    add_examples(letters(10, seed=1))
    with pytest.raises(ClassifierError) as raised:
        classifier_train(name=NAME)
    assert raised.value.code == "no_evaluation_set"
    assert "classifier_import" in raised.value.message


def test_training_needs_enough_examples_and_leaves_nothing_behind(evaluation_set, add_examples):
    add_examples(letters(5, seed=1))
    with pytest.raises(ClassifierError) as raised:
        classifier_train(name=NAME)
    assert raised.value.code == "too_few_labels"
    assert not ClassifierModel.objects.exists()
    assert Classifier.objects.get(name=NAME).last_version == 0


def test_rare_labels_are_left_out_and_named(evaluation_set, add_examples):
    add_examples(letters(12, seed=1, labels=["dog_tax", "complaint", "other"]))
    add_examples(letters(3, seed=2, labels=["supplier_invoice"]))
    model = classifier_train(name=NAME)
    assert model.metrics["training"]["left_out_labels"] == {"supplier_invoice": 3}
    assert "supplier_invoice" not in model.metrics["training"]["labels"]


def test_a_bad_activation_rule_is_refused(trained):
    with pytest.raises(ClassifierError):
        classifier_train(name=NAME, activate="sometimes")


# --- Model files and the per-process cache --------------------------------------------------


def _overwrite_file(model, data: bytes) -> None:
    storage = ClassifierModel.file.field.storage
    storage.delete(model.file.name)
    storage.save(model.file.name, ContentFile(data))


def test_a_changed_model_file_is_refused_and_never_unpickled(trained, monkeypatch):
    original = ClassifierModel.file.field.storage.open(trained.file.name, "rb").read()
    _overwrite_file(trained, original[:-1] + bytes([original[-1] ^ 1]))
    unpickled = []
    monkeypatch.setattr(training, "pipeline_loads", lambda data: unpickled.append(data))
    with pytest.raises(ModelUnusable) as raised:
        classify(name=NAME, text="Hundesteuer")
    assert raised.value.code == "checksum"
    assert "checksum" in raised.value.message
    assert isinstance(raised.value, NoActiveModel)  # the pipeline sends the letter to triage
    assert unpickled == []
    with pytest.raises(ModelUnusable):
        classifier_model_activate(name=NAME, version=trained.version)


def test_a_missing_model_file_is_refused(trained):
    ClassifierModel.file.field.storage.delete(trained.file.name)
    with pytest.raises(ModelUnusable) as raised:
        classify(name=NAME, text="Hundesteuer")
    assert raised.value.code == "missing"


def test_a_model_of_another_library_version_is_refused(trained):
    ClassifierModel.objects.filter(pk=trained.pk).update(library_version="0.1")
    with pytest.raises(ModelUnusable) as raised:
        classify(name=NAME, text="Hundesteuer")
    assert raised.value.code == "library_version"


def test_the_loaded_model_is_reused_without_a_query(trained, settings, django_assert_num_queries):
    settings.RATHAUS_CLASSIFIER_CHECK_SECONDS = 3600
    classify(name=NAME, text="Hundesteuer")
    with django_assert_num_queries(0):
        classify(name=NAME, text="Rechnung")


def test_the_active_version_is_checked_with_one_query(trained, settings, django_assert_num_queries):
    settings.RATHAUS_CLASSIFIER_CHECK_SECONDS = 0
    classify(name=NAME, text="Hundesteuer")
    with django_assert_num_queries(1):
        classify(name=NAME, text="Rechnung")


def test_a_model_activated_by_another_process_is_picked_up(trained, settings):
    settings.RATHAUS_CLASSIFIER_CHECK_SECONDS = 3600
    newer = _retrain_on(letters(30, seed=1)[:-5], activate="never")
    assert classify(name=NAME, text="Hundesteuer").model_version == 1
    # Another process activates version 2: this one does not run its commit hooks.
    ClassifierModel.objects.filter(pk=trained.pk).update(is_active=False)
    ClassifierModel.objects.filter(pk=newer.pk).update(is_active=True)
    assert classify(name=NAME, text="Hundesteuer").model_version == 1  # within the interval
    settings.RATHAUS_CLASSIFIER_CHECK_SECONDS = 0
    assert classify(name=NAME, text="Hundesteuer").model_version == 2


def test_a_model_activated_in_this_process_is_used_at_once(
    trained, settings, django_capture_on_commit_callbacks
):
    settings.RATHAUS_CLASSIFIER_CHECK_SECONDS = 3600
    assert classify(name=NAME, text="Hundesteuer").model_version == 1
    with django_capture_on_commit_callbacks(execute=True):
        newer = _retrain_on(letters(30, seed=1)[:-5], activate="always")
    assert classify(name=NAME, text="Hundesteuer").model_version == newer.version == 2


def test_a_failed_save_leaves_no_model_file(evaluation_set, add_examples, monkeypatch):
    add_examples(letters(10, seed=1))

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_decide", broken)
    with pytest.raises(RuntimeError):
        classifier_train(name=NAME)
    storage = ClassifierModel.file.field.storage
    assert not ClassifierModel.objects.exists()
    assert storage.listdir(f"classifier/{NAME}")[1] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_trainings_keep_one_active_model_and_distinct_versions():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    evaluation_set_freeze(name=NAME, examples=letters(6, seed=2))
    for text, label in letters(10, seed=1):
        training_example_add(name=NAME, text=text, label=label, source="generated")

    def train(activate):
        try:
            return classifier_train(name=NAME, activate=activate).version
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        versions = list(pool.map(train, ["always", "always"]))
    models = list(ClassifierModel.objects.filter(name=NAME))
    assert sorted({m.version for m in models}) == list(range(1, len(models) + 1))
    assert set(versions) <= {m.version for m in models}
    assert sum(m.is_active for m in models) == 1
